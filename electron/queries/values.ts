/**
 * Converting SQLite values read with `safeIntegers(true)` (every INTEGER comes back as a bigint) into the plain
 * values of the API contract: ids/pids/ports/counts as numbers, times as RFC 3339 (9 digits, Z), JSON columns parsed.
 */
import { formatNanos } from '../../shared/time';
import type { StepRef, Verdict } from '../../shared/api';

export type SqlValue = bigint | number | string | Buffer | null;
export type Row = Record<string, SqlValue | undefined>;

/** Raised for a well-formed request that names something the case does not hold (unknown id, …). */
export class QueryError extends Error {}

export function num(v: SqlValue | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function numOr0(v: SqlValue | undefined): number {
  return num(v) ?? 0;
}

export function str(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A time column (integer ns) as RFC 3339 with 9 fractional digits and Z; null stays null. */
export function time(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return formatNanos(v);
  if (typeof v === 'number') return formatNanos(BigInt(Math.trunc(v)));
  return null;
}

export function nanos(v: SqlValue | undefined): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return null;
}

/** A JSON array-of-strings column (process args); anything else becomes []. Args are always an array. */
export function argsOf(v: SqlValue | undefined): string[] {
  const s = str(v);
  if (!s) return [];
  try {
    const a: unknown = JSON.parse(s);
    return Array.isArray(a) ? a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
  } catch {
    return [];
  }
}

export function jsonOf<T>(v: SqlValue | undefined, fallback: T): T {
  const s = str(v);
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** Step columns selected with a prefix (`s_id`, `s_job`, …) into a StepRef, or null when there is no step. */
export function stepRef(r: Row, p: string): StepRef | null {
  const id = num(r[`${p}id`]);
  if (id === null) return null;
  return {
    id,
    job: str(r[`${p}job`]) ?? '',
    number: numOr0(r[`${p}number`]),
    name: str(r[`${p}name`]) ?? '',
    uses: str(r[`${p}uses`]),
  };
}

/** The schema's verdicts (`allowed-by-policy`, …) in the contract's words; a call not yet analysed gets a safe guess. */
export function verdictOf(v: SqlValue | undefined, status: string | null, hasPolicy: boolean): Verdict {
  switch (str(v)) {
    case 'allowed':
    case 'allowed-by-policy':
      return 'allowed';
    case 'outside-policy':
      return 'outside-policy';
    case 'blocked':
      return 'blocked';
    case 'no-policy':
      return 'no-policy';
    default:
      if (status === 'blocked') return 'blocked';
      return hasPolicy ? 'allowed' : 'no-policy';
  }
}
