/**
 * Rules from the user's rules file (rules-file.ts), as DetectionRules: one per user rule (`user:<id>`), and one
 * for the IOC lists (`ioc`): a call to a listed domain / IP / CIDR, a DNS answer with a listed IP, a resolution
 * of a listed domain, a file or tool with a listed hash. One finding per IOC value met.
 */
import { matchesRule, normalizeHost, parseAllowed, parseHostPort } from '../../../shared/endpoint';
import { clip, commandHits } from './command-match';
import type { RulesSpec, UserRule } from './rules-file';
import type { DetectionRule, EvidenceRef, Hit, Severity } from './types';

function userRule(r: UserRule): DetectionRule {
  const severity = r.severity as Severity;
  const label = r.title ?? `rule ${r.id}`;
  return {
    id: `user:${r.id}`,
    kind: 'user-rule',
    severity,
    describe: label,
    run(input) {
      const hits: Hit[] = [];
      if (r.command) {
        const re = new RegExp(r.command);
        hits.push(...commandHits(input, { needles: [''], test: (t) => (re.test(t) ? label : null) }));
      }
      if (r.log) {
        const re = new RegExp(r.log);
        hits.push(...commandHits(input, { needles: [''], processes: false, test: (t) => (re.test(t) ? label : null) }));
      }
      if (r.endpoint) {
        const rule = parseAllowed(r.endpoint);
        const calls = rule ? input.calls().filter((c) => c.endpoint && matchesRule(c.endpoint, rule)) : [];
        const byEndpoint = new Map<string, typeof calls>();
        for (const c of calls) byEndpoint.set(c.endpoint!, [...(byEndpoint.get(c.endpoint!) ?? []), c]);
        for (const [endpoint, cs] of byEndpoint) {
          hits.push({
            title: `${label}: ${endpoint} (${cs.length} call${cs.length === 1 ? '' : 's'})`,
            endpoint, processId: cs[0]!.processId, stepId: cs[0]!.stepId, first: cs[0]!.ts, last: cs[cs.length - 1]!.ts,
            evidence: cs.slice(0, 1000).map((c) => ({ table: 'network', id: c.id })),
          });
        }
      }
      if (r.path) {
        const re = new RegExp(r.path);
        for (const f of input.files()) {
          if (!re.test(f.path)) continue;
          hits.push({
            title: clip(`${label}: ${f.op} ${f.path}`), processId: f.processId, stepId: input.stepOf(f.processId), first: f.ts,
            evidence: [{ table: 'file_events', id: f.id }],
          });
        }
      }
      return hits;
    },
  };
}

// ---------- IP and CIDR ----------
function ipv4ToBig(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return null;
  return o.reduce((a, x) => (a << 8n) | BigInt(x), 0n);
}
function ipv6ToBig(s: string): bigint | null {
  const addr = s.replace(/^\[|\]$/g, '').split('%')[0]!;
  if (!addr.includes(':')) return null;
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, null];
  const parts = (x: string | undefined | null) => (x ? x.split(':') : []);
  const h = parts(head), t = parts(tail);
  const fill = tail === null ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  const all = [...h, ...fill, ...t];
  if (all.length !== 8 || all.some((p) => !/^[0-9a-fA-F]{1,4}$/.test(p))) return null;
  return all.reduce((a, p) => (a << 16n) | BigInt(parseInt(p, 16)), 0n);
}
interface Net { v6: boolean; base: bigint; bits: number; raw: string }
function parseNet(s: string): Net | null {
  const [addr, len] = s.split('/');
  const v4 = ipv4ToBig(addr!.trim());
  const v6 = v4 === null ? ipv6ToBig(addr!.trim()) : null;
  if (v4 === null && v6 === null) return null;
  const total = v4 !== null ? 32 : 128;
  const bits = len === undefined ? total : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > total) return null;
  const shift = BigInt(total - bits);
  return { v6: v4 === null, base: ((v4 ?? v6)! >> shift) << shift, bits, raw: s };
}
function inNet(ip: string, n: Net): boolean {
  const v = n.v6 ? ipv6ToBig(ip) : ipv4ToBig(ip);
  if (v === null) return false;
  const shift = BigInt((n.v6 ? 128 : 32) - n.bits);
  return (v >> shift) << shift === n.base;
}

