/**
 * `runlens export CASE --parquet DIR`: every table of the case as Parquet, one folder per table and one file per
 * run, so many runs exported into one DIR are one table per folder for any engine (DuckDB, ClickHouse, Trino,
 * Spark: `DIR/network/*.parquet`):
 *
 *   DIR/<table>/<run file name>.parquet      run file name = <repository>_<run_id>_<attempt>_<job>_<inputs12>
 *
 * Every row leads with the run identity and the input hashes (case-tables.ts). A file is written beside its final
 * name and renamed into place, so a reader never sees half a file; exporting the same case again replaces its files.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { quoteId, type RunIdentity } from './case-tables';
import { DuckTables, loadCase, openDuck } from './duck-load';

export interface ExportSummary {
  dir: string;
  run_key: string;
  inputs_sha256: string;
  files: { table: string; file: string; rows: number }[];
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';

/** The file name (without .parquet) of one run's export: readable, and unique by the input hashes. */
export function runFileName(id: RunIdentity): string {
  const parts = id.run_id !== null ? [id.run_repository ?? 'run', String(id.run_id), String(id.run_attempt ?? 1), id.run_job ?? 'job'] : ['inputs'];
  return `${parts.map(safe).join('_')}_${id.inputs_sha256.slice(0, 12)}`;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Below this case size one DuckDB thread exports faster (no pool to start, ~14 tiny COPYs): 0.15 -> 0.09 s a run. */
const SMALL_CASE_BYTES = 256 * 1024 * 1024;

export async function exportCaseToParquet(db: Db, dir: string): Promise<ExportSummary> {
  let bytes = Infinity;
  try {
    bytes = fs.statSync(db.name).size;
  } catch {
    /* in-memory or gone: the default */
  }
  const { instance, conn } = await openDuck(bytes < SMALL_CASE_BYTES ? { threads: 1 } : {});
  try {
    const t = new DuckTables(conn);
    const loaded = await loadCase(t, db);
    t.finish();
    const name = runFileName(loaded.identity);
    const files: ExportSummary['files'] = [];
    for (const table of [...t.tables.keys()].sort()) {
      const folder = path.join(dir, table);
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `${name}.parquet`);
      const partial = `${file}.partial-${randomBytes(4).toString('hex')}`;
      try {
        await conn.run(`COPY ${quoteId(table)} TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
        fs.renameSync(partial, file);
      } finally {
        fs.rmSync(partial, { force: true });
      }
      files.push({ table, file, rows: loaded.tables[table] ?? 0 });
    }
    return { dir, run_key: loaded.identity.run_key, inputs_sha256: loaded.identity.inputs_sha256, files };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
