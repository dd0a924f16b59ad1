/**
 * The network table's queries: one filtered, sorted window of calls (`network.query`), the position of one call in
 * that order (`network.indexOf`), and the first call at or after a time (`network.indexAt`). Only the requested
 * window leaves the database; the total is a COUNT.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../db/open';
import type { ParsedParams, Result } from '../../shared/api';
import { parseRfc3339, TimeError } from '../../shared/time';
import { CALL_JOINS, listColumns, networkRow } from './network-rows';
import { NetworkOrder, orderRowsSql } from './network-order';
import { readPolicy } from './policy';
import { callFilterSql, parseFilterParam, registerFilterFunctions } from './filter-sql';
import { numOr0, QueryError, type Row } from './values';

type Filter = ParsedParams<'network.query'>['filter'];
type Sort = ParsedParams<'network.query'>['sort'];
type Dir = ParsedParams<'network.query'>['dir'];

/** Base name of a path column in SQL (`/usr/bin/curl` -> `curl`). */
const basenameSql = (col: string) => `replace(${col}, rtrim(${col}, replace(${col}, '/', '')), '')`;
/** The label the table shows in its Process column. */
const PROCESS_LABEL = `coalesce(n.process_name, ${basenameSql('p.exe')}, ${basenameSql('n.exe')})`;

/** ORDER BY keys per sortable column; every order ends on ts and id so it is total and stable. */
const SORT_KEYS: Record<Sort, string[]> = {
  ts: [], // n.ts is the common tail below: naming it twice made SQLite sort every row before the OFFSET
  process: [`${PROCESS_LABEL} IS NULL`, `lower(${PROCESS_LABEL})`],
  domain: ['coalesce(n.domain, n.ip) IS NULL', 'lower(coalesce(n.domain, n.ip))'],
  endpoint: ['n.endpoint IS NULL', 'n.endpoint', 'n.port'],
  http: ['n.http_method IS NULL', 'n.http_method', 'n.http_path'],
  status: ['n.status', 'n.http_status IS NULL', 'n.http_status'],
  finding: ['n.finding_id IS NULL', 'f.kind', 'n.finding_id'],
};

function orderBy(sort: Sort, dir: Dir): string {
  const d = dir === 'desc' ? 'DESC' : 'ASC';
  // "IS NULL" keys keep empty cells last whatever the direction.
  const keys = SORT_KEYS[sort].map((k) => (k.endsWith('IS NULL') ? `${k} ASC` : `${k} ${d}`));
  return [...keys, `n.ts ${d}`, `n.id ${d}`].join(', ');
}

