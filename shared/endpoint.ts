/**
 * Endpoints (`host:port`) and egress allow-lists. Pure: no Node, no DOM.
 *
 * - A host is lower-cased, loses its trailing dot, and an IPv6 address is written in its canonical RFC 5952 form,
 *   in brackets inside an endpoint: `[2001:db8::1]:443`.
 * - An allow-list entry is `host[:port]`; a missing port means 443. `*.example.com` matches every subdomain of
 *   `example.com` (at any depth), never `example.com` itself.
 */

export const DEFAULT_PORT = 443;

export interface AllowedRule {
  /** The entry as written in the policy. */
  raw: string;
  /** Normalized host; for a wildcard rule, the suffix after `*.`. */
  host: string;
  port: number;
  wildcard: boolean;
}

export interface HostPort {
  host: string;
  port: number;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

/** Canonical (RFC 5952) text of an IPv6 address, or null when `s` is not one. A zone (`%eth0`) is kept. */
export function canonicalIpv6(s: string): string | null {
  let addr = s;
  let zone = '';
  const pct = addr.indexOf('%');
  if (pct >= 0) {
    zone = addr.slice(pct);
    addr = addr.slice(0, pct);
  }
  if (!addr.includes(':')) return null;
  const groups: number[] = [];
  const dbl = addr.indexOf('::');
  if (dbl !== addr.lastIndexOf('::') && dbl >= 0) return null;
  const parsePart = (part: string, allowV4: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (allowV4 && i === pieces.length - 1 && p.includes('.')) {
        const o = p.split('.');
        if (o.length !== 4) return null;
        const b = o.map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : -1));
        if (b.some((x) => x < 0 || x > 255)) return null;
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  if (dbl >= 0) {
    const head = parsePart(addr.slice(0, dbl), false);
    const tail = parsePart(addr.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    const all = parsePart(addr, true);
    if (!all || all.length !== 8) return null;
    groups.push(...all);
  }
  // Longest run (length >= 2) of zero groups becomes '::' (the first one on a tie).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    // IPv4-mapped: RFC 5952 section 5 keeps the dotted quad.
    const g6 = groups[6]!, g7 = groups[7]!;
    return `::ffff:${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}` + zone.toLowerCase();
  }
  const hex = groups.map((g) => g.toString(16));
  let text: string;
  if (bestStart < 0) text = hex.join(':');
  else text = hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
  return text + zone.toLowerCase();
}

/**
 * Only ASCII white space is trimmed: String.prototype.trim also removes U+FEFF, NBSP and other Unicode spaces,
 * which in a host name are evidence (a spoofed or smuggled name must stay visible as written, never be silently
 * equated with the clean one).
 */
function trimAscii(s: string): string {
  return s.replace(/^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g, '');
}

/** Lower-case, no brackets, no trailing dot; IPv6 in canonical form. */
export function normalizeHost(host: string): string {
  let h = trimAscii(host);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  h = h.toLowerCase();
  while (h.endsWith('.') && h.length > 1) h = h.slice(0, -1);
  if (h.includes(':')) return canonicalIpv6(h) ?? h;
  return h;
}

/** `host:port` with the host normalized; an IPv6 host is bracketed. */
export function normalizeEndpoint(host: string, port: number): string {
  const h = normalizeHost(host);
  return `${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * Split `host[:port]` (`[v6]:port`, `[v6]`, bare `v6` with no port, `host`, `host:port`). The host is normalized;
 * a missing port is `defaultPort`. Null when the text is not an endpoint.
 */
export function parseHostPort(text: string, defaultPort: number = DEFAULT_PORT): HostPort | null {
  const s = trimAscii(text);
  if (s === '' || /[ \t\r\n\f\v/]/.test(s)) return null;
  let host: string;
  let portText: string | null = null;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    host = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1);
    }
    if (!canonicalIpv6(host)) return null;
  } else {
    const colons = s.split(':').length - 1;
    if (colons === 0) host = s;
    else if (colons === 1) {
      const i = s.indexOf(':');
      host = s.slice(0, i);
      portText = s.slice(i + 1);
    } else {
      if (!canonicalIpv6(s)) return null;
      host = s; // a bare IPv6 address: no port given
    }
  }
  let port = defaultPort;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (!isPort(port)) return null;
  }
  if (host === '') return null;
  return { host: normalizeHost(host), port };
}

/** Normalize an endpoint written as text (`Example.COM.:443` -> `example.com:443`); null when it is not one. */
export function normalizeEndpointText(text: string, defaultPort: number = DEFAULT_PORT): string | null {
  const hp = parseHostPort(text, defaultPort);
  return hp ? normalizeEndpoint(hp.host, hp.port) : null;
}

/** Parse one allow-list entry `host[:port]` / `*.domain[:port]`; null when it cannot be read. */
export function parseAllowed(entry: string): AllowedRule | null {
  const raw = entry;
  let s = trimAscii(entry);
  let wildcard = false;
  if (s.startsWith('*.')) {
    wildcard = true;
    s = s.slice(2);
  }
  const hp = parseHostPort(s);
  if (!hp) return null;
  if (hp.host.includes('*') || hp.host === '' || hp.host.startsWith('.')) return null;
  if (wildcard && hp.host.includes(':')) return null; // no wildcard over IPv6 addresses
  return { raw, host: hp.host, port: hp.port, wildcard };
}

function toHostPort(endpoint: string | HostPort): HostPort | null {
  if (typeof endpoint === 'string') return parseHostPort(endpoint);
  return { host: normalizeHost(endpoint.host), port: endpoint.port };
}

export function matchesRule(endpoint: string | HostPort, rule: AllowedRule): boolean {
  const hp = toHostPort(endpoint);
  if (!hp || hp.port !== rule.port) return false;
  if (!rule.wildcard) return hp.host === rule.host;
  return hp.host.length > rule.host.length + 1 && hp.host.endsWith('.' + rule.host);
}

function toRules(allowed: readonly (string | AllowedRule)[]): AllowedRule[] {
  const out: AllowedRule[] = [];
  for (const a of allowed) {
    const r = typeof a === 'string' ? parseAllowed(a) : a;
    if (r) out.push(r);
  }
  return out;
}

/**
 * An allow-list compiled for lookups (issue 11 #5: matching every rule against every endpoint was rules × endpoints,
 * 164 s for 20 k × 20 k). Exact rules by `host:port`, wildcard rules by `suffix:port`; an endpoint costs one probe
 * for its exact entry and one per proper dot-suffix of its host (`a.b.example` -> `b.example`, `example`), so the
 * work is linear in the number of endpoints whatever the number of rules. The first rule as written wins, as before.
 */
export class AllowList {
  private readonly exact = new Map<string, { raw: string; index: number }>();
  private readonly suffix = new Map<string, { raw: string; index: number }>();
  /** Map probes made so far (the tests assert the work is linear through it). */
  lookups = 0;
  /** How many entries it was built from (readable or not). */
  readonly entries: number;

  constructor(allowed: readonly (string | AllowedRule)[]) {
    const rules = toRules(allowed);
    this.entries = allowed.length;
    rules.forEach((r, index) => {
      const map = r.wildcard ? this.suffix : this.exact;
      const k = `${r.host}:${r.port}`;
      if (!map.has(k)) map.set(k, { raw: r.raw, index });
    });
  }

  /** The first entry (as written) that admits the endpoint, or null. */
  allowedBy(endpoint: string | HostPort): string | null {
    const hp = toHostPort(endpoint);
    if (!hp) return null;
    this.lookups++;
    let best = this.exact.get(`${hp.host}:${hp.port}`) ?? null;
    if (this.suffix.size > 0 && !hp.host.includes(':')) {
      for (let i = hp.host.indexOf('.'); i >= 0; i = hp.host.indexOf('.', i + 1)) {
        if (i === 0) continue; // an empty first label: '.example' is not a subdomain of 'example'
        this.lookups++;
        const w = this.suffix.get(`${hp.host.slice(i + 1)}:${hp.port}`);
        if (w && (best === null || w.index < best.index)) best = w;
      }
    }
    return best ? best.raw : null;
  }
}

/** Compiled lists of the arrays callers pass in (policies are built once and only read), so repeated calls are cheap. */
const compiled = new WeakMap<readonly (string | AllowedRule)[], AllowList>();

export function compileAllowList(allowed: readonly (string | AllowedRule)[] | AllowList): AllowList {
  if (allowed instanceof AllowList) return allowed;
  let c = compiled.get(allowed);
  if (!c || c.entries !== allowed.length) {
    c = new AllowList(allowed);
    compiled.set(allowed, c);
  }
  return c;
}

/** The first allow-list entry (as written) that admits the endpoint, or null. Unreadable entries admit nothing. */
export function allowedBy(endpoint: string | HostPort, allowed: readonly (string | AllowedRule)[] | AllowList): string | null {
  return compileAllowList(allowed).allowedBy(endpoint);
}

/** Whether the endpoint (`host:port`, or host and port) is admitted by the allow-list. */
export function matchesPolicy(endpoint: string | HostPort, allowed: readonly (string | AllowedRule)[] | AllowList): boolean {
  return allowedBy(endpoint, allowed) !== null;
}
