/**
 * `case.reoffset` in the desktop app: the case controller (electron/main) runs it through the case owner's one
 * job table, so the page's `import.status` / `import.cancel` find it, progress is pushed to the windows, and the
 * new case is open (named by the job's status, for the page that asked) when it is done. Real case file (the sample bundle imported into a temp dir), real API dispatch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportStatus, Result } from '../../shared/api';
import type { ImportRunner } from '../../electron/api/imports';
import { openCaseReadOnly } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { CaseController } from '../../electron/main/case-controller';

const BUNDLE = path.resolve(__dirname, '..', '..', 'resources', 'sample-bundle');
let dir: string;
let original: string;
let net: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-reoffset-ctl-'));
  original = path.join(dir, 'sample.runlens');
  await runImport({ inputs: [BUNDLE], casePath: original });
  const db = openCaseReadOnly(original);
  net = Number((db.prepare(`SELECT id FROM sources WHERE member = 'network.jsonl'`).get() as { id: number }).id);
  db.close();
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const noImports: ImportRunner = () => Promise.reject(new Error('no import in this test'));

describe('case.reoffset in the desktop app', () => {
  it('runs in the controller job table, pushes progress, and opens the new case for the page', async () => {
    const ready: string[] = [];
    const progress: ImportStatus[] = [];
    const c = new CaseController({
      runner: noImports,
      recentFile: path.join(dir, 'userData', 'recent-cases.json'),
      caseDir: path.join(dir, 'cases'),
      events: { caseReady: (id) => ready.push(id), jobChanged: (s) => progress.push(s), opened: () => {} },
    });
    const route = (caseId: string | null, method: string, params: unknown) => c.route({ case: caseId, method, params });
    try {
      const { id } = c.openCase(original);
      const env = await route(id, 'case.reoffset', { offsets: [{ source_id: net, seconds: 2.5 }] });
      expect(env.ok).toBe(true);
      const { job } = (env as { ok: true; value: { job: string } }).value;
      let st: ImportStatus | null = null;
      for (let i = 0; i < 400; i++) {
        const e = await route(null, 'import.status', { job });
        st = (e as { ok: true; value: ImportStatus }).value;
        if (st.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(st).toMatchObject({ state: 'done', error: null });
      expect(path.dirname(st!.case_file!)).toBe(path.join(dir, 'cases'));
      await new Promise((r) => setTimeout(r, 20));
      expect(progress[0]).toMatchObject({ job, state: 'running' });
      expect(progress.some((p) => p.phase === 'finalizing')).toBe(true);
      // The page that asked follows the job and opens the case; the app shows nothing by itself.
      expect(ready).toEqual([]);
      const info = await route(st!.case_id, 'case.info', {});
      const value = (info as { ok: true; value: Result<'case.info'> }).value;
      expect(value.case_file).toBe(st!.case_file);
      expect(value.sources.find((s) => s.id === net)?.offset_seconds).toBe(2.5);

      // A bad request is one readable line and no job.
      expect(await route(st!.case_id, 'case.reoffset', { offsets: [{ source_id: net, seconds: 2.5 }] })).toEqual({
        ok: false,
        error: 'case.reoffset: these clock offsets are already in force: nothing to change',
      });
    } finally {
      c.dispose();
    }
  }, 60_000);
});
