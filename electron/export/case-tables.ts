/**
 * A case's tables as columnar engines see them: every ordinary table of the case (the FTS index and its shadow
 * tables left out: they are derived from log_lines), each column with a DuckDB type from its declared SQLite type,
 * plus the run's identity and input hashes as leading columns on every row, and one synthetic `runs` table with
 * a row per case. SQLite keeps whatever type a value has; a column that holds any value of another type than its
 * declared one is exported as VARCHAR (the value as text), so nothing is lost or silently turned into NULL.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open';

export type DuckType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB';

export interface ColumnDef {
  name: string;
  type: DuckType;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
}

export interface RunIdentity {
  /** `repository#run_id/attempt:job`, or `inputs:<first 16 hex of inputs_sha256>` when the case has no run id. */
  run_key: string;
  run_repository: string | null;
  run_workflow: string | null;
  run_id: bigint | null;
  run_attempt: bigint | null;
  run_job: string | null;
  run_head_sha: string | null;
  /** SHA-256 of the inputs' SHA-256s joined by newlines, in import order (what names a case's default file). */
  inputs_sha256: string;
  /** The inputs as JSON: [{path, sha256, bytes}]. */
  inputs: string;
}

export const IDENTITY_COLUMNS: ColumnDef[] = [
  { name: 'run_key', type: 'VARCHAR' },
  { name: 'run_repository', type: 'VARCHAR' },
  { name: 'run_workflow', type: 'VARCHAR' },
  { name: 'run_id', type: 'BIGINT' },
  { name: 'run_attempt', type: 'BIGINT' },
  { name: 'run_job', type: 'VARCHAR' },
  { name: 'run_head_sha', type: 'VARCHAR' },
  { name: 'inputs_sha256', type: 'VARCHAR' },
  { name: 'inputs', type: 'VARCHAR' },
];

/** The synthetic one-row-per-case table: identity + the run, policy and import facts as JSON. */
export const RUNS_TABLE = 'runs';
export const RUNS_COLUMNS: ColumnDef[] = [
  { name: 'run', type: 'VARCHAR' },
  { name: 'policy', type: 'VARCHAR' },
  { name: 'started_at', type: 'VARCHAR' },
  { name: 'schema_version', type: 'BIGINT' },
];

const TYPE_CHECK: Record<DuckType, string> = {
  BIGINT: "'integer'",
  DOUBLE: "'real', 'integer'",
  VARCHAR: "'text'",
  BLOB: "'blob'",
};

function declaredType(decl: string): DuckType {
  const d = decl.toUpperCase();
  if (d.includes('INT')) return 'BIGINT';
  if (d.includes('REAL') || d.includes('FLOA') || d.includes('DOUB')) return 'DOUBLE';
  if (d.includes('BLOB')) return 'BLOB';
  return 'VARCHAR';
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The case's exportable tables and their column types (a column holding foreign-typed values becomes VARCHAR). */
export function caseTables(db: Db, only?: ReadonlySet<string>): TableDef[] {
  const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string | null }[];
  const virtual = all.filter((t) => /^CREATE\s+VIRTUAL/i.test(t.sql ?? '')).map((t) => t.name);
  const out: TableDef[] = [];
  for (const t of all) {
    if (virtual.includes(t.name) || virtual.some((v) => t.name.startsWith(`${v}_`))) continue;
    if (t.name === RUNS_TABLE) continue; // never collides with the synthetic table
    if (only && !only.has(t.name)) continue;
    const cols = (db.prepare(`PRAGMA table_info(${quoteId(t.name)})`).all() as { name: string; type: string }[]).map((c) => ({ name: c.name, type: declaredType(c.type) }));
    if (cols.length === 0) continue;
    // One scan: does any column hold a value of another type than declared?
    const checks = cols.map((c) => `max(typeof(${quoteId(c.name)}) NOT IN ('null', ${TYPE_CHECK[c.type]}))`).join(', ');
    const row = db.prepare(`SELECT ${checks} FROM ${quoteId(t.name)}`).raw(true).get() as (number | null)[];
    out.push({ name: t.name, columns: cols.map((c, i) => (row[i] ? { name: c.name, type: 'VARCHAR' as const } : c)) });
  }
  return out;
}

function metaJson(db: Db, key: string): unknown {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (!r) return null;
  try {
    return JSON.parse(r.value) as unknown;
  } catch {
    return null;
  }
}

const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const i = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'string' && /^\d{1,18}$/.test(v) ? BigInt(v) : null);

export function runIdentity(db: Db): RunIdentity {
  const run = (metaJson(db, 'run') ?? {}) as Record<string, unknown>;
  const inputs = metaJson(db, 'inputs');
  const list = Array.isArray(inputs) ? (inputs as { path?: unknown; sha256?: unknown; bytes?: unknown }[]) : [];
  const hashes = list.map((x) => String(x.sha256 ?? ''));
  const inputsSha = createHash('sha256').update(hashes.join('\n')).digest('hex');
  const id = {
    run_repository: s(run.repository),
    run_workflow: s(run.workflow),
    run_id: i(run.run_id),
    run_attempt: i(run.run_attempt),
    run_job: s(run.job),
    run_head_sha: s(run.head_sha),
  };
  const run_key =
    id.run_id !== null ? `${id.run_repository ?? '?'}#${id.run_id}/${id.run_attempt ?? 1}:${id.run_job ?? '?'}` : `inputs:${inputsSha.slice(0, 16)}`;
  return {
    run_key,
    ...id,
    inputs_sha256: inputsSha,
    inputs: JSON.stringify(list.map((x) => ({ path: x.path, sha256: x.sha256, bytes: x.bytes }))),
  };
}

export function runsRow(db: Db): unknown[] {
  const run = metaJson(db, 'run') as Record<string, unknown> | null;
  return [
    JSON.stringify(run),
    JSON.stringify(metaJson(db, 'policy')),
    run && typeof run.started_at === 'string' ? run.started_at : null,
    BigInt(db.pragma('user_version', { simple: true }) as number),
  ];
}

export { quoteId };
