/**
 * The GitHub log importer inside the real import pipeline (container -> registry -> importer -> writer ->
 * finalize): a bundle folder whose manifest names the job and its steps, with a whole-job log under logs/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../electron/import/run-import';
import { openCaseReadOnly } from '../../electron/db/open';

const STIRLING = path.join(__dirname, '../fixtures/gha/blastradius_Stirling-Tools__Stirling-PDF__077856960467.txt');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-gha-pipe-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gha-log in the import pipeline', () => {
  it('a bundle with manifest steps and logs/1_build.txt: manifest job name and steps, every line placed', async () => {
    const b = path.join(dir, 'bundle');
    fs.mkdirSync(path.join(b, 'logs'), { recursive: true });
    fs.writeFileSync(
      path.join(b, 'manifest.json'),
      JSON.stringify({
        format: 'ci-run-bundle',
        version: 1,
        run: { job: 'all-checks', started_at: '2026-05-26T10:38:25Z' },
        steps: [
          {
            number: 1,
            name: 'Set up job',
            started_at: '2026-05-26T10:38:25.80Z',
            completed_at: '2026-05-26T10:38:25.95Z',
          },
          {
            number: 2,
            name: 'Run ok=true',
            started_at: '2026-05-26T10:38:25.95Z',
            completed_at: '2026-05-26T10:38:26.455Z',
          },
          {
            number: 3,
            name: 'Complete job',
            started_at: '2026-05-26T10:38:26.455Z',
            completed_at: '2026-05-26T10:38:27Z',
          },
        ],
      }),
    );
    fs.copyFileSync(STIRLING, path.join(b, 'logs', '1_build.txt'));
    const casePath = path.join(dir, 'case.runlens');
    const summary = await runImport({ inputs: [b], casePath });
    expect(summary.counts.log_lines).toBe(66);
    expect(summary.warnings.filter((w) => /1_build/.test(w.file ?? ''))).toEqual([]);

    const db = openCaseReadOnly(casePath);
    try {
      const steps = db.prepare(`SELECT id, job, number, origin FROM steps ORDER BY number`).all() as {
        id: number;
        job: string;
        number: number;
        origin: string;
      }[];
      expect(steps.map((s) => [s.job, s.number, s.origin])).toEqual([
        ['all-checks', 1, 'manifest'],
        ['all-checks', 2, 'manifest'],
        ['all-checks', 3, 'manifest'],
      ]);
      const lines = db
        .prepare(`SELECT id, job, step_id, line, raw, text, marker, depth FROM log_lines ORDER BY id`)
        .all() as {
        id: number;
        job: string;
        step_id: number;
        line: number;
        raw: string;
        text: string;
        marker: string | null;
        depth: number;
      }[];
      expect(lines).toHaveLength(66);
      expect(lines.every((l) => l.job === 'all-checks')).toBe(true);
      const num = (line: number) => steps.find((s) => s.id === lines.find((l) => l.line === line)!.step_id)!.number;
      expect([num(1), num(28), num(29), num(79), num(80)]).toEqual([1, 1, 2, 2, 3]);
      const echo = lines.find((l) => l.line === 30)!;
      expect(echo.raw).toBe('\x1b[36;1mok=true\x1b[0m'); // raw keeps ANSI
      expect(echo.text).toBe('ok=true'); // text is plain
      expect(echo.depth).toBe(1);
      expect(lines.find((l) => l.line === 79)!.marker).toBe('error');
      const fts = db.prepare(`SELECT rowid AS id FROM log_fts WHERE log_fts MATCH '"results:"'`).all() as {
        id: number;
      }[];
      expect(fts.map((f) => f.id)).toEqual([lines.find((l) => l.line === 47)!.id]);
    } finally {
      db.close();
    }
  });
});
