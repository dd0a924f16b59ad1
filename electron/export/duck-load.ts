/**
 * Loading case files into DuckDB (embedded, @duckdb/node-api: the package ships its own native library, no
 * server, no download). DuckDB's own SQLite reader is an extension it would have to download, so the rows are read
 * here with better-sqlite3 (read-only) and fed through DuckDB's appender in chunks of 2048 rows (one vector).
 *
 * Tables are created on first use with the run identity columns first, then the case's columns. Cases from
 * different schema versions go into the same table: a column a later case brings is added (earlier rows NULL), a
 * column whose type disagrees between cases becomes VARCHAR.
 */
import { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBInstance, BIGINT, BLOB, DOUBLE, VARCHAR, type DuckDBType, type DuckDBValue, DuckDBBlobValue } from '@duckdb/node-api';
import type { Db } from '../db/open';
import { caseTables, IDENTITY_COLUMNS, quoteId, RUNS_COLUMNS, RUNS_TABLE, runIdentity, runsRow, type ColumnDef, type DuckType, type RunIdentity } from './case-tables';

const CHUNK = 2048;

const DUCK: Record<DuckType, DuckDBType> = { BIGINT, DOUBLE, VARCHAR, BLOB };

/** `threads`: DuckDB's worker threads (default: one per core). */
export async function openDuck(opts: { threads?: number } = {}): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', opts.threads ? { threads: String(opts.threads) } : {});
  const conn = await instance.connect();
  return { instance, conn };
}

function toDuck(v: unknown, type: DuckType): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'BIGINT':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'DOUBLE':
      return typeof v === 'number' ? v : Number(v);
    case 'BLOB':
      return new DuckDBBlobValue(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
    default:
      if (typeof v === 'string') return v;
      if (Buffer.isBuffer(v)) return v.toString('utf8');
      return String(v);
  }
}

/** Tables created so far in one DuckDB database, with their columns in order. */
export class DuckTables {
  readonly tables = new Map<string, ColumnDef[]>();
  /** `prefix`: DuckDB table names are prefix + the case's table name. */
  constructor(
    readonly conn: DuckDBConnection,
    readonly prefix = '',
  ) {}

  /**
   * One appender per table, kept open across cases: an appender's flush costs about a millisecond whatever it
   * holds, which for many small cases was most of the load time. Closed (flushed) before the table changes and
   * by `finish()`, which must run before the tables are read.
   */
  private readonly appenders = new Map<string, DuckDBAppender>();

  private closeAppender(name: string): void {
    const a = this.appenders.get(name);
    if (!a) return;
    this.appenders.delete(name);
    try {
      a.flushSync();
    } finally {
      a.closeSync();
    }
  }

  /** Flushes and closes every appender: the appended rows are now visible to queries. */
  finish(): void {
    for (const name of [...this.appenders.keys()]) this.closeAppender(name);
  }

  /** Creates or widens `name` so it holds `cols`; returns the table's columns in order. */
  async ensure(name: string, cols: ColumnDef[]): Promise<ColumnDef[]> {
    let have = this.tables.get(name);
    if (!have) {
      have = [...cols];
      await this.conn.run(`CREATE TABLE ${quoteId(name)} (${have.map((c) => `${quoteId(c.name)} ${c.type}`).join(', ')})`);
      this.tables.set(name, have);
      return have;
    }
    for (const c of cols) {
      const h = have.find((x) => x.name === c.name);
      if (!h) {
        this.closeAppender(name);
        await this.conn.run(`ALTER TABLE ${quoteId(name)} ADD COLUMN ${quoteId(c.name)} ${c.type}`);
        have.push({ ...c });
      } else if (h.type !== c.type && h.type !== 'VARCHAR') {
        this.closeAppender(name);
        await this.conn.run(`ALTER TABLE ${quoteId(name)} ALTER ${quoteId(c.name)} TYPE VARCHAR`);
        h.type = 'VARCHAR';
      }
    }
    return have;
  }

  /** Appends rows (arrays in `cols` order) to `name`, whose columns are `target`. */
  async append(name: string, target: ColumnDef[], cols: ColumnDef[], rows: Iterable<unknown[]>): Promise<number> {
    const pos = target.map((t) => cols.findIndex((c) => c.name === t.name));
    const types = target.map((t) => DUCK[t.type]);
    let appender = this.appenders.get(name);
    if (!appender) {
      appender = await this.conn.createAppender(name);
      this.appenders.set(name, appender);
    }
    const app = appender;
    let n = 0;
    let batch: unknown[][] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const chunk = DuckDBDataChunk.create(types, batch.length);
      chunk.setColumns(target.map((t, ci) => batch.map((r) => (pos[ci]! < 0 ? null : toDuck(r[pos[ci]!], t.type)))));
      app.appendDataChunk(chunk);
      n += batch.length;
      batch = [];
    };
    try {
      for (const r of rows) {
        batch.push(r);
        if (batch.length === CHUNK) flush();
      }
      flush();
    } catch (e) {
      // A failed append leaves the appender unusable: drop it (its rows so far are flushed with it).
      this.appenders.delete(name);
      try {
        app.closeSync();
      } catch {
        /* already failing */
      }
      throw e;
    }
    return n;
  }
}

export interface LoadedCase {
  identity: RunIdentity;
  rows: number;
  tables: Record<string, number>;
}

/**
 * Appends every table of the case (call `t.finish()` after the last case, before reading the tables) `db` (read-only) to the DuckDB tables of `t`, each row led by the run identity,
 * plus one row in `runs`. `only`: load just these tables (the hunt loads the tables its query names).
 */
export async function loadCase(t: DuckTables, db: Db, only?: ReadonlySet<string>): Promise<LoadedCase> {
  const identity = runIdentity(db);
  const idValues = IDENTITY_COLUMNS.map((c) => identity[c.name as keyof RunIdentity]);
  const out: LoadedCase = { identity, rows: 0, tables: {} };
  for (const def of caseTables(db, only)) {
    const cols = [...IDENTITY_COLUMNS, ...def.columns];
    const target = await t.ensure(t.prefix + def.name, cols);
    const stmt = db.prepare(`SELECT ${def.columns.map((c) => quoteId(c.name)).join(', ')} FROM ${quoteId(def.name)} ORDER BY rowid`).raw(true).safeIntegers(true);
    const rows = (function* () {
      for (const r of stmt.iterate() as Iterable<unknown[]>) yield [...idValues, ...r];
    })();
    const n = await t.append(t.prefix + def.name, target, cols, rows);
    out.tables[def.name] = n;
    out.rows += n;
  }
  if (!only || only.has(RUNS_TABLE)) {
    const cols = [...IDENTITY_COLUMNS, ...RUNS_COLUMNS];
    const target = await t.ensure(t.prefix + RUNS_TABLE, cols);
    out.tables[RUNS_TABLE] = await t.append(t.prefix + RUNS_TABLE, target, cols, [[...idValues, ...runsRow(db)]]);
    out.rows += 1;
  }
  return out;
}
