/**
 * The desktop app's case/import state with real case files (SQLite in a temp dir) and the real API dispatch.
 * The import runner here writes a real (small) case file itself: the off-thread importer is the ingest task's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../shared/api';
import { createApi } from '../../electron/api/dispatch';
import type { ImportRunner } from '../../electron/api/imports';
import { createCase, migrate } from '../../electron/db/open';
import { CaseController, NO_CASE_MESSAGE, type OpenCase } from '../../electron/main/case-controller';
import { readRecent } from '../../electron/main/recent-cases';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-ctl-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function makeCase(file: string, run: Record<string, unknown>): string {
  const db = createCase(file);
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('run', JSON.stringify(run));
  migrate(db); // a current case: an older one is opened through an upgraded copy
  db.close();
  return file;
}

/** Imports "write" a case named after the first input; `hold` keeps the import running until cancelled. */
function runner(opts: { hold?: boolean; fail?: string } = {}): ImportRunner & { seen: string[][] } {
  const seen: string[][] = [];
  const fn = (async (req) => {
    seen.push(req.inputs);
    req.onProgress({ phase: 'reading', fraction: 0.25, message: path.basename(req.inputs[0]!) });
    await new Promise((r) => setTimeout(r, 5));
    if (opts.hold) {
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
      throw new Error('cancelled');
    }
    if (opts.fail) throw new Error(`${opts.fail}\n    at someFrame (file.ts:1:1)`);
    req.onProgress({ phase: 'indexing', fraction: 0.9 });
    const file = path.join(req.caseDir ?? dir, `${path.basename(req.inputs[0]!)}.runlens`);
    makeCase(file, { repository: 'acme/web', workflow: 'CI', job: 'test', run_id: 18311492377 });
    return { casePath: file, warnings: 2 };
  }) as ImportRunner & { seen: string[][] };
  fn.seen = seen;
  return fn;
}

function controller(run: ImportRunner) {
  const changes: (OpenCase | null)[] = [];
  const pageKnew: boolean[] = [];
  const progress: ImportStatus[] = [];
  const c = new CaseController({
    createApi: (p) => createApi(p),
    runner: run,
    recentFile: path.join(dir, 'userData', 'recent-cases.json'),
    caseDir: path.join(dir, 'cases'),
    events: { caseChanged: (x, pageKnows) => (changes.push(x), pageKnew.push(pageKnows)), importProgress: (s) => progress.push(s) },
  });
  fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
  return { c, changes, pageKnew, progress };
}

