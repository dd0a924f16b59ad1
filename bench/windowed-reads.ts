/**
 * Benchmark 2: windowed reads stay flat. Through the API (createApi: zod validation + the named queries):
 * `network.query` at offset 0 vs the last page, `log.window` at line 0 vs the last page, and a first page of calls
 * vs fetching the whole network table.
 */
import Database from 'better-sqlite3';
import { createApi, type Api } from '../electron/api/dispatch';
import { comparePair, fmtMs } from './measure';
import type { BenchResult } from './report';

const PAGE = 200;

async function call<T>(api: Api, method: string, params: unknown): Promise<T> {
  const r = await api.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error}`);
  return r.value as T;
}

export async function windowedReads(casePath: string, quick: boolean): Promise<BenchResult[]> {
  const api = createApi(casePath);
  const runs = quick ? 5 : 9;
  try {
    // ---- network.query: first page vs last page ----
    const first = await call<{ total: number; rows: { id: number }[] }>(api, 'network.query', { offset: 0, limit: PAGE });
    const total = first.total;
    const lastOffset = Math.max(0, total - PAGE);
    const last = await call<{ total: number; rows: { id: number }[] }>(api, 'network.query', { offset: lastOffset, limit: PAGE });
    if (first.rows.length !== PAGE || last.rows.length !== PAGE) throw new Error(`network.query returned ${first.rows.length} / ${last.rows.length} rows, expected ${PAGE}`);
    const netShallow = () => api.call('network.query', { offset: 0, limit: PAGE });
    const netDeep = () => api.call('network.query', { offset: lastOffset, limit: PAGE });
    // api.call is async only in name: the query runs synchronously inside it, so timing the call times the query.
    const net = comparePair(netDeep, netShallow, runs);

    const ro = new Database(casePath, { readonly: true });
    const plan = ro
      .prepare(
        `EXPLAIN QUERY PLAN SELECT n.id FROM network n LEFT JOIN findings f ON f.id = n.finding_id LEFT JOIN steps s ON s.id = n.step_id
         LEFT JOIN steps rs ON rs.id = n.running_step_id LEFT JOIN processes p ON p.id = n.process_id ORDER BY n.ts ASC, n.id ASC LIMIT ? OFFSET ?`,
      )
      .all(PAGE, lastOffset) as { detail: string }[];

    // ---- log.window: line 0 vs the last page ----
    const lw0 = await call<{ total: number; rows: unknown[] }>(api, 'log.window', { offset: 0, limit: PAGE });
    const logLast = Math.max(0, lw0.total - PAGE);
    const lwN = await call<{ total: number; rows: unknown[] }>(api, 'log.window', { offset: logLast, limit: PAGE });
    if (lw0.rows.length !== PAGE || lwN.rows.length !== PAGE) throw new Error(`log.window returned ${lw0.rows.length} / ${lwN.rows.length} rows`);
    const log = comparePair(
      () => api.call('log.window', { offset: logLast, limit: PAGE }),
      () => api.call('log.window', { offset: 0, limit: PAGE }),
      runs,
    );

    // ---- first page vs the whole table ----
    const all = ro.prepare('SELECT * FROM network').safeIntegers(true);
    let fetched = 0;
    const full = comparePair(netShallow, () => (fetched = all.all().length), 3, 1);
    ro.close();
    if (fetched !== total) throw new Error(`SELECT * FROM network returned ${fetched} rows, network.query total says ${total}`);

    return [
      {
        id: '2a',
        name: `network.query deep page vs first page (${total} calls)`,
        measured: `network.query offset ${lastOffset}, limit ${PAGE}, sort ts (median of ${runs})`,
        measuredMs: net.a,
        reference: `network.query offset 0, limit ${PAGE}`,
        referenceMs: net.b,
        maxRatio: 3,
        notes: [`query plan (network-list.ts NetworkList.query, LIMIT/OFFSET): ${plan.map((p) => p.detail).join('; ')}`],
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
        measured: `network.query offset 0, limit ${PAGE} (median of 3)`,
        measuredMs: full.a,
        reference: `SELECT * FROM network, all ${total} rows (.all(), median of 3)`,
        referenceMs: full.b,
        maxRatio: 0.01,
        notes: [`runs: page ${full.runsA.map(fmtMs).join(', ')}; full ${full.runsB.map(fmtMs).join(', ')}`],
      },
    ];
  } finally {
    api.close();
  }
}