function domainMatcher(pattern: string): (host: string) => boolean {
  const p = normalizeHost(pattern);
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    return (h) => h.endsWith(suffix);
  }
  return (h) => h === p || h.endsWith('.' + p);
}

function iocRule(iocs: RulesSpec['iocs']): DetectionRule {
  return {
    id: 'ioc',
    kind: 'ioc-match',
    severity: 'high',
    describe: 'indicators of compromise from the rules file: domains, IPs, CIDRs, hashes',
    run(input) {
      const found = new Map<string, { what: string; evidence: EvidenceRef[]; first: bigint | null; endpoint: string | null; processId: number | null }>();
      const add = (what: string, ref: EvidenceRef, ts: bigint | null, endpoint: string | null, processId: number | null) => {
        let f = found.get(what);
        if (!f) found.set(what, (f = { what, evidence: [], first: ts, endpoint, processId }));
        if (f.evidence.length < 1000) f.evidence.push(ref);
        if (ts !== null && (f.first === null || ts < f.first)) f.first = ts;
      };
      const domains = (iocs.domains ?? []).map((d) => ({ d, m: domainMatcher(d) }));
      const nets = [...(iocs.ips ?? []), ...(iocs.cidrs ?? [])].map(parseNet).filter((n): n is Net => n !== null);
      const hashes = new Set((iocs.hashes ?? []).map((h) => h.trim().toLowerCase()));
      for (const c of input.calls()) {
        const host = c.endpoint ? parseHostPort(c.endpoint)?.host ?? null : c.domain ? normalizeHost(c.domain) : null;
        for (const { d, m } of domains) if (host && m(host)) add(`domain ${d}`, { table: 'network', id: c.id }, c.ts, c.endpoint, c.processId);
        for (const n of nets) if (c.ip && inNet(c.ip, n)) add(`address ${n.raw}`, { table: 'network', id: c.id }, c.ts, c.endpoint, c.processId);
        if (c.toolSha256 && hashes.has(c.toolSha256.toLowerCase())) add(`hash ${c.toolSha256.toLowerCase()}`, { table: 'network', id: c.id }, c.ts, null, c.processId);
      }
      for (const r of input.resolutions()) {
        const host = normalizeHost(r.domain);
        for (const { d, m } of domains) if (m(host)) add(`domain ${d}`, { table: 'dns', id: r.id }, r.ts, null, r.processId);
        for (const n of nets) if (r.answers.some((a) => inNet(a, n))) add(`address ${n.raw}`, { table: 'dns', id: r.id }, r.ts, null, r.processId);
      }
      if (hashes.size) {
        for (const f of input.files()) {
          if (f.sha256 && hashes.has(f.sha256.toLowerCase())) add(`hash ${f.sha256.toLowerCase()}`, { table: 'file_events', id: f.id }, f.ts, null, f.processId);
        }
      }
      return [...found.values()].map((f) => ({
        title: `IOC ${f.what} (${f.evidence.length} record${f.evidence.length === 1 ? '' : 's'})`,
        endpoint: f.endpoint,
        processId: f.processId,
        stepId: input.stepOf(f.processId),
        first: f.first,
        evidence: f.evidence,
      }));
    },
  };
}

export function userRules(spec: RulesSpec | null): DetectionRule[] {
  if (!spec) return [];
  const out = spec.rules.map(userRule);
  const i = spec.iocs;
  if ((i.domains?.length ?? 0) + (i.ips?.length ?? 0) + (i.cidrs?.length ?? 0) + (i.hashes?.length ?? 0) > 0) out.push(iocRule(i));
  return out;
}
