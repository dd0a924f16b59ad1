/** What a hunt reads under its folder: cases and Parquet only; foreign SQLite files and junk are skipped, said. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunt } from '../../electron/hunt/hunt';
import { runCases, type RunCase } from '../support/run-cases';

let dir: string;
let runs: RunCase[];

beforeAll(async () => {
  ({ runs } = await runCases({ good1: { seed: 11 }, good2: { seed: 12 } }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-hunt-folder-'));
  for (const r of runs) fs.copyFileSync(r.case, path.join(dir, path.basename(r.case)));
  const other = new Database(path.join(dir, 'someone-elses.db'));
  other.exec('CREATE TABLE network (endpoint TEXT); INSERT INTO network VALUES (\'x.example:443\')');
  other.close();
  fs.writeFileSync(path.join(dir, 'broken.runlens'), 'not sqlite at all');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  fs.symlinkSync(runs[0]!.case, path.join(dir, 'link.runlens'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hunt folder', () => {
  it('hunts the two cases and skips the rest with a reason; a link is not followed', async () => {
    const progress: string[] = [];
    const r = await hunt({ dir, sql: 'SELECT run_id, count(*) AS calls FROM network GROUP BY run_id ORDER BY run_id', onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(r.rows.map((x) => x[0])).toEqual([19_000_000_011n, 19_000_000_012n]);
    expect(r.skipped.map((s) => path.basename(s.file)).sort()).toEqual(['broken.runlens', 'someone-elses.db']);
    expect(progress[0]).toBe('loading:0/3');
    expect(progress).toContain('loading:3/3');
    expect(progress[progress.length - 1]).toBe('done:3/3');
  });
});
