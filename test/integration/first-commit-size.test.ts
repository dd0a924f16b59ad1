/**
 * Benchmark 7: the first commit of a log's lines comes once the log pane's first page is in (writer.ts
 * FIRST_SCREEN_BATCH: the page asks `log.window` with limit 500 — renderer/src/api.ts, renderer/public/first-screen.js),
 * not later: the first rows run cold code, and each row more before the first commit is time before the first screen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPartialCase } from '../../electron/import/partial-case';
import { runImport } from '../../electron/import/run-import';
import { FIRST_SCREEN_BATCH } from '../../electron/import/writer';
import { tempDir } from './import-helpers';

let work: string;
let log: string;
const LINES = 20_000;
beforeAll(() => {
  work = tempDir('rl-first-commit-');
  log = path.join(work, 'job.txt');
  const t0 = Date.UTC(2024, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(`${new Date(t0 + i * 7).toISOString().replace('Z', '0000Z')} line ${i} of the job`);
  fs.writeFileSync(log, lines.join('\n') + '\n');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The page's first `log.window` limit, as each of its two askers writes it. */
function pageFirstLimit(file: string): number {
  const m = /\['log\.window', \{ offset: 0, limit: (\d+) \}\]/.exec(fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8'));
  if (!m) throw new Error(`${file}: no first log.window call found`);
  return Number(m[1]);
}

describe('the first commit of a log', () => {
  it("holds the log pane's first page and no more than the first-screen batch", async () => {
    expect(FIRST_SCREEN_BATCH).toBe(pageFirstLimit('renderer/src/api.ts'));
    expect(FIRST_SCREEN_BATCH).toBe(pageFirstLimit('renderer/public/first-screen.js'));
    let first = -1;
    await runImport({
      inputs: [log],
      casePath: path.join(work, 'case.runlens'),
      onProgress: (p) => {
        if (!p.partial || first >= 0) return;
        const db = openPartialCase(p.partial);
        try {
          first = Number((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n);
        } finally {
          db.close();
        }
      },
    });
    // every row counts toward the batch (the source's row too): the page's first page, less at most a few rows
    expect(first).toBeGreaterThan(FIRST_SCREEN_BATCH - 10);
    expect(first).toBeLessThanOrEqual(FIRST_SCREEN_BATCH);
  });
});
