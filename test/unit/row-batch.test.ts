/**
 * RowBatch (import/row-batch.ts): the multi-row INSERTs of the big tables. Its batches are bound from arguments;
 * a value that is not a scalar (an array, a plain object) must never shift the other values of the batch (as
 * arguments, an array would bind as several values and an object as named ones): only its own row is refused,
 * every other row is stored exactly, in order, with its id reported.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowBatch } from '../../electron/import/row-batch';

function table() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c)');
  return db;
}

describe('RowBatch', () => {
  it('stores full batches and the rest, in order, with their ids', () => {
    const db = table();
    const batch = new RowBatch<number>(db, 't', ['a', 'b', 'c'], 4);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) batch.add([i, `s${i}`, BigInt(i) * 10n ** 15n], i, () => expect.fail('refused'), (id) => ids.push(id));
    batch.flush();
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const rows = db.prepare('SELECT id, a, b, c FROM t ORDER BY id').safeIntegers(true).all() as { id: bigint; a: bigint; b: string; c: bigint }[];
    expect(rows.map((r) => [Number(r.a), r.b, r.c])).toEqual(Array.from({ length: 10 }, (_, i) => [i, `s${i}`, BigInt(i) * 10n ** 15n]));
  });

  it('an array and an object in one batch (their counts cancelling out as arguments): only their rows refused', () => {
    const db = table();
    const batch = new RowBatch<number>(db, 't', ['a', 'b', 'c'], 4);
    const refused: number[] = [];
    // as arguments, ['x', 'y'] would be two values and {} none: the batch's count would still be 12
    const rows: unknown[][] = [
      [1, ['x', 'y'], 'r0'],
      [2, 'b1', 'r1'],
      [3, {}, 'r2'],
      [4, 'b3', 'r3'],
    ];
    rows.forEach((r, i) => batch.add(r, i, (ctx, e) => {
      expect(e).toBeInstanceOf(TypeError);
      refused.push(ctx);
    }));
    batch.flush();
    expect(refused).toEqual([0, 2]);
    expect(db.prepare('SELECT a, b, c FROM t ORDER BY id').raw().all()).toEqual([
      [2, 'b1', 'r1'],
      [4, 'b3', 'r3'],
    ]);
  });

  it('a value SQLite cannot hold (a bigint beyond 64 bits) refuses its row only', () => {
    const db = table();
    const batch = new RowBatch<number>(db, 't', ['a', 'b', 'c'], 2);
    const refused: number[] = [];
    batch.add([1n << 70n, 'b0', null], 0, (ctx, e) => {
      expect(e).toBeInstanceOf(RangeError);
      refused.push(ctx);
    });
    batch.add([5, Buffer.from('blob'), null], 1, () => expect.fail('refused'));
    batch.flush();
    expect(refused).toEqual([0]);
    expect(db.prepare('SELECT a, b FROM t').raw().all()).toEqual([[5, Buffer.from('blob')]]);
  });
});
