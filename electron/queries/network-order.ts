/**
 * The unfiltered calls in time order, by rank (`network_order`, migration 4): a page at any depth is a rowid
 * range, the total is the last rank, and the first call at or after a time is a binary search over ranks. Used by
 * network-list.ts when no filter applies and the order is time; `available` is false for a case whose table is
 * empty while it holds calls (made before the migration), and the list then pages with OFFSET as before.
 * A window is one statement (`orderRowsSql`): the rank range of network_order drives the loop (CROSS JOIN keeps
 * it outermost, so no sort), each call and its joins read by primary key.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

/** The window's rows: `cols` and `joins` over `network n`. Params: rank bound (see `bound`), limit. */
export const orderRowsSql = (cols: string, joins: string, desc: boolean): string =>
  `SELECT ${cols} FROM network_order o CROSS JOIN network n ON n.id = o.id ${joins}
  WHERE o.rank ${desc ? '<=' : '>'} ? ORDER BY o.rank ${desc ? 'DESC' : 'ASC'} LIMIT ?`;
export const ORDER_TS_AT_SQL = 'SELECT ts FROM network_order WHERE rank = ?';

export class NetworkOrder {
  readonly total: number;
  readonly available: boolean;
  private readonly tsAt: Statement | null;

  constructor(db: Db) {
    const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'network_order'`).get() !== undefined;
    const last = (has ? db.prepare('SELECT coalesce(max(rank), 0) AS n FROM network_order').get() : { n: 0 }) as { n: number };
    const any = db.prepare('SELECT 1 FROM network LIMIT 1').get() !== undefined;
    this.total = Number(last.n);
    // (no table or an empty one while calls exist: a case from before migration 4, or one still being imported)
    this.available = this.total > 0 && any;
    const prep = (sql: string) => (has ? db.prepare(sql).pluck().safeIntegers(true) : null);
    this.tsAt = prep(ORDER_TS_AT_SQL);
  }

  /** The rank bound of `orderRowsSql` for the window [offset, offset + limit) in time order (asc) or reversed. */
  bound(offset: number, desc: boolean): number {
    return desc ? this.total - offset : offset;
  }

  /** How many calls come before `ts` (the index of the first call at or after it). */
  before(ts: bigint): number {
    let lo = 1;
    let hi = this.total + 1; // first rank whose ts >= t, in [1, total + 1]
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.tsAt!.get(mid) as bigint) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
