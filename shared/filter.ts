/**
 * The one filter language for network calls and log lines (as in Wireshark's display filters or lnav):
 *
 *   domain:exfil.example  ip:203.0.113.0/24  port:443  port:1000-2000  port:>1024  process:curl  pid:1827
 *   step:4  status:blocked  status:200  verdict:outside  method:POST
 *   "a quoted phrase"   /regex/i   field:/regex/   field:"phrase"   field:=exact
 *   a b (AND, implicit)   a AND b   a && b   a OR b   a || b   NOT a   !a   -a   ( … )
 *
 * Text fields match a case-insensitive substring (`=value`: the whole value, case-insensitive); numeric fields
 * (port, pid, step) a number, a range `a-b` or a comparison `>n`, `>=n`, `<n`, `<=n`; `ip` an address or a CIDR
 * block. A word without a field matches any text of the record. On a log line the fields look into the line's
 * text (`domain:x` = the line names x; `ip:CIDR` = an address in the block appears in it), except `step`, which is
 * the line's step. AND binds tighter than OR.
 *
 * This file holds the parser and the matcher (the reference semantics, used in the renderer and the tests);
 * electron/queries/filter-sql.ts translates the same tree to SQL, calling back into these helpers.
 */

export const FILTER_FIELDS = ['domain', 'ip', 'port', 'process', 'pid', 'step', 'status', 'verdict', 'method'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export const NUMERIC_FIELDS: readonly FilterField[] = ['port', 'pid', 'step'];

export type FilterValue =
  | { kind: 'text'; text: string; exact: boolean }
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'range'; lo: number; hi: number };

export type FilterNode =
  | { op: 'and' | 'or'; items: FilterNode[] }
  | { op: 'not'; item: FilterNode }
  | { op: 'term'; field: FilterField | null; value: FilterValue };

