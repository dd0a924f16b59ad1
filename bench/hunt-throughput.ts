/**
 * Benchmark 6: hunt throughput across runs. N generated runs (scripts/make-run-bundles.ts, one in 7 calls the
 * exfil endpoint) imported into case files, then exported to Parquet (`runlens export`'s code). The reference is
 * DuckDB reading the same Parquet directly (a fresh in-process instance, the same question as plain SQL over
 * read_parquet), measured in the same run, alternately with the measured side:
 *
 *   6a  `runlens hunt` over the case files (rows go SQLite -> DuckDB appender, then the query) vs the reference;
 *   6b  `runlens hunt` over the exported Parquet (discovery, views, read-only lock-down, the query) vs the reference.
 *
 * Reports cases/s and rows/s for each, and the process's peak RSS while hunting, for docs/fleet.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { exportCaseToParquet } from '../electron/export/parquet';
import { hunt } from '../electron/hunt/hunt';
import { endpointHunt } from '../electron/hunt/ready-made';
import { runImport } from '../electron/import/run-import';
import { writeRunBundle } from '../scripts/make-run-bundles';
import { fmtMs, median, nowMs } from './measure';
import type { BenchResult } from './report';

const ENDPOINT = 'telemetry.exfil.example:443';

/** The reference: a fresh DuckDB, one plain view per table over the Parquet glob, the same hunt SQL. */
async function directDuckDb(parquetDir: string, sql: string): Promise<number> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    for (const t of ['network', 'processes']) {
      await c.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet(${lit(path.join(parquetDir, t, '*.parquet'))}, union_by_name = true)`);
    }
    return (await c.runAndReadAll(sql)).getRows().length;
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

export async function huntThroughputBench(dir: string, cases: number, runs: number): Promise<BenchResult[]> {
  const casesDir = path.join(dir, 'hunt-cases');
  const bundles = path.join(dir, 'hunt-bundles');
  const pq = path.join(dir, 'hunt-parquet');
  fs.mkdirSync(casesDir, { recursive: true });
  let t = nowMs();
  for (let i = 1; i <= cases; i++) {
    const name = `run-${String(i).padStart(5, '0')}`;
    const b = writeRunBundle(path.join(bundles, name), {
      seed: i,
      ...(i % 7 === 0 ? { extraEndpoints: [ENDPOINT], extraProcess: { exe: '/usr/bin/curl', args: ['curl', '-sS', 'https://telemetry.exfil.example/v2/collect'] } } : {}),
    });
    await runImport({ inputs: [b.dir], casePath: path.join(casesDir, `${name}.runlens`) });
  }
  const importMs = nowMs() - t;
  t = nowMs();
  let networkRows = 0;
  for (const f of fs.readdirSync(casesDir).sort()) {
    const db = new Database(path.join(casesDir, f), { readonly: true });
    try {
      networkRows += (db.prepare('SELECT count(*) AS n FROM network').get() as { n: number }).n;
      await exportCaseToParquet(db, pq);
    } finally {
      db.close();
    }
  }
  const exportMs = nowMs() - t;
  const expected = Math.floor(cases / 7);
  const sql = endpointHunt(ENDPOINT);

  const overCases = async () => {
    const r = await hunt({ dir: casesDir, sql });
    if (r.rows.length !== expected) throw new Error(`hunt over cases found ${r.rows.length} runs, expected ${expected}`);
    return r.rows_loaded;
  };
  const overParquet = async () => {
    const r = await hunt({ dir: pq, sql });
    if (r.rows.length !== expected) throw new Error(`hunt over Parquet found ${r.rows.length} runs, expected ${expected}`);
  };
  const reference = async () => {
    const n = await directDuckDb(pq, sql);
    if (n !== expected) throw new Error(`DuckDB over Parquet found ${n} runs, expected ${expected}`);
  };

  // Alternate measured and reference runs so a burst of load from elsewhere lands on both.
  const measure = async (a: () => Promise<unknown>) => {
    await a();
    await reference();
    const ra: number[] = [];
    const rb: number[] = [];
    let peak = process.memoryUsage().rss;
    for (let i = 0; i < runs; i++) {
      for (const [fn, into] of (i % 2 ? [[reference, rb], [a, ra]] : [[a, ra], [reference, rb]]) as [() => Promise<unknown>, number[]][]) {
        const s = nowMs();
        await fn();
        into.push(nowMs() - s);
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    return { a: median(ra), b: median(rb), peak };
  };

  const rowsLoaded = await overCases();
  const m6a = await measure(overCases);
  const m6b = await measure(overParquet);
  const perSec = (n: number, ms: number) => (ms > 0 ? Math.round((n * 1000) / ms) : 0);
  const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
  const refText = (ms: number) => `DuckDB alone, same SQL over the same Parquet (${cases} files a table): ${perSec(cases, ms)} cases/s, ${perSec(networkRows, ms)} network rows/s`;
  const context = `${cases} runs, ${networkRows} calls; import ${fmtMs(importMs)}, export to Parquet ${fmtMs(exportMs)} (${perSec(cases, exportMs)} cases/s)`;
  return [
    {
      id: '6a',
      name: `hunt: runs that called an endpoint, over ${cases} case files`,
      measured: `runlens hunt over the case files: ${perSec(cases, m6a.a)} cases/s, ${perSec(rowsLoaded, m6a.a)} rows/s loaded (${rowsLoaded} rows)`,
      measuredMs: m6a.a,
      reference: refText(m6a.b),
      referenceMs: m6a.b,
      // Case files are read row by row into DuckDB (its SQLite reader would need a download): the price of
      // reading SQLite (measured 6-14x on a loaded 2-core box); the goal guards against regressions. Export to
      // Parquet for repeated hunts.
      maxRatio: 40,
      notes: [context, `peak RSS while hunting: ${mib(m6a.peak)}`],
    },
    {
      id: '6b',
      name: `hunt: runs that called an endpoint, over the Parquet export of ${cases} runs`,
      measured: `runlens hunt over Parquet: ${perSec(cases, m6b.a)} cases/s, ${perSec(networkRows, m6b.a)} network rows/s`,
      measuredMs: m6b.a,
      reference: refText(m6b.b),
      referenceMs: m6b.b,
      maxRatio: 3,
      notes: [`peak RSS while hunting: ${mib(m6b.peak)}`],
    },
  ];
}
