/**
 * Multi-row INSERTs for the big evidence tables: rows are buffered and written `rowsPer` at a time by one prepared
 * `INSERT … VALUES (…), (…), …` (one call into SQLite per batch instead of per row), the rest by the single-row
 * statement at `flush()`. A value SQLite cannot bind (better-sqlite3 checks every parameter before it runs the
 * statement, so nothing of the batch is written) makes the batch go row by row, and only that row is refused,
 * through its own `onFail`, as a single-row insert would.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

/** Rows per statement: measured on 1M log lines, 64 rows (~830 parameters) was as fast as any larger batch. */
export const ROWS_PER_INSERT = 64;

export type RowFailure = (e: RangeError | TypeError) => void;
/** Told the row's id once it is stored (rows of a multi-row INSERT get consecutive ids, the last one reported). */
export type RowStored = (id: number) => void;

export class RowBatch {
  private vals: unknown[] = [];
  private fails: RowFailure[] = [];
  /** Per row of the batch: who wants its id (rare: most rows nobody). */
  private stored: (RowStored | undefined)[] = [];
  private anyStored = false;
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly width: number;

  constructor(
    db: Db,
    table: string,
    columns: readonly string[],
    private readonly rowsPer = ROWS_PER_INSERT,
  ) {
    this.width = columns.length;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    this.one = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuple}`);
    this.many = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rowsPer).fill(tuple).join(', ')}`);
  }

  get pending(): number {
    return this.fails.length;
  }

  /** One row (its values in column order); `onFail` when it cannot be stored, `onStored` with its id when it is. */
  add(values: readonly unknown[], onFail: RowFailure, onStored?: RowStored): void {
    if (values.length !== this.width) throw new Error(`RowBatch: ${values.length} values for ${this.width} columns`);
    for (const v of values) this.vals.push(v);
    this.fails.push(onFail);
    this.stored.push(onStored);
    if (onStored) this.anyStored = true;
    if (this.fails.length === this.rowsPer) this.flush();
  }

  flush(): void {
    const n = this.fails.length;
    if (n === 0) return;
    const vals = this.vals;
    const fails = this.fails;
    const stored = this.anyStored ? this.stored : null;
    this.vals = [];
    this.fails = [];
    this.stored = [];
    this.anyStored = false;
    if (n === this.rowsPer) {
      try {
        const last = Number(this.many.run(vals).lastInsertRowid);
        if (stored) for (let i = 0; i < n; i++) stored[i]?.(last - n + 1 + i);
        return;
      } catch (e) {
        if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
      }
    }
    for (let i = 0; i < n; i++) {
      try {
        const r = this.one.run(vals.slice(i * this.width, (i + 1) * this.width));
        stored?.[i]?.(Number(r.lastInsertRowid));
      } catch (e) {
        if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
        fails[i]!(e);
      }
    }
  }

  /** Forget buffered rows (the transaction is rolled back). */
  clear(): void {
    this.vals = [];
    this.fails = [];
    this.stored = [];
    this.anyStored = false;
  }
}