export class FilterError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} (at character ${at + 1})`);
    this.name = 'FilterError';
  }
}

const MAX_EXPR = 2000;
const MAX_REGEX = 300;

type Tok =
  | { t: 'word'; v: string; at: number; quoted: boolean }
  | { t: 'regex'; source: string; flags: string; at: number }
  | { t: '(' | ')' | 'and' | 'or' | 'not'; at: number }
  | { t: 'field'; v: FilterField; at: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const isSpace = (c: string) => /\s/.test(c);
  const readQuoted = (): string => {
    const start = i;
    i++; // opening quote
    let v = '';
    while (i < src.length && src[i] !== '"') {
      if (src[i] === '\\' && i + 1 < src.length) i++;
      v += src[i++];
    }
    if (i >= src.length) throw new FilterError('unclosed quote', start);
    i++;
    return v;
  };
  const readRegex = (): { source: string; flags: string } => {
    const start = i;
    i++;
    let v = '';
    while (i < src.length && src[i] !== '/') {
      if (src[i] === '\\' && i + 1 < src.length) v += src[i++];
      v += src[i++];
    }
    if (i >= src.length) throw new FilterError('unclosed regular expression', start);
    i++;
    let flags = '';
    while (i < src.length && /[a-z]/i.test(src[i]!)) flags += src[i++];
    if (/[^ims]/.test(flags)) throw new FilterError(`regular expression flags may be i, m or s, not "${flags}"`, start);
    if (v.length > MAX_REGEX) throw new FilterError(`regular expression longer than ${MAX_REGEX} characters`, start);
    try {
      new RegExp(v, flags);
    } catch (e) {
      throw new FilterError(`bad regular expression: ${(e as Error).message}`, start);
    }
    return { source: v, flags };
  };
  while (i < src.length) {
    const c = src[i]!;
    const at = i;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c, at });
      i++;
      continue;
    }
    if (c === '!' || (c === '-' && (out.length === 0 || out[out.length - 1]!.t !== 'field') && i + 1 < src.length && !isSpace(src[i + 1]!))) {
      out.push({ t: 'not', at });
      i++;
      continue;
    }
    if (src.startsWith('&&', i)) {
      out.push({ t: 'and', at });
      i += 2;
      continue;
    }
    if (src.startsWith('||', i)) {
      out.push({ t: 'or', at });
      i += 2;
      continue;
    }
    if (c === '|') {
      out.push({ t: 'or', at });
      i++;
      continue;
    }
    if (c === '"') {
      out.push({ t: 'word', v: readQuoted(), at, quoted: true });
      continue;
    }
    // /regex/flags: only when a closing slash is followed by flags and then a space, ")" or the end; else a
    // word (a path like /v2/collect)
    if (c === '/' && /^\/(?:\\.|[^/\\])+\/[ims]*(?=$|[\s)])/.test(src.slice(i))) {
      out.push({ t: 'regex', ...readRegex(), at });
      continue;
    }
    let w = '';
    while (i < src.length && !isSpace(src[i]!) && !'()"'.includes(src[i]!) && !src.startsWith('||', i) && !src.startsWith('&&', i)) {
      // field:  (a known field name followed by a colon)
      if (src[i] === ':' && (FILTER_FIELDS as readonly string[]).includes(w.toLowerCase())) break;
      w += src[i++];
    }
    if (src[i] === ':' && (FILTER_FIELDS as readonly string[]).includes(w.toLowerCase())) {
      i++;
      out.push({ t: 'field', v: w.toLowerCase() as FilterField, at });
      continue;
    }
    if (w === 'AND') out.push({ t: 'and', at });
    else if (w === 'OR') out.push({ t: 'or', at });
    else if (w === 'NOT') out.push({ t: 'not', at });
    else out.push({ t: 'word', v: w, at, quoted: false });
  }
  return out;
}

function numberValue(field: FilterField, raw: string, at: number): FilterValue {
  const n = (s: string) => {
    if (!/^\d{1,15}$/.test(s)) throw new FilterError(`${field}: "${raw}" is not a number, a range a-b or a comparison like >1024`, at);
    return Number(s);
  };
  let m: RegExpExecArray | null;
  if ((m = /^(>=|<=|>|<|=)?(\d+)$/.exec(raw))) {
    const v = n(m[2]!);
    switch (m[1]) {
      case '>':
        return { kind: 'range', lo: v + 1, hi: Infinity };
      case '>=':
        return { kind: 'range', lo: v, hi: Infinity };
      case '<':
        return { kind: 'range', lo: -Infinity, hi: v - 1 };
      case '<=':
        return { kind: 'range', lo: -Infinity, hi: v };
      default:
        return { kind: 'range', lo: v, hi: v };
    }
  }
  if ((m = /^(\d+)-(\d+)$/.exec(raw))) return { kind: 'range', lo: n(m[1]!), hi: n(m[2]!) };
  return { kind: 'range', lo: n(raw), hi: n(raw) };
}

/** Parse an expression; an empty or blank one is null (everything matches). Throws FilterError. */
export function parseFilter(src: string): FilterNode | null {
  if (src.length > MAX_EXPR) throw new FilterError(`a filter is at most ${MAX_EXPR} characters`, MAX_EXPR);
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const orExpr = (): FilterNode => {
    const items = [andExpr()];
    while (peek()?.t === 'or') {
      p++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { op: 'or', items };
  };
  const andExpr = (): FilterNode => {
    const items = [unary()];
    for (;;) {
      const t = peek();
      if (!t || t.t === 'or' || t.t === ')') break;
      if (t.t === 'and') p++;
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { op: 'and', items };
  };
  const unary = (): FilterNode => {
    const t = peek();
    if (!t) throw new FilterError('the filter ends too early', src.length);
    if (t.t === 'not') {
      p++;
      return { op: 'not', item: unary() };
    }
    if (t.t === '(') {
      p++;
      const e = orExpr();
      if (peek()?.t !== ')') throw new FilterError('missing )', peek()?.at ?? src.length);
      p++;
      return e;
    }
    if (t.t === 'field') {
      p++;
      const v = peek();
      if (!v || (v.t !== 'word' && v.t !== 'regex')) throw new FilterError(`${t.v}: needs a value`, t.at);
      p++;
      if (v.t === 'regex') return { op: 'term', field: t.v, value: { kind: 'regex', source: v.source, flags: v.flags } };
      if (NUMERIC_FIELDS.includes(t.v)) return { op: 'term', field: t.v, value: numberValue(t.v, v.v, v.at) };
      if (t.v === 'ip' && !v.quoted && /\/\d{1,3}$/.test(v.v) && !validCidr(v.v))
        throw new FilterError(`ip: "${v.v}" is not a CIDR block like 192.0.2.0/24`, v.at);
      const exact = !v.quoted && v.v.startsWith('=');
      return { op: 'term', field: t.v, value: { kind: 'text', text: exact ? v.v.slice(1) : v.v, exact } };
    }
    if (t.t === 'word') {
      p++;
      return { op: 'term', field: null, value: { kind: 'text', text: t.v, exact: false } };
    }
    if (t.t === 'regex') {
      p++;
      return { op: 'term', field: null, value: { kind: 'regex', source: t.source, flags: t.flags } };
    }
    throw new FilterError(`unexpected "${t.t === ')' ? ')' : t.t.toUpperCase()}"`, t.at);
  };
  if (toks.length === 0) return null;
  const tree = orExpr();
  if (p < toks.length) throw new FilterError('unexpected ")"', toks[p]!.at);
  return tree;
}

/** Parse, or say why not (for a search box that must not throw while the user types). */
export function tryParseFilter(src: string): { tree: FilterNode | null; error: string | null } {
  try {
    return { tree: parseFilter(src), error: null };
  } catch (e) {
    return { tree: null, error: e instanceof FilterError ? e.message : String(e) };
  }
}

// ---------- IP helpers (shared by the matcher and the SQL functions) ----------

function ipv4ToBig(ip: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = (v << 8n) | BigInt(o);
  }
  return v;
}

function ipv6ToBig(ip: string): bigint | null {
  let s = ip.replace(/^\[|\]$/g, '').toLowerCase();
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9a-f:.]+$/.test(s) || !s.includes(':')) return null;
  // an embedded IPv4 tail
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const b = ipv4ToBig(v4[1]!);
    if (b === null) return null;
    s = s.slice(0, -v4[1]!.length) + ((b >> 16n) & 0xffffn).toString(16) + ':' + (b & 0xffffn).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

function parseIp(ip: string): { v: bigint; bits: 32 | 128 } | null {
  const a = ipv4ToBig(ip);
  if (a !== null) return { v: a, bits: 32 };
  const b = ipv6ToBig(ip);
  return b !== null ? { v: b, bits: 128 } : null;
}

function validCidr(cidr: string): boolean {
  const [addr, len] = cidr.split('/');
  const ip = addr ? parseIp(addr) : null;
  return !!ip && len !== undefined && /^\d{1,3}$/.test(len) && Number(len) <= ip.bits;
}

/** Is `ip` inside `cidr` (a.b.c.d/n or IPv6/n)? A CIDR without "/" is one address. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [addr, lenText] = cidr.split('/');
  const net = addr ? parseIp(addr) : null;
  const x = parseIp(ip);
  if (!net || !x || net.bits !== x.bits) return false;
  const len = lenText === undefined ? net.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > net.bits) return false;
  const shift = BigInt(net.bits - len);
  return x.v >> shift === net.v >> shift;
}

const TEXT_IPS = /(?:\d{1,3}\.){3}\d{1,3}|\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?/g;

/** Addresses written in a text (IPv4 and IPv6), for `ip:` on log lines. */
export function ipsInText(text: string): string[] {
  return (text.match(TEXT_IPS) ?? []).filter((s) => parseIp(s) !== null);
}

// ---------- matching ----------

const regexCache = new Map<string, RegExp>();
export function filterRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let r = regexCache.get(key);
  if (!r) {
    r = new RegExp(source, flags.replace(/[gy]/g, ''));
    if (regexCache.size > 64) regexCache.clear();
    regexCache.set(key, r);
  }
  return r;
}

/** Case-insensitive substring (or whole value when `exact`). */
export function textMatches(value: string | null | undefined, needle: string, exact: boolean): boolean {
  if (value === null || value === undefined) return false;
  const v = value.toLowerCase(), n = needle.toLowerCase();
  return exact ? v === n : v.includes(n);
}

/** A text value against a term's value, with the ip: rule (CIDR or address) when `ip` is set. */
export function valueMatches(value: string | number | null | undefined, fv: FilterValue, ip = false): boolean {
  if (value === null || value === undefined) return false;
  switch (fv.kind) {
    case 'range': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) && n >= fv.lo && n <= fv.hi;
    }
    case 'regex':
      return filterRegex(fv.source, fv.flags).test(String(value));
    case 'text':
      if (ip && parseIp(fv.text.split('/')[0] ?? '')) return ipInCidr(String(value), fv.text);
      return textMatches(String(value), fv.text, fv.exact);
  }
}

/** What a filter sees of one record: each field's values; `text` for a word without a field. */
export interface FilterSubject {
  get(field: FilterField): readonly (string | number | null)[];
  text(): readonly (string | null)[];
  /** A log line: the text fields look into its text, ip: finds addresses in it. */
  isLogLine?: boolean;
}

export function matches(tree: FilterNode | null, s: FilterSubject): boolean {
  if (!tree) return true;
  switch (tree.op) {
    case 'and':
      return tree.items.every((x) => matches(x, s));
    case 'or':
      return tree.items.some((x) => matches(x, s));
    case 'not':
      return !matches(tree.item, s);
    case 'term': {
      if (tree.field === null) return s.text().some((t) => valueMatches(t, tree.value));
      if (s.isLogLine && tree.field !== 'step') {
        const texts = s.text();
        if (tree.field === 'ip' && tree.value.kind === 'text')
          return texts.some((t) => t !== null && ipsInText(t).some((ip) => valueMatches(ip, tree.value, true)));
        if (tree.value.kind === 'range') {
          const { lo, hi } = tree.value;
          return texts.some((t) => t !== null && (t.match(/\d+/g) ?? []).some((d) => Number(d) >= lo && Number(d) <= hi));
        }
        return texts.some((t) => valueMatches(t, tree.value));
      }
      return s.get(tree.field).some((v) => valueMatches(v, tree.value, tree.field === 'ip'));
    }
  }
}

/** A network call (the table's row shape) as a filter subject. */
export function callSubject(r: {
  domain: string | null;
  ip: string | null;
  port: number;
  process_name: string | null;
  pid: number | null;
  step_number: number | null;
  running_step_number: number | null;
  status: string;
  http_status: number | null;
  verdict: string;
  http_method: string | null;
  http_path: string | null;
  endpoint: string;
}): FilterSubject {
  return {
    get(f) {
      switch (f) {
        case 'domain':
          return [r.domain];
        case 'ip':
          return [r.ip];
        case 'port':
          return [r.port];
        case 'process':
          return [r.process_name];
        case 'pid':
          return [r.pid];
        case 'step':
          return [r.step_number, r.running_step_number];
        case 'status':
          return [r.status, r.http_status === null ? null : String(r.http_status)];
        case 'verdict':
          return [r.verdict];
        case 'method':
          return [r.http_method];
      }
    },
    text: () => [r.domain, r.ip, r.process_name, r.http_path, r.endpoint, r.pid === null ? null : String(r.pid)],
  };
}

/** A log line as a filter subject. */
export function logSubject(l: { text: string; step_number: number | null }): FilterSubject {
  return {
    isLogLine: true,
    get: (f) => (f === 'step' ? [l.step_number] : [l.text]),
    text: () => [l.text],
  };
}

/** The plain words and phrases of a filter (for highlighting hits in text). */
export function filterWords(tree: FilterNode | null): string[] {
  if (!tree) return [];
  if (tree.op === 'not') return [];
  if (tree.op === 'term') return tree.value.kind === 'text' && tree.field !== 'step' ? [tree.value.text] : [];
  return tree.items.flatMap(filterWords);
}