function timeParam(name: string, v: string): bigint {
  try {
    return parseRfc3339(v);
  } catch (e) {
    throw new QueryError(`${name}: ${e instanceof TimeError ? e.message : String(e)}`);
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** The verdict as the contract names it (values.ts verdictOf), in SQL, for `verdict:` filters. */
const verdictSql = (hasPolicy: boolean) =>
  `CASE n.verdict WHEN 'allowed-by-policy' THEN 'allowed' WHEN 'allowed' THEN 'allowed' WHEN 'outside-policy' THEN 'outside-policy' WHEN 'blocked' THEN 'blocked' WHEN 'no-policy' THEN 'no-policy' ELSE CASE WHEN n.status = 'blocked' THEN 'blocked' ELSE '${hasPolicy ? 'allowed' : 'no-policy'}' END END`;

function where(filter: Filter, hasPolicy = false): { sql: string; args: (string | number | bigint)[] } {
  const parts: string[] = [];
  const args: (string | number | bigint)[] = [];
  const tree = parseFilterParam(filter.expr);
  if (tree) {
    const f = callFilterSql(tree, { processLabel: PROCESS_LABEL, verdict: verdictSql(hasPolicy) });
    parts.push(f.sql);
    args.push(...f.args);
  }
  if (filter.findingsOnly) parts.push('n.finding_id IS NOT NULL');
  if (filter.processId !== undefined) {
    parts.push('n.process_id = ?');
    args.push(filter.processId);
  }
  if (filter.from !== undefined) {
    parts.push('n.ts >= ?');
    args.push(timeParam('from', filter.from));
  }
  if (filter.to !== undefined) {
    parts.push('n.ts <= ?');
    args.push(timeParam('to', filter.to));
  }
  const q = filter.search?.trim();
  if (q) {
    const cols = [
      'n.domain',
      'n.ip',
      PROCESS_LABEL,
      'n.http_path',
      'n.http_host',
      'n.endpoint',
      'n.command_line',
      'p.exe',
      'CAST(n.pid AS TEXT)',
    ];
    // Every word must match some column (case-insensitive for ASCII, as LIKE is).
    for (const word of q.split(/\s+/).slice(0, 8)) {
      parts.push(`(${cols.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      for (let i = 0; i < cols.length; i++) args.push(`%${escapeLike(word)}%`);
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

const JOINS = `${CALL_JOINS} LEFT JOIN processes p ON p.id = n.process_id`;
const FROM = `FROM network n ${JOINS}`;
const LIST_COLUMNS = listColumns(PROCESS_LABEL);
/** A window of the unfiltered calls in time order, oldest / newest first (network-order.ts). */
export const ORDER_ROWS_SQL = orderRowsSql(LIST_COLUMNS, JOINS, false);
export const ORDER_ROWS_DESC_SQL = orderRowsSql(LIST_COLUMNS, JOINS, true);
/** The rows of the ids a sorted or filtered window found (a JSON array of ids). */
export const ROWS_BY_IDS_SQL = `SELECT ${LIST_COLUMNS} ${FROM} WHERE n.id IN (SELECT value FROM json_each(?))`;

/**
 * The FROM clause a filter + sort needs: the joins only when the search or the order reads a joined table
 * (process label, finding kind). Without them the window is read off the `network_ts` index alone, so a deep
 * page costs no more than the first.
 */
function fromFor(filter: Filter, sort: Sort | null): string {
  const joined = !!filter.search?.trim() || !!filter.expr?.trim() || sort === 'process';
  if (joined) return FROM;
  if (sort === 'finding') return 'FROM network n LEFT JOIN findings f ON f.id = n.finding_id';
  return 'FROM network n';
}

/** Filtered calls per time bucket; params: start, shift, the filter's args, start, end (exported for the plan test). */
export const CALL_DENSITY_SQL = (from: string, cond: string) =>
  `SELECT (n.ts - ?) >> ? AS b, count(*) AS c ${from} ${cond} n.ts >= ? AND n.ts < ? GROUP BY b ORDER BY b`;

/** Prepared statements are cached per SQL text: the table asks for many windows of the same order. */
class NetworkList {
  private readonly stmts = new Map<string, Database.Statement<unknown[]>>();
  private readonly hasPolicy: boolean;
  private order: NetworkOrder | undefined;

  constructor(private readonly db: Db) {
    this.hasPolicy = readPolicy(db) !== null;
    registerFilterFunctions(db);
  }

  private stmt(sql: string) {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql).safeIntegers(true);
      if (this.stmts.size > 64) this.stmts.clear();
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * The rows of a window as objects, read as arrays (`raw`) and zipped with the column names here: better-sqlite3
   * builds a row object property by property, about a third of a 200-row window's time (benchmark 8d).
   */
  private rows(sql: string, ...args: unknown[]): Row[] {
    const s = this.stmt(sql);
    const names = s.columns().map((c) => c.name);
    return (s.raw(true).all(...args) as Row[keyof Row][][]).map((a) => {
      const o: Row = {};
      for (let i = 0; i < names.length; i++) o[names[i]!] = a[i];
      return o;
    });
  }

  private count(filter: Filter, w: { sql: string; args: unknown[] }): number {
    return numOr0((this.stmt(`SELECT count(*) AS n ${fromFor(filter, null)} ${w.sql}`).get(...w.args) as Row).n);
  }

  /** The ranked time order, when this query can use it: no filter, time order, and the case has it. */
  private ranked(w: { sql: string }, sort: Sort): NetworkOrder | null {
    if (w.sql !== '' || sort !== 'ts') return null;
    this.order ??= new NetworkOrder(this.db);
    return this.order.available ? this.order : null;
  }

  query(p: ParsedParams<'network.query'>): Result<'network.query'> {
    const w = where(p.filter, this.hasPolicy);
    const ranked = this.ranked(w, p.sort);
    if (ranked) {
      // One statement: the rank range of network_order, each call and its joins by primary key.
      const desc = p.dir === 'desc';
      const rows = this.rows(desc ? ORDER_ROWS_DESC_SQL : ORDER_ROWS_SQL, ranked.bound(p.offset, desc), p.limit);
      return { total: ranked.total, rows: rows.map((r) => networkRow(r, this.hasPolicy)) };
    }
    const total = this.count(p.filter, w);
    // Two steps: the window's ids (cheap joins only), then the full rows of just those ids.
    const ids = (
      this.stmt(`SELECT n.id AS id ${fromFor(p.filter, p.sort)} ${w.sql} ORDER BY ${orderBy(p.sort, p.dir)} LIMIT ? OFFSET ?`).all(
        ...w.args,
        p.limit,
        p.offset,
      ) as Row[]
    ).map((r) => r.id as bigint);
    if (ids.length === 0) return { total, rows: [] };
    const rows = this.rows(ROWS_BY_IDS_SQL, `[${ids.join(',')}]`);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return { total, rows: ids.map((id) => networkRow(byId.get(String(id))!, this.hasPolicy)) };
  }

  indexOf(p: ParsedParams<'network.indexOf'>): Result<'network.indexOf'> {
    const w = where(p.filter, this.hasPolicy);
    if (p.sort === 'ts') {
      // Position in time order = how many filtered calls come before it: two index range counts, no sort.
      const me = this.stmt(`SELECT n.ts AS ts, n.id AS id ${fromFor(p.filter, null)} ${w.sql ? `${w.sql} AND` : 'WHERE'} n.id = ?`).get(
        ...w.args,
        p.id,
      ) as Row | undefined;
      if (!me) return { index: -1 };
      const cond = `${w.sql ? `${w.sql} AND` : 'WHERE'} ${p.dir === 'desc' ? '(n.ts > ? OR (n.ts = ? AND n.id > ?))' : '(n.ts < ? OR (n.ts = ? AND n.id < ?))'}`;
      const before = this.stmt(`SELECT count(*) AS n ${fromFor(p.filter, null)} ${cond}`).get(...w.args, me.ts, me.ts, me.id) as Row;
      return { index: numOr0(before.n) };
    }
    const r = this.stmt(
      `SELECT rn FROM (SELECT n.id AS id, row_number() OVER (ORDER BY ${orderBy(p.sort, p.dir)}) - 1 AS rn ${fromFor(p.filter, p.sort)} ${w.sql}) WHERE id = ?`,
    ).get(...w.args, p.id) as Row | undefined;
    return { index: r ? numOr0(r.rn) : -1 };
  }

  /** Index (in the filtered list, time order) of the first call at or after `ts`, else the last one before it. */
  indexAt(p: ParsedParams<'network.indexAt'>): Result<'network.indexAt'> {
    const w = where(p.filter, this.hasPolicy);
    const ts = timeParam('ts', p.ts);
    const ranked = this.ranked(w, 'ts');
    if (ranked) return { index: ranked.total === 0 ? -1 : Math.min(ranked.before(ts), ranked.total - 1) };
    const cond = w.sql ? `${w.sql} AND` : 'WHERE';
    const before = numOr0((this.stmt(`SELECT count(*) AS n ${fromFor(p.filter, null)} ${cond} n.ts < ?`).get(...w.args, ts) as Row).n);
    const total = this.count(p.filter, w);
    if (total === 0) return { index: -1 };
    return { index: Math.min(before, total - 1) };
  }

  /** Filtered calls per time bucket (`network.density`): one row per non-empty bucket, read off the ts range. */
  density(p: ParsedParams<'network.density'>): Result<'network.density'> {
    const w = where(p.filter, this.hasPolicy);
    const start = timeParam('start', p.start);
    const shift = BigInt(p.bucket_log2);
    const end = start + (BigInt(p.buckets) << shift);
    const cond = w.sql ? `${w.sql} AND` : 'WHERE';
    const hits = { b: [] as number[], n: [] as number[] };
    const sql = CALL_DENSITY_SQL(fromFor(p.filter, null), cond);
    for (const r of this.stmt(sql).iterate(start, shift, ...w.args, start, end) as IterableIterator<Row>) {
      hits.b.push(numOr0(r.b));
      hits.n.push(numOr0(r.c));
    }
    return { start: p.start, bucket_log2: p.bucket_log2, buckets: p.buckets, hits };
  }
}

const lists = new WeakMap<Db, NetworkList>();
function listFor(db: Db): NetworkList {
  let l = lists.get(db);
  if (!l) lists.set(db, (l = new NetworkList(db)));
  return l;
}

export function queryNetwork(db: Db, p: ParsedParams<'network.query'>): Result<'network.query'> {
  return listFor(db).query(p);
}

export function networkIndexOf(db: Db, p: ParsedParams<'network.indexOf'>): Result<'network.indexOf'> {
  return listFor(db).indexOf(p);
}

export function networkIndexAt(db: Db, p: ParsedParams<'network.indexAt'>): Result<'network.indexAt'> {
  return listFor(db).indexAt(p);
}

export function networkDensity(db: Db, p: ParsedParams<'network.density'>): Result<'network.density'> {
  return listFor(db).density(p);
}
