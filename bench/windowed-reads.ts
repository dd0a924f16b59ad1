/**
 * Benchmark 2: windowed reads stay flat. Through the API (createApi: zod validation + the named queries):
 * `network.query` at offset 0 vs the last page, `log.window` at line 0 vs the last page, and a first page of calls
 * vs fetching the whole network table. The query plans of the statements network.query really prepares are
 * printed with the result (captured from the query code, not rewritten here).
 */
import Database from 'better-sqlite3';
import { createApi, type Api } from '../electron/api/dispatch';
import { openCaseReadOnly, type Db } from '../electron/db/open';
import { queryNetwork } from '../electron/queries/network-list';
import type { ParsedParams } from '../shared/api';
import { compareHeavy, comparePair, fmtMs, medianMs } from './measure';
import type { BenchResult } from './report';

const PAGE = 200;

async function call<T>(api: Api, method: string, params: unknown): Promise<T> {
  const r = await api.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error}`);
  return r.value as T;
}

/** EXPLAIN QUERY PLAN of every statement `queryNetwork` prepares for these params (its own SQL, captured). */
function networkQueryPlans(casePath: string, offset: number): string[] {
  const db: Db = openCaseReadOnly(casePath);
  try {
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    const params = { filter: {}, sort: 'ts', dir: 'asc', offset, limit: PAGE } as ParsedParams<'network.query'>;
    queryNetwork(db, params);
    return seen
      .filter((sql) => /^\s*SELECT/i.test(sql) && /FROM network n/.test(sql))
      .map((sql) => {
        const n = (sql.match(/\?/g) ?? []).length;
        const args = n === 2 ? [PAGE, offset] : Array(n).fill(null);
        const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
        const what = /count\(\*\)/i.test(sql) ? 'count' : 'page';
        return `${what}: ${plan.join('; ')}`;
      });
  } finally {
    db.close();
  }
}

export async function windowedReads(casePath: string, quick: boolean): Promise<BenchResult[]> {
  const api = createApi(casePath);
  const runs = quick ? 5 : 7;
  try {
    // ---- network.query: first page vs last page ----
    const first = await call<{ total: number; rows: { id: number }[] }>(api, 'network.query', {
      offset: 0,
      limit: PAGE,
    });
    const total = first.total;
    const lastOffset = Math.max(0, total - PAGE);
    const last = await call<{ total: number; rows: { id: number }[] }>(api, 'network.query', {
      offset: lastOffset,
      limit: PAGE,
    });
    if (first.rows.length !== PAGE || last.rows.length !== PAGE)
      throw new Error(`network.query returned ${first.rows.length} / ${last.rows.length} rows, expected ${PAGE}`);
    // api.call is async only in name: the query runs synchronously inside it, so timing the call times the query.
    const netShallow = () => api.call('network.query', { offset: 0, limit: PAGE });
    const netDeep = () => api.call('network.query', { offset: lastOffset, limit: PAGE });
    const net = comparePair(netDeep, netShallow, runs);

    const ro = new Database(casePath, { readonly: true });
    // What the deep page could cost: skipping `offset` entries of the covering index network_ts, ids only.
    const idsOnly = ro.prepare('SELECT id FROM network ORDER BY ts, id LIMIT ? OFFSET ?');
    const skipMs = medianMs(() => idsOnly.all(PAGE, lastOffset), 5);
    const countMs = medianMs(() => ro.prepare('SELECT count(*) FROM network').get(), 5);

    // ---- log.window: line 0 vs the last page ----
    const lw0 = await call<{ total: number; rows: unknown[] }>(api, 'log.window', { offset: 0, limit: PAGE });
    const logLast = Math.max(0, lw0.total - PAGE);
    const lwN = await call<{ total: number; rows: unknown[] }>(api, 'log.window', { offset: logLast, limit: PAGE });
    if (lw0.rows.length !== PAGE || lwN.rows.length !== PAGE)
      throw new Error(`log.window returned ${lw0.rows.length} / ${lwN.rows.length} rows`);
    const log = comparePair(
      () => api.call('log.window', { offset: logLast, limit: PAGE }),
      () => api.call('log.window', { offset: 0, limit: PAGE }),
      runs,
    );

    // ---- first page vs the whole table (one run of the whole table: it takes seconds) ----
    const all = ro.prepare('SELECT * FROM network').safeIntegers(true);
    let fetched = 0;
    const full = compareHeavy(netShallow, () => (fetched = all.all().length), runs);
    ro.close();
    if (fetched !== total)
      throw new Error(`SELECT * FROM network returned ${fetched} rows, network.query total says ${total}`);

    return [
      {
        id: '2a',
        name: `network.query last page vs first page (${total} calls)`,
        measured: `network.query offset ${lastOffset}, limit ${PAGE}, sort ts (median of ${runs})`,
        measuredMs: net.a,
        reference: `network.query offset 0, limit ${PAGE}`,
        referenceMs: net.b,
        maxRatio: 3,
        notes: [
          ...networkQueryPlans(casePath, lastOffset).map(
            (p) => `plan (electron/queries/network-list.ts NetworkList.query) ${p}`,
          ),
          `for comparison: ids of the last page by OFFSET over the covering index network_ts ${fmtMs(skipMs)}; SELECT count(*) FROM network ${fmtMs(countMs)}`,
        ],
      },
      {
        id: '2b',
        name: `log.window last page vs line 0 (${lw0.total} lines)`,
        measured: `log.window offset ${logLast}, limit ${PAGE} (median of ${runs})`,
        measuredMs: log.a,
        reference: `log.window offset 0, limit ${PAGE}`,
        referenceMs: log.b,
        maxRatio: 3,
        notes: [],
      },
      {
        id: '2c',
        name: 'network.query first page vs full-table fetch',
        measured: `network.query offset 0, limit ${PAGE} (median of ${runs})`,
        measuredMs: full.a,
        reference: `SELECT * FROM network, all ${total} rows (.all(), one run)`,
        referenceMs: full.b,
        maxRatio: 0.01,
        notes: [`page runs: ${full.runsA.map(fmtMs).join(', ')}`],
      },
    ];
  } finally {
    api.close();
  }
}
