/**
 * Small helpers shared by the real-world telemetry importers (formats/*.ts): head decoding for sniffing, lenient
 * value coercion, exact big-integer timestamps from raw JSON text, shell-like argument splitting, and a warning
 * limiter so one damaged file cannot flood the case with thousands of warnings.
 */
import type { InputFile, RecordSink } from '../types';
import type { Nanos } from '../../../shared/time';
import { tryParseRfc3339 } from '../../../shared/time';

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The sniffing head as text (BOMs removed). */
export function headText(file: InputFile): string {
  return lenient.decode(file.head).replace(/\uFEFF/g, '');
}

/**
 * Non-empty lines of the head, at most `max`. The last line is dropped when the head is only part of the file
 * (it may be cut in the middle).
 */
export function headLines(file: InputFile, max = 40): string[] {
  const text = headText(file);
  const lines = text.split('\n');
  if (file.head.length < file.bytes && lines.length > 1) lines.pop();
  const out: string[] = [];
  for (const l of lines) {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() === '') continue;
    out.push(t);
    if (out.length >= max) break;
  }
  return out;
}

export function asNum(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** An integer a pid, port or uid can be: exact (within ±2^53), else null — never 1e300 stored as a REAL. */
export function asInt(v: unknown): number | null {
  const n = asNum(v);
  if (n === null) return null;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : null;
}

export function asStr(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function basename(p: string | null | undefined): string | null {
  if (!p) return null;
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) || p : p;
}

/** Cut a value for a warning message. */
export function clip(s: string, n = 80): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
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

/** Split a command line the way a POSIX shell would for simple quoting ('…', "…", backslash). */
export function splitCommandLine(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      inTok = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inTok = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inTok) out.push(cur);
      cur = '';
      inTok = false;
    } else {
      cur += c;
      inTok = true;
    }
  }
  if (inTok) out.push(cur);
  return out;
}

/** Lower-case, no trailing dot (DNS names as agents print them: `example.com.`). */
export function normDomain(d: string | null | undefined): string | null {
  if (!d) return null;
  let s = d.trim().toLowerCase();
  while (s.endsWith('.')) s = s.slice(0, -1);
  return s === '' || s === 'unknown' ? null : s;
}

/**
 * Per-file warning limiter: the first `max` problems are reported one by one (file + line, via the sink); the
 * rest are counted and summarised once by `flush()`.
 */
/**
 * The importers' warnings, under the ONE warning policy of every importer: each problem goes to the sink (which
 * notes the line as skipped with that reason in the file's accounting, and stores at most MAX_WARNINGS_PER_SOURCE
 * warnings per file, counting the rest in one summary: writer.ts). No importer caps on its own.
 */
export class Warner {
  private n = 0;
  constructor(private readonly sink: Pick<RecordSink, 'warn'>) {}
  warn(line: number | null, message: string): void {
    this.n++;
    this.sink.warn(line, message);
  }
  get count(): number {
    return this.n;
  }
  /** Kept for callers: the writer says how many warnings were not stored. */
  flush(): void {}
}

/** Severity words used across producers, mapped onto the case's scale (critical/high/medium/low/info). */
export function severityFrom(priority: string | null | undefined): string | null {
  if (!priority) return null;
  const p = priority.toLowerCase();
  if (p.startsWith('emerg') || p === 'alert' || p.startsWith('crit')) return 'critical';
  if (p.startsWith('err') || p === 'high') return 'high';
  if (p.startsWith('warn') || p === 'medium') return 'medium';
  if (p === 'notice' || p === 'low') return 'low';
  if (p.startsWith('info') || p === 'debug') return 'info';
  return p;
}
