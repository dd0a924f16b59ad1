/**
 * One pass over `network`, in id chunks: for each call its process instance, its domain (from DNS when the call
 * has only an IP), its normalized endpoint, its verdict against the policy, its step and running step. Endpoint
 * statistics are gathered for the findings on the way.
 * Verdicts: `blocked` (status blocked), else with a policy `allowed` / `outside-policy`, else `no-policy`.
 * A call is allowed when its endpoint (domain when known) or its `ip:port` is on the allow-list.
 */
import type { Db } from '../db/open';
import { allowedBy, normalizeEndpoint, parseHostPort } from '../../shared/endpoint';
import type { CaseContext } from './case-context';
import { callStep } from './attribution';
import type { DnsIndex } from './dns-fill';
import type { PidIndex } from './process-model';
import type { StepIndex } from './step-index';

export interface EndpointStats {
  /** Every call to the endpoint. */
  calls: number;
  first: bigint;
  last: bigint;
  /** Calls that are findings (outside the policy or blocked). */
  flagged: number;
  flaggedFirst: bigint | null;
  flaggedLast: bigint | null;
  blocked: number;
  /** Calls outside the allow-list (blocked or not) and those of them that were not blocked. */
  outside: number;
  outsideNotBlocked: number;
}

/** One call as read: a raw array (no object per row), integers as bigints (`safeIntegers`). */
type CallRow = [
  id: bigint,
  ts: bigint,
  pid: bigint | null,
  domain: string | null,
  domain_origin: string | null,
  ip: string | null,
  port: bigint,
  status: string,
  http_host: string | null,
];

const CHUNK = 20_000;
/** Hosts whose endpoints `NetworkAnalyser` keeps (then it starts over: a file of ever new hosts costs no memory). */
const ENDPOINT_CACHE_MAX = 10_000;
const isIpLiteral = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');

/** The derived columns of one call, in the order of the UPDATE below (and of the writer's INSERT). */
export type CallDerived = [
  process_id: number | null,
  domain: string | null,
  domain_origin: string | null,
  endpoint: string | null,
  verdict: string,
  step_id: number | null,
  running_step_id: number | null,
];

/**
 * Per call, in id order: its derived columns, and the endpoint statistics gathered on the way. Used by the pass
 * below over stored rows, and by the import's writer on each call as it is inserted (network-live.ts).
 */
export class NetworkAnalyser {
  readonly stats = new Map<string, EndpointStats>();
  private readonly allowedCache = new Map<string, boolean>();
  /**
   * normalizeEndpoint's answers by host and port: calls repeat a few endpoints, and the same string each time makes
   * the Map lookups after it (allow-list, statistics) cheaper (scale: 500k calls in the calls worker). Bounded.
   */
  private readonly endpoints = new Map<string, Map<number, string>>();

  constructor(
    private readonly ctx: CaseContext,
    private readonly pids: PidIndex,
    private readonly steps: StepIndex,
    private readonly dns: DnsIndex,
  ) {}

  private endpointOf(host: string, port: number): string {
    let byPort = this.endpoints.get(host);
    if (!byPort) {
      if (this.endpoints.size >= ENDPOINT_CACHE_MAX) this.endpoints.clear();
      this.endpoints.set(host, (byPort = new Map()));
    }
    let ep = byPort.get(port);
    if (ep === undefined) byPort.set(port, (ep = normalizeEndpoint(host, port)));
    return ep;
  }

  private allowed(ep: string): boolean {
    let v = this.allowedCache.get(ep);
    const policy = this.ctx.policy;
    if (v === undefined) this.allowedCache.set(ep, (v = policy !== null && allowedBy(ep, policy.rules) !== null));
    return v;
  }

  /** One call's stored values (as `network` holds them before the analysis) -> its derived columns. */
  derive(
    ts: bigint,
    pid: number | null,
    recDomain: string | null,
    recOrigin: string | null,
    ip: string | null,
    port: number,
    status: string,
    httpHost: string | null,
  ): CallDerived {
    const policy = this.ctx.policy;
    const proc = this.pids.lookup(pid, ts);

    // Domain: the record's own; else DNS; else the inspected HTTP Host (a name, not an IP literal).
    let domain = recOrigin === 'dns' || recOrigin === 'http' ? null : recDomain;
    let origin: string | null = domain !== null && domain !== '' ? (recOrigin ?? 'record') : null;
    if (domain === '') domain = null;
    if (domain === null && ip) {
      const d = this.dns.domainFor(ip, ts);
      if (d) { domain = d; origin = 'dns'; }
    }
    if (domain === null && httpHost) {
      const hp = parseHostPort(httpHost, port);
      if (hp && !isIpLiteral(hp.host)) { domain = hp.host; origin = 'http'; }
    }

    const host = domain ?? ip;
    const endpoint = host ? this.endpointOf(host, port) : null;
    const blocked = status === 'blocked';
    let outside = false;
    if (policy && endpoint) {
      outside = !this.allowed(endpoint) && !(ip && domain && this.allowed(normalizeEndpoint(ip, port)));
    }
    const verdict = blocked ? 'blocked' : policy === null ? 'no-policy' : outside ? 'outside-policy' : 'allowed';

    const running = this.steps.at(ts);
    const step = proc && proc.entry ? callStep(proc, ts, this.steps) : running;

    if (endpoint) {
      let s = this.stats.get(endpoint);
      if (!s) {
        s = { calls: 0, first: ts, last: ts, flagged: 0, flaggedFirst: null, flaggedLast: null, blocked: 0, outside: 0, outsideNotBlocked: 0 };
        this.stats.set(endpoint, s);
      }
      s.calls++;
      if (ts < s.first) s.first = ts;
      if (ts > s.last) s.last = ts;
      if (blocked || outside) {
        s.flagged++;
        if (s.flaggedFirst === null || ts < s.flaggedFirst) s.flaggedFirst = ts;
        if (s.flaggedLast === null || ts > s.flaggedLast) s.flaggedLast = ts;
        if (blocked) s.blocked++;
        if (outside) {
          s.outside++;
          if (!blocked) s.outsideNotBlocked++;
        }
      }
    }
    return [proc?.id ?? null, domain, origin, endpoint, verdict, step, running];
  }
}

export function analyseNetwork(
  db: Db,
  ctx: CaseContext,
  pids: PidIndex,
  steps: StepIndex,
  dns: DnsIndex,
): Map<string, EndpointStats> {
  const a = new NetworkAnalyser(ctx, pids, steps, dns);
  const sel = db
    .prepare(
      `SELECT id, ts, pid, domain, domain_origin, ip, port, status, http_host FROM network
       WHERE id > ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .safeIntegers(true)
    .raw(true);
  const upd = db.prepare(
    `UPDATE network SET process_id = ?, domain = ?, domain_origin = ?, endpoint = ?, verdict = ?, step_id = ?,
       running_step_id = ? WHERE id = ?`,
  );

  let after = 0n;
  for (;;) {
    const rows = sel.all(after) as CallRow[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const [id, ts, pidB, recDomain, recOrigin, ip, portB, status, httpHost] = r;
      const d = a.derive(ts, pidB === null ? null : Number(pidB), recDomain, recOrigin, ip, Number(portB), status, httpHost);
      upd.run(d[0], d[1], d[2], d[3], d[4], d[5], d[6], id);
    }
    after = rows[rows.length - 1]![0];
  }
  return a.stats;
}
