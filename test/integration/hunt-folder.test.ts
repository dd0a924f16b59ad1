/** What a hunt reads under its folder: cases and Parquet only; foreign SQLite files and junk are skipped, said. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckTables, loadCase, openDuck } from '../../electron/export/duck-load';
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

it('cases of different schemas go side by side: a new column widens the table, a foreign-typed value becomes text', async () => {
  // Two minimal case-shaped databases (loadCase reads any tables; the schema check is openCaseReadOnly's, before).
  const mk = (runId: number, extra: boolean) => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE network (id INTEGER PRIMARY KEY, port INTEGER NOT NULL${extra ? ', extra TEXT' : ''});`);
    db.prepare('INSERT INTO meta VALUES (?, ?)').run('run', JSON.stringify({ repository: 'acme/api', run_id: runId, run_attempt: 1, job: 'build' }));
    db.prepare('INSERT INTO meta VALUES (?, ?)').run('inputs', JSON.stringify([{ path: `r${runId}`, sha256: 'a'.repeat(64), bytes: 1 }]));
    db.exec(extra ? "INSERT INTO network VALUES (1, 443, 'x'), (2, 'https', NULL)" : 'INSERT INTO network VALUES (1, 443), (2, 80)');
    return db;
  };
  const { instance, conn } = await openDuck();
  const a = mk(1, false);
  const b = mk(2, true);
  try {
    const t = new DuckTables(conn);
    await loadCase(t, a);
    await loadCase(t, b);
    t.finish();
    const r = await conn.runAndReadAll(
      "SELECT run_id, count(*), count(extra), count(*) FILTER (WHERE port = 'https'), count(*) FILTER (WHERE port = '443') FROM network GROUP BY run_id ORDER BY run_id",
    );
    expect(r.getRows()).toEqual([
      [1n, 2n, 0n, 0n, 1n],
      [2n, 2n, 1n, 1n, 1n],
    ]);
  } finally {
    a.close();
    b.close();
    conn.closeSync();
    instance.closeSync();
  }
});

describe('hunt folder', () => {
  it('hunts the two cases and skips the rest with a reason; a link is not followed', async () => {
    const progress: string[] = [];
    const r = await hunt({ dir, sql: 'SELECT run_id, count(*) AS calls FROM network GROUP BY run_id ORDER BY run_id', onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(r.rows.map((x) => x[0])).toEqual([19_000_000_011n, 19_000_000_012n]);
    expect(r.skipped.map((s) => path.basename(s.file)).sort()).toEqual(['broken.runlens', 'someone-elses.db']);
    expect(r.skipped.find((s) => s.file.endsWith('someone-elses.db'))!.reason).toMatch(/not named \*\.runlens/);
    expect(progress[0]).toBe('loading:0/3');
    expect(progress).toContain('loading:3/3');
    expect(progress[progress.length - 1]).toBe('done:3/3');
  });
});
