/**
 * The importer kit, values: lenient coercion of what producers write (numbers as strings, names with trailing dots),
 * type names for warnings, and the few text helpers every importer needs.
 */

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value's JSON type for a warning (`null`, `array`, `string`, …). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
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

export function basename(p: string | null | undefined): string | null {
  if (!p) return null;
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) || p : p;
}

/** Cut a value for a warning message. */
export function clip(s: string, n = 80): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
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
