/**
 * Deep pages of the calls table by rank (network_order, migration 4): the same windows, totals and jump positions
 * as the OFFSET path they replace (a copy of the case with the table emptied, as a case from before migration 4).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../bench/gen-data';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { networkIndexAt, queryNetwork } from '../../electron/queries/network-list';
import { parseParams } from '../../shared/api';
import { formatNanos } from '../../shared/time';
import { tempDir } from './import-helpers';

let work: string;
let ranked: Db;
let offsetPath: Db;
let calls: number;
beforeAll(async () => {
  work = tempDir('rl-network-order-');
  const b = writeBundle(path.join(work, 'bundle'), { calls: 5000, processes: 300, logLines: 1000 });
  const casePath = path.join(work, 'case.runlens');
  await runImport({ inputs: [b.dir], casePath });
  const copy = path.join(work, 'old.runlens');
  fs.copyFileSync(casePath, copy);
  const w = new Database(copy);
  w.exec('DELETE FROM network_order');
  w.close();
  ranked = openCaseReadOnly(casePath);
  offsetPath = openCaseReadOnly(copy);
  calls = b.expected.network;
});
afterAll(() => {
  ranked.close();
  offsetPath.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const q = (db: Db, offset: number, dir: 'asc' | 'desc', limit = 200) =>
  queryNetwork(db, parseParams<'network.query'>('network.query', { offset, limit, dir }).params);

describe('network_order', () => {
  it('holds every call once, in (ts, id) order', () => {
    const n = ranked.prepare('SELECT count(*) AS n, count(DISTINCT id) AS d, max(rank) AS m FROM network_order').get() as { n: number; d: number; m: number };
    expect(n).toEqual({ n: calls, d: calls, m: calls });
    const bad = ranked
      .prepare('SELECT count(*) AS n FROM network_order a JOIN network_order b ON b.rank = a.rank + 1 WHERE b.ts < a.ts OR (b.ts = a.ts AND b.id < a.id)')
      .get() as { n: number };
    expect(bad.n).toBe(0);
  });

  it('pages at any depth, both directions, equal the OFFSET path', () => {
    for (const dir of ['asc', 'desc'] as const) {
      for (const offset of [0, 1, 199, 2500, calls - 200, calls - 1, calls, calls + 10]) {
        const a = q(ranked, offset, dir);
        const b = q(offsetPath, offset, dir);
        expect(a.total).toBe(calls);
        expect(a).toEqual(b);
      }
    }
  });

  it('jumps to a time equal the OFFSET path (before, inside, after the run)', () => {
    const span = ranked.prepare('SELECT min(ts) AS a, max(ts) AS b FROM network').safeIntegers(true).get() as { a: bigint; b: bigint };
    const times = [span.a - 1_000_000_000n, span.a, span.a + 1n, (span.a + span.b) / 2n, span.b, span.b + 1n];
    for (let k = 1; k < 20; k++) times.push(span.a + ((span.b - span.a) * BigInt(k)) / 20n);
    for (const t of times) {
      const p = parseParams<'network.indexAt'>('network.indexAt', { ts: formatNanos(t) }).params;
      expect(networkIndexAt(ranked, p)).toEqual(networkIndexAt(offsetPath, p));
    }
  });

  it('a filtered list still takes its own path (same answers either way)', () => {
    const p = parseParams<'network.query'>('network.query', { offset: 10, limit: 50, filter: { search: 'exfil' } }).params;
    expect(queryNetwork(ranked, p)).toEqual(queryNetwork(offsetPath, p));
  });
});
