/**
 * DNS domain fill: a call with an IP and no domain takes the domain of the latest resolution of that IP at or
 * before it (`dns_answers`). Answers are held per IP in sorted arrays (one read of the table).
 */
import type { Db } from '../db/open';
import { normalizeHost } from '../../shared/endpoint';

export class DnsIndex {
  private readonly byIp = new Map<string, { ts: bigint[]; domain: string[] }>();

  constructor(db: Db) {
    const rows = db.prepare('SELECT ip, ts, domain FROM dns_answers ORDER BY ts, dns_id').safeIntegers(true);
    for (const r of rows.iterate() as IterableIterator<{ ip: string; ts: bigint; domain: string }>) {
      const ip = normalizeHost(r.ip);
      let e = this.byIp.get(ip);
      if (!e) this.byIp.set(ip, (e = { ts: [], domain: [] }));
      e.ts.push(r.ts);
      e.domain.push(r.domain);
    }
  }

  get size(): number {
    return this.byIp.size;
  }

  /** Domain of the latest resolution of `ip` at or before `t`, or null. */
  domainFor(ip: string, t: bigint): string | null {
    const e = this.byIp.get(normalizeHost(ip));
    if (!e) return null;
    let lo = 0, hi = e.ts.length - 1, i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (e.ts[mid]! <= t) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return i >= 0 ? e.domain[i]! : null;
  }
}
