/**
 * `runlens hunt DIR "SQL"`: one read-only query over every run under DIR at once, in DuckDB embedded in this
 * process. Parquet files (`runlens export`) are read in place through views, one per table (`network` = every
 * DIR/…/network/*.parquet, columns matched by name). Case files are loaded into DuckDB first (its SQLite reader
 * is an extension it would download; see export/duck-load.ts), only the tables the query names, one case after
 * the other with a progress callback. Where a table has both, the view is their union by column name.
 * Every row carries its run: run_key, run_repository, run_id, run_attempt, run_job, inputs_sha256, … .
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openCaseReadOnly } from '../db/open';
import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBBlobValue, DuckDBListValue, DuckDBStructValue } from '@duckdb/node-api';
import { quoteId, RUNS_TABLE, runIdentity } from '../export/case-tables';
import { DuckTables, loadCase, openDuck } from '../export/duck-load';
import { discover, type HuntSources } from './discover';
import { HuntSqlError, lockDown, precheckReadOnly, prepareReadOnly } from './read-only';

export { HuntSqlError };

export interface HuntProgress {
  phase: 'loading' | 'querying' | 'done';
  /** Cases loaded so far / in all (loading). */
  done: number;
  total: number;
  /** Query progress 0…100 when DuckDB knows it, else -1. */
  percent: number;
}

export interface HuntResult {
  columns: string[];
  rows: unknown[][];
  cases: number;
  parquet_files: number;
  /** Rows loaded from case files (what the query could see of them). */
  rows_loaded: number;
  skipped: { file: string; reason: string }[];
}

/** The case tables a query can name (a superset: every word of the query that is a table name). */
function tablesNamed(sql: string, known: Iterable<string>): Set<string> {
  const words = new Set((sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []).map((w) => w));
  return new Set([...known].filter((t) => words.has(t.toLowerCase())));
}

/** The case file's tables (without opening DuckDB) — to know which names the query may mean. */
function caseTableNames(file: string): string[] {
  let db: Database.Database;
  try {
    db = openCaseReadOnly(file);
  } catch {
    return [];
  }
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** JSON-friendly values: bigints stay bigints (the CLI prints big ones as strings), BLOBs hex, lists arrays. */
export function plainValue(v: DuckDBValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof DuckDBBlobValue) return Buffer.from(v.bytes).toString('hex');
  if (v instanceof DuckDBListValue) return v.items.map(plainValue);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plainValue(x)]));
  return String(v);
}

export interface HuntOptions {
  dir: string;
  sql: string;
  onProgress?: (p: HuntProgress) => void;
  /** Sources already discovered (tests, the benchmark). */
  sources?: HuntSources;
}

export async function hunt(opts: HuntOptions): Promise<HuntResult> {
  const dir = path.resolve(opts.dir);
  const src = opts.sources ?? discover(dir);
  const { instance, conn } = await openDuck();
  const progress = opts.onProgress ?? (() => {});
  try {
    // Parquet footers read once: creating the views, checking the statement and running it each need them.
    await conn.run('SET parquet_metadata_cache = true');
    await precheckReadOnly(conn, opts.sql);
    // Which tables does the query name? Parquet tables are known by folder; case tables by the first case.
    const known = new Set<string>([...src.parquet.keys(), RUNS_TABLE]);
    for (const f of src.cases) {
      const names = caseTableNames(f);
      for (const t of names) known.add(t);
      if (names.length) break;
    }
    const wanted = tablesNamed(opts.sql, known);

    // A run both exported and present as a case file is hunted once (from its Parquet).
    const exported = new Set<string>();
    const runFiles = src.parquet.get(RUNS_TABLE);
    if (runFiles?.length && src.cases.length) {
      const r = await conn.runAndReadAll(`SELECT DISTINCT inputs_sha256 FROM read_parquet([${runFiles.map(lit).join(', ')}], union_by_name = true)`);
      for (const [h] of r.getRows()) if (typeof h === 'string') exported.add(h);
    }

    const caseTables = new DuckTables(conn, 'case_rows_');
    let rowsLoaded = 0;
    const skipped = [...src.skipped];
    progress({ phase: 'loading', done: 0, total: src.cases.length, percent: -1 });
    for (let i = 0; i < src.cases.length; i++) {
      const file = src.cases[i]!;
      let db: Database.Database | null = null;
      try {
        // The one read-only open of a case (no write, schema checked, trusted_schema off); an older case is
        // skipped with the reason (`runlens upgrade` makes a current copy), never migrated here.
        db = openCaseReadOnly(file);
        if (exported.has(runIdentity(db).inputs_sha256)) {
          skipped.push({ file, reason: 'the same run is exported as Parquet under the folder; hunted from there' });
          continue;
        }
        rowsLoaded += (await loadCase(caseTables, db, wanted)).rows;
      } catch (e) {
        // A broken or foreign SQLite file under DIR: said, not fatal for the other runs.
        skipped.push({ file, reason: (e as Error).message.split('\n')[0] ?? 'unreadable' });
      } finally {
        db?.close();
        progress({ phase: 'loading', done: i + 1, total: src.cases.length, percent: -1 });
      }
    }

    caseTables.finish();

    // One view per table: Parquet files, loaded case rows, or both.
    // Only the tables the query names: a view over Parquet reads every file's footer when it is created.
    const names = new Set<string>([...src.parquet.keys(), ...[...caseTables.tables.keys()].map((t) => t.slice('case_rows_'.length))].filter((t) => wanted.has(t)));
    for (const t of names) {
      const parts: string[] = [];
      const files = src.parquet.get(t);
      if (files?.length) parts.push(`SELECT * FROM read_parquet([${files.map(lit).join(', ')}], union_by_name = true)`);
      if (caseTables.tables.has(`case_rows_${t}`)) parts.push(`SELECT * FROM ${quoteId(`case_rows_${t}`)}`);
      await conn.run(`CREATE VIEW ${quoteId(t)} AS ${parts.join(' UNION ALL BY NAME ')}`);
    }
    await lockDown(conn, dir + path.sep);
    let statement;
    try {
      statement = await prepareReadOnly(conn, opts.sql);
    } catch (e) {
      // "Table network does not exist" after every case was skipped: say why.
      if (skipped.length && e instanceof HuntSqlError) {
        throw new HuntSqlError(`${e.message} (${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped; the first: ${skipped[0]!.file}: ${skipped[0]!.reason})`);
      }
      throw e;
    }

    progress({ phase: 'querying', done: src.cases.length, total: src.cases.length, percent: 0 });
    const timer = setInterval(() => {
      const p = conn.progress;
      if (p && p.percentage >= 0) progress({ phase: 'querying', done: src.cases.length, total: src.cases.length, percent: p.percentage });
    }, 200);
    let reader;
    try {
      reader = await statement.runAndReadAll();
    } catch (e) {
      throw new HuntSqlError((e as Error).message.split('\n')[0] ?? 'query failed');
    } finally {
      clearInterval(timer);
    }
    progress({ phase: 'done', done: src.cases.length, total: src.cases.length, percent: 100 });
    return {
      columns: reader.columnNames(),
      rows: reader.getRows().map((r) => r.map(plainValue)),
      cases: src.cases.length,
      parquet_files: [...src.parquet.values()].reduce((n, l) => n + l.length, 0),
      rows_loaded: rowsLoaded,
      skipped,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
