/**
 * The importer kit, times: timestamps in every shape telemetry writes them, exactly (nanoseconds as bigint; integers
 * beyond 2^53 read from the document's text, never rounded through JSON.parse).
 */
import type { Nanos } from '../../../shared/time';
import { parseRfc3339, tryParseRfc3339 } from '../../../shared/time';
import { asNum, isObj } from './values';

/** The last whole second `recordTime` parsed (`YYYY-MM-DDTHH:MM:SS`) and its nanoseconds: records come in time order. */
let lastSecond = '';
let lastSecondNs = 0n;

/**
 * `parseRfc3339` (the same value, the same error) for the records of JSON-lines telemetry, faster on its common
 * shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`: the whole second is parsed once while consecutive records share it, the
 * fraction read from the character codes. Anything else (another zone, `t`/space, a bad digit) goes to
 * parseRfc3339. Scale: the calls worker's 500k calls, ~0.3 s of its thread (test/unit/record-time.test.ts).
 */
export function recordTime(s: string): Nanos {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 0x5a /* Z */ || s.charCodeAt(10) !== 0x54 /* T */) return parseRfc3339(s);
  let frac = 0;
  if (n > 20) {
    // `.` and 1-9 digits between the seconds and the Z
    if (s.charCodeAt(19) !== 0x2e || n === 21) return parseRfc3339(s);
    for (let i = 20; i < n - 1; i++) {
      const d = s.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return parseRfc3339(s);
      frac = frac * 10 + d;
    }
    for (let i = n - 1; i < 29; i++) frac *= 10; // as many digits as given, in nanoseconds
  }
  const second = s.slice(0, 19);
  if (second !== lastSecond) {
    let base: Nanos;
    try {
      base = parseRfc3339(`${second}Z`); // checks the date and time (its shape and ranges) as parseRfc3339 would
    } catch {
      return parseRfc3339(s); // its own error, about the whole text
    }
    lastSecond = second;
    lastSecondNs = base;
  }
  return frac === 0 ? lastSecondNs : lastSecondNs + BigInt(frac);
}

/**
 * The exact digits of an integer JSON field in a raw document (JSON.parse rounds integers beyond 2^53, and
 * nanosecond timestamps are beyond it). Returns the first occurrence; `approx` (the parsed value) guards against
 * picking a same-named field elsewhere in the document.
 */
export function exactIntField(raw: string, name: string, approx?: number | null): bigint | null {
  const re = new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*"?(-?\\d+)"?`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const v = BigInt(m[1]!);
    if (approx === undefined || approx === null) return v;
    if (Math.abs(Number(v) - approx) <= Math.max(1, Math.abs(approx) * 1e-12)) return v;
  }
  return approx !== undefined && approx !== null && Number.isFinite(approx) ? BigInt(Math.round(approx)) : null;
}

/**
 * A timestamp in any of the shapes telemetry uses: RFC 3339 text (with zone), `{seconds, nanos}`, or an integer
 * count whose size says its unit (s, ms, µs, ns since the epoch). `exact` is the integer's exact digits when known.
 */
export function anyTime(v: unknown, exact?: bigint | null): Nanos | null {
  if (typeof v === 'string') {
    const t = tryParseRfc3339(v);
    if (t !== null) return t;
    if (/^\d+(\.\d+)?$/.test(v)) return numericTime(v);
    return null;
  }
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    if (exact !== undefined && exact !== null) return scaleInt(exact);
    return numericTime(String(v));
  }
  if (isObj(v)) {
    const s = asNum(v.seconds ?? v.Seconds);
    if (s === null) return null;
    const n = asNum(v.nanos ?? v.Nanos) ?? 0;
    return BigInt(Math.trunc(s)) * 1_000_000_000n + BigInt(Math.trunc(n));
  }
  return null;
}

function scaleInt(v: bigint): Nanos {
  if (v >= 100_000_000_000_000_000n) return v; // ns (>= 1973 in ns)
  if (v >= 100_000_000_000_000n) return v * 1_000n; // µs
  if (v >= 100_000_000_000n) return v * 1_000_000n; // ms
  return v * 1_000_000_000n; // s
}

/** `1700000000.123456` (seconds with a fraction) or an integer count of s/ms/µs/ns, exactly. */
export function numericTime(s: string): Nanos | null {
  const m = /^(\d+)(?:\.(\d{1,9})\d*)?$/.exec(s.trim());
  if (!m) return null;
  if (m[2] !== undefined) return BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2].padEnd(9, '0'));
  return scaleInt(BigInt(m[1]!));
}
