/**
 * The desktop app's case/import state with real case files (SQLite in a temp dir) and the real API dispatch.
 * The import runner here writes a real (small) case file itself: the off-thread importer is the ingest task's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../shared/api';
import type { ImportRunner } from '../../electron/api/imports';
import { createCase, migrate } from '../../electron/db/open';
import { CaseController } from '../../electron/main/case-controller';
import { readRecent } from '../../electron/api/recent-cases';

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
  const ready: [string, string][] = [];
  const opened: string[] = [];
  const progress: ImportStatus[] = [];
  const c = new CaseController({
    runner: run,
    recentFile: path.join(dir, 'userData', 'recent-cases.json'),
    caseDir: path.join(dir, 'cases'),
    events: { caseReady: (id, job) => ready.push([id, job]), jobChanged: (s) => progress.push(s), opened: (x) => opened.push(x.title) },
  });
  fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
  const call = (caseId: string | null, method: string, params: unknown = {}) => c.route({ case: caseId, method, params });
  return { c, ready, opened, progress, call };
}

async function settled(progress: ImportStatus[]): Promise<ImportStatus> {
  for (let i = 0; i < 400; i++) {
    const last = progress.at(-1);
    if (last && last.state !== 'running') return last;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('import did not settle');
}

describe('case controller (desktop side of the case owner)', () => {
  it('answers the case each call names, and only an open or recent one', async () => {
    const { c, call } = controller(runner());
    const unknown = '0123456789abcdef01234567';
    expect(await call(unknown, 'case.info')).toMatchObject({ ok: false, error: expect.stringMatching(/no such case/) });
    expect(await call(null, 'case.info')).toMatchObject({ ok: false, error: expect.stringMatching(/needs the case/) });
    const a = makeCase(path.join(dir, 'a.runlens'), { repository: 'acme/api', workflow: 'Build', job: 'lint' });
    const b = makeCase(path.join(dir, 'b.runlens'), { repository: 'acme/web', workflow: 'CI', job: 'test' });
    const ra = c.openCase(a);
    const rb = c.openCase(b);
    expect(ra.id).not.toBe(rb.id);
    expect((await ra.summary).title).toBe('acme/api · Build · lint');
    // Two cases open at once: each call is answered from the case it names.
    expect(await call(ra.id, 'case.info')).toMatchObject({ ok: true, value: { case_file: a, title: 'acme/api · Build · lint' } });
    expect(await call(rb.id, 'case.info')).toMatchObject({ ok: true, value: { case_file: b, title: 'acme/web · CI · test' } });
    expect(await call(ra.id, 'network.query', { limit: 5000 })).toMatchObject({ ok: false, error: expect.stringMatching(/limit/) });
    const list = await call(null, 'cases.list');
    expect(list.ok && (list.value as { cases: { id: string; open: boolean }[] }).cases.map((x) => [x.id, x.open])).toEqual([
      [rb.id, true],
      [ra.id, true],
    ]);
    c.dispose();
  });

  it('imports off the caller, pushes progress, then opens the new case and remembers it', async () => {
    const run = runner();
    const { c, ready, progress, call } = controller(run);
    const bundle = path.join(dir, 'bundle.zip');
    fs.writeFileSync(bundle, 'not read by this runner');
    // The page stages a dropped file (the preload hands its path over), then imports it by id.
    const staged = c.stage([bundle]);
    expect(staged.ok).toBe(true);
    const uploads = (staged as { ok: true; value: { uploads: string[] } }).value.uploads;
    const started = await call(null, 'import.start', { uploads });
    expect(started.ok).toBe(true);
    const job = (started as { ok: true; value: { job: string } }).value.job;
    expect(c.importing).toBe(true);
    const final = await settled(progress);
    expect(final).toMatchObject({ job, state: 'done', warnings: 2, case_file: path.join(dir, 'cases', 'bundle.zip.runlens'), case_id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(progress[0]).toMatchObject({ job, state: 'running' });
    expect(progress.some((p) => p.phase === 'reading' && p.fraction === 0.25 && p.message === 'bundle.zip')).toBe(true);
    expect(progress.some((p) => p.phase === 'indexing')).toBe(true);
    expect(run.seen).toEqual([[bundle]]);
    // The page started this import: it follows the job and opens the case itself; the app is not asked to.
    expect(ready).toEqual([]);
    expect(await call(final.case_id, 'case.info')).toMatchObject({ ok: true, value: { title: 'acme/web · CI · test #18311492377' } });
    // An id is used once.
    expect(await call(null, 'import.start', { uploads })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown or expired/) });
    // An import the app starts (menu, command line, first start) is announced for the app to show.
    const second = c.startImport([path.join(dir, 'second.zip')]);
    for (let i = 0; i < 400 && ready.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    expect(ready).toEqual([[expect.stringMatching(/^[0-9a-f]{24}$/), second.job]]);
    expect(await call(null, 'import.status', { job })).toMatchObject({ ok: true, value: { state: 'done' } });
    for (let i = 0; i < 400 && readRecent(path.join(dir, 'userData', 'recent-cases.json')).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(readRecent(path.join(dir, 'userData', 'recent-cases.json')).map((r) => r.path)).toEqual([path.join(dir, 'cases', 'second.zip.runlens'), final.case_file]);
    c.dispose();
  });

  it('cancels a running import and keeps the open case', async () => {
    const { c, progress, call } = controller(runner({ hold: true }));
    const file = makeCase(path.join(dir, 'kept.runlens'), { repository: 'acme/kept' });
    const kept = c.openCase(file);
    const { job } = c.startImport([path.join(dir, 'big.tar.gz')]);
    await new Promise((r) => setTimeout(r, 20));
    const other = path.join(dir, 'other.zip');
    fs.writeFileSync(other, 'x');
    const staged = c.stage([other]) as { ok: true; value: { uploads: string[] } };
    expect(await call(null, 'import.start', { uploads: staged.value.uploads })).toMatchObject({ ok: false, error: expect.stringMatching(/already running/) });
    expect(await call(null, 'import.cancel', { job })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await settled(progress)).toMatchObject({ job, state: 'cancelled' });
    expect(c.importing).toBe(false);
    // The refused import did not use up the staged file: it can be imported now.
    expect(await call(null, 'import.start', { uploads: staged.value.uploads })).toMatchObject({ ok: true });
    expect(await call(kept.id, 'case.info')).toMatchObject({ ok: true, value: { case_file: file } });
    c.dispose();
  });

  it('reports a failed import as one line and keeps going', async () => {
    const { c, progress, ready } = controller(runner({ fail: 'bundle.zip: truncated archive (unexpected end of central directory)' }));
    c.startImport([path.join(dir, 'bundle.zip')]);
    const final = await settled(progress);
    expect(final).toMatchObject({ state: 'failed', error: 'bundle.zip: truncated archive (unexpected end of central directory)' });
    expect(ready).toEqual([]);
    c.dispose();
  });

  it('imports only staged files: never a path the page names', async () => {
    const { c, call } = controller(runner());
    expect(await call(null, 'import.start', { paths: ['/etc/passwd'] })).toMatchObject({ ok: false, error: expect.stringMatching(/Unrecognized key: "paths"/) });
    expect(await call(null, 'import.start', { uploads: ['0123456789abcdef0123456789abcdef'] })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown or expired/) });
    expect(await call(null, 'import.start', {})).toMatchObject({ ok: false, error: expect.stringMatching(/uploads/) });
    expect(await call(null, 'import.status', { job: 'nope' })).toMatchObject({ ok: false, error: 'no import job nope' });
    expect(c.stage(['relative/path.zip'])).toMatchObject({ ok: false, error: expect.stringMatching(/not a local file/) });
    expect(c.stage([path.join(dir, 'missing.zip')])).toMatchObject({ ok: false, error: expect.stringMatching(/no such file/) });
    c.dispose();
  });

  it('opens a .runlens file directly and refuses a file that is not a case', async () => {
    const run = runner();
    const { c, call } = controller(run);
    const good = makeCase(path.join(dir, 'good.runlens'), { repository: 'acme/good' });
    const r = c.openPaths([good]);
    expect(run.seen).toEqual([]);
    expect('caseId' in r && (await call(r.caseId, 'case.info'))).toMatchObject({ ok: true, value: { case_file: good } });
    const bad = path.join(dir, 'bad.runlens');
    fs.writeFileSync(bad, 'this is not SQLite\n'.repeat(100));
    expect(() => c.openCase(bad)).toThrow(/^Cannot open .*bad\.runlens: /);
    expect(() => c.openCase(path.join(dir, 'missing.runlens'))).toThrow(/^Cannot open /);
    c.dispose();
  });
});