async function settled(progress: ImportStatus[]): Promise<ImportStatus> {
  for (let i = 0; i < 400; i++) {
    const last = progress.at(-1);
    if (last && last.state !== 'running') return last;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('import did not settle');
}

describe('case controller', () => {
  it('answers case methods only when a case is open', async () => {
    const { c } = controller(runner());
    expect(await c.route('case.info', {})).toEqual({ ok: false, error: NO_CASE_MESSAGE });
    const file = makeCase(path.join(dir, 'a.runlens'), { repository: 'acme/api', workflow: 'Build', job: 'lint' });
    const opened = await c.openCase(file);
    expect(opened).toEqual({ casePath: file, title: 'acme/api · Build · lint' });
    const info = await c.route('case.info', {});
    expect(info.ok).toBe(true);
    if (info.ok) expect((info.value as { case_file: string; counts: { network: number } }).counts.network).toBe(0);
    expect(await c.route('network.query', { limit: 5000 })).toMatchObject({ ok: false, error: expect.stringMatching(/limit/) });
    c.closeCase();
    expect(c.current).toBeNull();
    expect(await c.route('steps.list', {})).toEqual({ ok: false, error: NO_CASE_MESSAGE });
    c.dispose();
  });

  it('imports off the caller, pushes progress, then opens the new case and remembers it', async () => {
    const run = runner();
    const { c, changes, pageKnew, progress } = controller(run);
    const bundle = path.join(dir, 'bundle.zip');
    fs.writeFileSync(bundle, 'not read by this runner');
    const started = await c.route('import.start', { paths: [bundle] });
    expect(started.ok).toBe(true);
    const job = (started as { ok: true; value: { job: string } }).value.job;
    expect(c.importing).toBe(true);
    const final = await settled(progress);
    expect(final).toMatchObject({ job, state: 'done', warnings: 2, case_file: path.join(dir, 'cases', 'bundle.zip.runlens') });
    expect(progress[0]).toMatchObject({ job, state: 'running' });
    expect(progress.some((p) => p.phase === 'reading' && p.fraction === 0.25 && p.message === 'bundle.zip')).toBe(true);
    expect(progress.some((p) => p.phase === 'indexing')).toBe(true);
    expect(run.seen).toEqual([[bundle]]);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.current).toEqual({ casePath: final.case_file, title: 'acme/web · CI · test #18311492377' });
    expect(changes.at(-1)).toEqual(c.current);
    // The page started this import (import.start): it follows the job and reloads its panes itself.
    expect(pageKnew).toEqual([true]);
    // An import the app starts (menu, command line, first start) is announced for the page to reload.
    c.startImport([path.join(dir, 'second.zip')]);
    for (let i = 0; i < 400 && pageKnew.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(pageKnew).toEqual([true, false]);
    expect(c.current?.casePath).toBe(path.join(dir, 'cases', 'second.zip.runlens'));
    expect(await c.route('import.status', { job })).toMatchObject({ ok: true, value: { state: 'done' } });
    expect(readRecent(path.join(dir, 'userData', 'recent-cases.json')).map((r) => r.path)).toEqual([path.join(dir, 'cases', 'second.zip.runlens'), final.case_file]);
    expect(await c.route('case.info', {})).toMatchObject({ ok: true });
    c.dispose();
  });

  it('cancels a running import and keeps the open case', async () => {
    const { c, progress } = controller(runner({ hold: true }));
    const file = makeCase(path.join(dir, 'kept.runlens'), { repository: 'acme/kept' });
    await c.openCase(file);
    const { job } = c.startImport([path.join(dir, 'big.tar.gz')]);
    await new Promise((r) => setTimeout(r, 20));
    expect(await c.route('import.start', { paths: [path.join(dir, 'other.zip')] })).toMatchObject({ ok: false, error: expect.stringMatching(/already running/) });
    expect(await c.route('import.cancel', { job })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await settled(progress)).toMatchObject({ job, state: 'cancelled' });
    expect(c.importing).toBe(false);
    expect(c.current?.casePath).toBe(file);
  });

  it('reports a failed import as one line and keeps going', async () => {
    const { c, progress } = controller(runner({ fail: 'bundle.zip: truncated archive (unexpected end of central directory)' }));
    c.startImport([path.join(dir, 'bundle.zip')]);
    const final = await settled(progress);
    expect(final).toMatchObject({ state: 'failed', error: 'bundle.zip: truncated archive (unexpected end of central directory)' });
    expect(c.current).toBeNull();
  });

  it('refuses uploads and malformed import params with readable errors', async () => {
    const { c } = controller(runner());
    expect(await c.route('import.start', { uploads: ['0123456789abcdef0123456789abcdef'] })).toMatchObject({ ok: false, error: expect.stringMatching(/local paths/) });
    expect(await c.route('import.start', {})).toMatchObject({ ok: false, error: expect.stringMatching(/either uploads or paths/) });
    expect(await c.route('import.status', { job: 'nope' })).toMatchObject({ ok: false, error: 'no import job nope' });
  });

  it('opens a .runlens file directly and refuses a file that is not a case', async () => {
    const run = runner();
    const { c } = controller(run);
    const good = makeCase(path.join(dir, 'good.runlens'), { repository: 'acme/good' });
    await c.openPaths([good]);
    expect(run.seen).toEqual([]);
    expect(c.current?.casePath).toBe(good);
    const bad = path.join(dir, 'bad.runlens');
    fs.writeFileSync(bad, 'this is not SQLite\n'.repeat(100));
    expect(() => c.openCase(bad)).toThrow(/^Cannot open .*bad\.runlens: /);
    expect(() => c.openCase(path.join(dir, 'missing.runlens'))).toThrow(/^Cannot open /);
    expect(c.current?.casePath).toBe(good);
    expect(await c.route('case.info', {})).toMatchObject({ ok: true });
    c.dispose();
  });
});
