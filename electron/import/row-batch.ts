/**
 * Multi-row INSERTs for the big evidence tables: rows are buffered and written `rowsPer` at a time by one prepared
 * `INSERT … VALUES (…), (…), …` (one call into SQLite per batch instead of per row), the rest by the single-row
 * statement at `flush()`. A value SQLite cannot bind (better-sqlite3 checks every parameter before it runs the
 * statement, so nothing of the batch is written) makes the batch go row by row, and only that row is refused,
 * through its `onFail`, as a single-row insert would.
 *
 * Scale: the values go into one parameter array reused for every batch (no array per row or per batch), and a
 * row's failure handler is one function per caller with the row's own context (no closure per row): on 1.5M rows
 * that is ~0.3 s of the import's writer thread.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

/** Rows per statement: measured on 1M log lines, 64 rows (~830 parameters) was as fast as any larger batch. */
export const ROWS_PER_INSERT = 64;

/** Every value is one SQLite can bind by itself (null, number, bigint, string, Buffer): no array or object. */
function scalarsOnly(vals: readonly unknown[]): boolean {
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) return false;
  }
  return true;
}

export type RowFailure<C> = (ctx: C, e: RangeError | TypeError) => void;
/** Told the row's id once it is stored (rows of a multi-row INSERT get consecutive ids, the last one reported). */
export type RowStored = (id: number) => void;

export class RowBatch<C = unknown> {
  /** The pending rows' values, row after row; its length is always rowsPer × width (the tail is stale). */
  private readonly vals: unknown[];
  private n = 0;
  private readonly ctxs: (C | undefined)[];
  private readonly fails: (RowFailure<C> | undefined)[];
  /** Per row of the batch: who wants its id (rare: most rows nobody). */
  private readonly stored: (RowStored | undefined)[];
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
    this.vals = new Array<unknown>(rowsPer * this.width).fill(null);
    this.ctxs = new Array<C | undefined>(rowsPer).fill(undefined);
    this.fails = new Array<RowFailure<C> | undefined>(rowsPer).fill(undefined);
    this.stored = new Array<RowStored | undefined>(rowsPer).fill(undefined);
  }

  get pending(): number {
    return this.n;
  }

  /**
   * One row (its values in column order); `onFail(ctx, error)` when it cannot be stored, `onStored` with its id
   * when it is.
   */
  add(values: readonly unknown[], ctx: C, onFail: RowFailure<C>, onStored?: RowStored): void {
    const w = this.width;
    if (values.length !== w) throw new Error(`RowBatch: ${values.length} values for ${w} columns`);
    const at = this.next;
    const vals = this.vals;
    for (let k = 0; k < w; k++) vals[at + k] = values[k];
    this.push(ctx, onFail, onStored);
  }

  /**
   * The hot path without an array per row: write the row's `width` values into `buffer` from index `next`, then
   * `push` it. Nothing else may use the batch in between (a row never pushed is simply overwritten).
   */
  get buffer(): unknown[] {
    return this.vals;
  }

  get next(): number {
    return this.n * this.width;
  }

  push(ctx: C, onFail: RowFailure<C>, onStored?: RowStored): void {
    const i = this.n;
    this.ctxs[i] = ctx;
    this.fails[i] = onFail;
    this.stored[i] = onStored;
    if (onStored) this.anyStored = true;
    this.n = i + 1;
    if (this.n === this.rowsPer) this.flush();
  }

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const stored = this.anyStored;
    this.n = 0;
    this.anyStored = false;
    try {
      if (n === this.rowsPer) {
        try {
          // the values as arguments, not one array: better-sqlite3 binds arguments without an array read per value
          // (~15 % less CPU per batch, measured on 500k calls) — only scalars: an argument that is an array or a
          // plain object would be taken as several values or as named ones (an array value binds as a TypeError)
          const vals = this.vals;
          const last = Number((scalarsOnly(vals) ? this.many.run(...vals) : this.many.run(vals)).lastInsertRowid);
          if (stored) for (let i = 0; i < n; i++) this.stored[i]?.(last - n + 1 + i);
          return;
        } catch (e) {
          if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
        }
      }
      for (let i = 0; i < n; i++) {
        try {
          const r = this.one.run(this.vals.slice(i * this.width, (i + 1) * this.width));
          if (stored) this.stored[i]?.(Number(r.lastInsertRowid));
        } catch (e) {
          if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
          this.fails[i]!(this.ctxs[i] as C, e);
        }
      }
    } finally {
      this.release(n);
    }
  }

  /** Forget buffered rows (the transaction is rolled back). */
  clear(): void {
    this.release(this.n);
    this.n = 0;
    this.anyStored = false;
  }

  /** Drop the references the batch held (records, callbacks), so they can be collected. */
  private release(n: number): void {
    this.ctxs.fill(undefined, 0, n);
    this.fails.fill(undefined, 0, n);
    this.stored.fill(undefined, 0, n);
  }
}
