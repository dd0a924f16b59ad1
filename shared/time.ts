/**
 * Time handling. Inside the engine a time is an integer count of nanoseconds since the Unix epoch, UTC, held as
 * a bigint (`Nanos`). Outside (API contract, CLI JSON) it is RFC 3339 in UTC with exactly 9 fractional digits and `Z`.
 */
export type Nanos = bigint;

const NS_PER_SEC = 1_000_000_000n;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export class TimeError extends Error {}

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm; proleptic Gregorian, valid for any year.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

/** Parse an RFC 3339 timestamp with a zone and 0-9 fractional digits. Throws TimeError on anything else. */
export function parseRfc3339(s: string): Nanos {
  const m = RFC3339.exec(s);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) throw new TimeError(`timestamp has no zone: ${s}`);
    throw new TimeError(`not an RFC 3339 timestamp: ${s.length > 64 ? s.slice(0, 64) + '…' : s}`);
  }
  const [, Y, Mo, D, h, mi, sec, frac, zone] = m;
  const y = Number(Y), mo = Number(Mo), d = Number(D), hh = Number(h), mm = Number(mi), ss = Number(sec);
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > dim[mo - 1]! || hh > 23 || mm > 59 || ss > 60) {
    throw new TimeError(`timestamp out of range: ${s}`);
  }
  let offsetSec = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone![0] === '-' ? -1 : 1;
    const oh = Number(zone!.slice(1, 3)), om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) throw new TimeError(`bad zone offset: ${s}`);
    offsetSec = sign * (oh * 3600 + om * 60);
  }
  const secs = daysFromCivil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + Math.min(ss, 59) - offsetSec;
  const ns = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  return BigInt(secs) * NS_PER_SEC + ns;
}

/** Like parseRfc3339 but returns null instead of throwing. */
export function tryParseRfc3339(s: unknown): Nanos | null {
  if (typeof s !== 'string') return null;
  try {
    return parseRfc3339(s);
  } catch {
    return null;
  }
}

/** Format nanoseconds as RFC 3339 UTC with exactly 9 fractional digits and `Z`. */
export function formatNanos(ns: Nanos): string {
  let secs = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) {
    frac += NS_PER_SEC;
    secs -= 1n;
  }
  const s = Number(secs);
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const hh = Math.floor(rem / 3600), mm = Math.floor((rem % 3600) / 60), ss = rem % 60;
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(hh)}:${p(mm)}:${p(ss)}.${frac.toString().padStart(9, '0')}Z`;
}

export function formatNullable(ns: Nanos | null | undefined): string | null {
  return ns === null || ns === undefined ? null : formatNanos(ns);
}

export const nanosFromMillis = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));
export const nanosFromSeconds = (s: number): Nanos => BigInt(Math.round(s)) * NS_PER_SEC;
export const NANOS_PER_SECOND = NS_PER_SEC;

/** Seconds (a float, for display and layout only: loses precision below ~100 ns at today's epoch). */
export const nanosToSecondsFloat = (ns: Nanos): number => Number(ns) / 1e9;
