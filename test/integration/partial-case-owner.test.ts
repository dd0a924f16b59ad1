/**
 * First screen first through the case owner (electron/api/case-owner.ts), with the real import worker (built) held
 * at its first screen and before its analysis by the test-only pause (RUNLENS_TEST_PAUSE_DIR, partial-case.ts):
 * - the case being built is open under the id of the case it becomes, read-only, before the case file exists;
 *   `case.status` / `case.info` say how far it is; what is not built yet answers "still importing", never empty;
 * - when the import completes, the same id answers from the complete file;
 * - an interrupted import (cancel, or the app stopped half-way) leaves no case that looks complete: the case is
 *   refused with "incomplete case", and the start page's list marks it incomplete, also after a restart;
 * - a partial file copied away is refused as incomplete by every read-only open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle, type BundleInfo } from '../../bench/gen-data';
import type { CaseStatus, CaseSummary } from '../../shared/api';
import { CaseOwner } from '../../electron/api/case-owner';
import { call, until } from './owner-job';
import { mapProgress } from '../../electron/api/import-runner';
import type { ImportRunner } from '../../electron/api/imports';
import { addRecent } from '../../electron/api/recent-cases';
import { openCaseReadOnly } from '../../electron/db/open';
import { partialPathFor } from '../../electron/import/partial-sweep';
import type { ImportProgress, ImportSummary } from '../../electron/import/run-import';
import { runInWorker } from '../../electron/import/worker-client';
import { buildNode } from '../../scripts/build-node.mjs';
import { tempDir } from './import-helpers';

const WORKER = fileURLToPath(new URL('../../dist/electron/import-worker.cjs', import.meta.url));

let work: string;
let pauseDir: string;
let bundle: BundleInfo;
let other: BundleInfo;

beforeAll(async () => {
  if (!fs.existsSync(WORKER)) await buildNode(['import-worker'], 'silent');
  work = tempDir('rl-partial-owner-');
  pauseDir = path.join(work, 'pause');
  fs.mkdirSync(pauseDir);
  bundle = writeBundle(path.join(work, 'bundle'), { calls: 4000, processes: 300, logLines: 40_000 });
  other = writeBundle(path.join(work, 'other'), { calls: 2000, processes: 200, logLines: 30_000 }, 7);
  // Read by the worker threads started below (a worker copies process.env when it starts).
  process.env.RUNLENS_TEST_PAUSE_DIR = pauseDir;
}, 120_000);
afterAll(() => {
  delete process.env.RUNLENS_TEST_PAUSE_DIR;
  fs.rmSync(work, { recursive: true, force: true });
});

/** The app's runner, but with the built worker from this checkout (the default looks beside the bundled code). */
const runner: ImportRunner = async ({ inputs, caseDir, signal, onProgress }) => {
  const casePath = path.join(caseDir!, `${path.basename(inputs[0]!)}.runlens`);
  const partialPath = partialPathFor(casePath);
  const s = await runInWorker<ImportProgress, ImportSummary>(
    { inputs, casePath, partialPath },
    { signal, onProgress: (p) => onProgress(mapProgress(p, casePath)), partialPath, workerPath: WORKER },
  );
  return { casePath: s.case, warnings: s.warnings.length };
};

/** The app's runner, held after the worker has renamed the partial file into the case, until released. */
const held = (() => {
  let signal!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (signal = r));
  const released = new Promise<void>((r) => (release = r));
  return { reached, released, signal: () => signal(), release: () => release() };
})();
const heldRunner: ImportRunner = async (args) => {
  const r = await runner(args);
  held.signal();
  await held.released;
  return r;
};

/** A ready signal from the worker: the pause point's marker file (then the point's `.go` lets it on). */
async function reached(point: string): Promise<void> {
  const f = path.join(pauseDir, `${point}.reached`);
  for (let i = 0; i < 6000 && !fs.existsSync(f); i++) await new Promise((r) => setTimeout(r, 10));
  expect(fs.existsSync(f)).toBe(true);
}
function go(point: string): void {
  fs.writeFileSync(path.join(pauseDir, `${point}.go`), '');
}
function resetPause(): void {
  for (const f of fs.readdirSync(pauseDir)) fs.rmSync(path.join(pauseDir, f));
}

async function value<T>(owner: CaseOwner, caseId: string | null, method: string, params: unknown = {}): Promise<T> {
  const e = await call<T>(owner, caseId, method, params);
  if (!e.ok) throw new Error(`${method}: ${e.error}`);
  return e.value;
}

/** What the first screen asks for answers from the partial case (rows so far, never an error). */
async function answersWhatIsThere(owner: CaseOwner, id: string): Promise<void> {
  const calls: [string, unknown][] = [
    ['case.info', {}],
    ['steps.list', {}],
    ['timeline.steps', {}],
    ['timeline.density', { start: '2026-10-14T09:12:03Z', bucket_log2: 34, buckets: 100 }],
    ['log.window', { offset: 0, limit: 200 }],
    ['log.outline', {}],
    ['log.indexAt', { ts: '2026-10-14T09:20:00Z' }],
    ['log.indexOfId', { id: 10 }],
    ['network.query', { offset: 0, limit: 50 }],
    ['network.indexAt', { ts: '2026-10-14T09:20:00Z' }],
    ['dns.list', {}],
    ['files.list', {}],
    ['raw.get', { table: 'log_lines', id: 1 }],
  ];
  for (const [m, p] of calls) expect(await call(owner, id, m, p), m).toMatchObject({ ok: true });
}

describe('first screen first in the case owner', () => {
  it('opens the case being built under its final id, says what is not ready, and switches to the complete file', async () => {
    resetPause();
    const caseDir = path.join(work, 'cases');
    const recentFile = path.join(work, 'recent.json');
    const owner = new CaseOwner({ caseDir, recentFile, runner });
    try {
      const casePath = path.join(caseDir, 'bundle.runlens');
      const { job } = owner.startImport({ paths: [bundle.dir], release: () => {} });
      await reached('first-screen');
      const st = await until(owner, job, (s) => s.case_id !== null);
      const id = st.case_id!;
      expect(st.state).toBe('running');
      expect(st.case_state).toBe('loading');
      expect(fs.existsSync(casePath)).toBe(false); // nothing at the case path until it is complete

      const status = await value<CaseStatus>(owner, id, 'case.status');
      expect(status.import_state).toBe('loading');
      expect(status.log_lines).toBeGreaterThan(0);
      expect(status.log_lines).toBeLessThan(bundle.expected.log_lines);
      expect(status.job?.id).toBe(job);
      const info = await value<{ import_state: string; case_file: string; counts: { steps: number } }>(owner, id, 'case.info');
      expect(info.import_state).toBe('loading');
      expect(info.case_file).toBe(casePath);
      expect(info.counts.steps).toBeGreaterThan(0);
      const win = await value<{ total: number; rows: { raw: string }[] }>(owner, id, 'log.window', { offset: 0, limit: 50 });
      expect(win.rows).toHaveLength(50);
      const steps = await value<{ steps: unknown[] }>(owner, id, 'steps.list');
      expect(steps.steps.length).toBeGreaterThan(0);
      const density = await call(owner, id, 'timeline.density', { start: '2026-10-14T09:12:03Z', bucket_log2: 34, buckets: 100 });
      expect(density).toEqual({ ok: true, value: expect.anything() });
      // Not built yet: a clear "still importing", never an empty list.
      const asked: Record<string, unknown> = {
        'log.search': { query: 'npm', from: 0, direction: 'next' },
        'notes.add': { text: 'x', target: { kind: 'call', id: 1 } },
        'mentions.list': {},
      };
      for (const m of ['findings.list', 'log.search', 'process.tree', 'notes.add', 'mentions.list']) {
        const e = await call(owner, id, m, asked[m] ?? {});
        expect(e.ok, m).toBe(false);
        expect((e as { error: string }).error, m).toMatch(/^still importing \(loading\): /);
      }
      await answersWhatIsThere(owner, id);
      // Reading it wrote nothing beside it: no journal, WAL, shared memory or notes file, only the importer's file
      // (and the importer's calls worker's database with its journal: `<partial>-calls`, import/calls-side.ts).
      expect(fs.readdirSync(caseDir).filter((f) => f.startsWith('bundle.runlens') && !/-calls(-journal)?$/.test(f))).toEqual([expect.stringMatching(/^bundle\.runlens\.partial-\d+-[0-9a-f]{12}$/)]);
      const listed = (await value<{ cases: CaseSummary[] }>(owner, null, 'cases.list')).cases.find((c) => c.id === id)!;
      expect(listed.state).toBe('importing');
      expect(listed.case_file).toBe(casePath);

      go('first-screen');
      // Reads while the importer writes in its worker: each answers (never "locked"), and the rows keep arriving.
      const seen: number[] = [];
      while (!fs.existsSync(path.join(pauseDir, 'analysing.reached'))) {
        const st = await value<CaseStatus>(owner, id, 'case.status');
        const w = await call<{ rows: unknown[] }>(owner, id, 'log.window', { offset: 0, limit: 200 });
        expect(w, 'log.window while the importer writes').toMatchObject({ ok: true });
        if (st.log_lines !== seen.at(-1)) seen.push(st.log_lines);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never backwards
      await reached('analysing');
      await until(owner, job, (s) => s.case_state === 'analysing');
      expect((await value<CaseStatus>(owner, id, 'case.status')).import_state).toBe('analysing');
      expect((await call(owner, id, 'findings.list')).ok).toBe(false);
      await answersWhatIsThere(owner, id);
      // every row is in: the calls table has them all (their analysis columns come with the analysis)
      expect((await value<{ total: number }>(owner, id, 'network.query', { offset: 0, limit: 20 })).total).toBe(bundle.expected.network);

      go('analysing');
      const done = await until(owner, job, (s) => s.state !== 'running');
      expect(done.state).toBe('done');
      expect(done.case_id).toBe(id); // the same id: the page keeps its place
      expect(done.case_state).toBe('complete');
      const after = await value<CaseStatus>(owner, id, 'case.status');
      expect(after).toMatchObject({ import_state: 'complete', log_lines: bundle.expected.log_lines, calls: bundle.expected.network, job: null });
      const findings = await value<{ findings: { kind: string }[] }>(owner, id, 'findings.list');
      expect(findings.findings.length).toBeGreaterThan(0);
      expect((await value<{ total: number }>(owner, id, 'log.window', { offset: 0, limit: 10 })).total).toBe(bundle.expected.log_lines);
      expect((await value<{ cases: CaseSummary[] }>(owner, null, 'cases.list')).cases.find((c) => c.id === id)!.state).toBe('complete');
      const recent = JSON.parse(fs.readFileSync(recentFile, 'utf8')) as { cases: { path: string; import?: unknown }[] };
      expect(recent.cases.find((c) => c.path === casePath)?.import).toBeUndefined();
    } finally {
      owner.dispose();
    }
  }, 180_000);

  it('a cancelled import leaves an incomplete case: refused, and listed as incomplete (also after a restart)', async () => {
    resetPause();
    const caseDir = path.join(work, 'cases2');
    const recentFile = path.join(work, 'recent2.json');
    const owner = new CaseOwner({ caseDir, recentFile, runner });
    const casePath = path.join(caseDir, 'other.runlens');
    let id: string;
    let copy: string;
    try {
      const { job } = owner.startImport({ paths: [other.dir], release: () => {} });
      await reached('first-screen');
      id = (await until(owner, job, (s) => s.case_id !== null)).case_id!;
      expect((await value<{ rows: unknown[] }>(owner, id, 'log.window', { offset: 0, limit: 5 })).rows).toHaveLength(5);
      // What a killed app leaves: the partial file. Copied away and named like a case, it is still refused.
      const partial = fs.readdirSync(caseDir).find((f) => /^other\.runlens\.partial-\d+-[0-9a-f]{12}$/.test(f))!;
      copy = path.join(work, 'copied.runlens');
      fs.copyFileSync(path.join(caseDir, partial), copy);
      expect(owner.cancel(job)).toEqual({ cancelled: true });
      const end = await until(owner, job, (s) => s.state !== 'running');
      expect(end.state).toBe('cancelled');
      expect(end.case_state).toBe('interrupted');
      expect(fs.existsSync(casePath)).toBe(false);
      expect(fs.readdirSync(caseDir).filter((f) => f.startsWith('other.runlens'))).toEqual([]);

      const st = await value<CaseStatus>(owner, id, 'case.status');
      expect(st.import_state).toBe('interrupted');
      expect(st.message).toMatch(/cancelled before the case was complete/);
      const refused = await call(owner, id, 'log.window', { offset: 0, limit: 5 });
      expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^incomplete case: its import was cancelled/) });
      const listed = (await value<{ cases: CaseSummary[] }>(owner, null, 'cases.list')).cases.find((c) => c.id === id)!;
      expect(listed).toMatchObject({ state: 'incomplete', state_note: expect.stringMatching(/cancelled/) });
    } finally {
      owner.dispose();
    }
    // A restart: the recent list still says incomplete, and opening it says why.
    const again = new CaseOwner({ caseDir, recentFile, runner });
    try {
      const listed = (await value<{ cases: CaseSummary[] }>(again, null, 'cases.list')).cases.find((c) => c.id === id)!;
      expect(listed).toMatchObject({ state: 'incomplete', open: false });
      const open = await call(again, null, 'cases.open', { id });
      expect(open).toEqual({ ok: false, error: expect.stringMatching(/incomplete case: its import was cancelled/) });
    } finally {
      again.dispose();
    }
    expect(() => openCaseReadOnly(copy)).toThrow(/incomplete case: its import stopped before it was complete \(state 'loading'\)/);
    const third = new CaseOwner({ caseDir, recentFile, runner });
    try {
      expect(() => third.open(copy)).toThrow(/incomplete case/);
    } finally {
      third.dispose();
    }
  }, 180_000);

  it('a case whose import never finished (the app stopped while importing) is listed as incomplete and refused', async () => {
    const recentFile = path.join(work, 'recent3.json');
    const casePath = path.join(work, 'never', 'killed.runlens');
    addRecent(recentFile, casePath, 'acme/killed', new Date(), undefined, { state: 'importing' });
    const owner = new CaseOwner({ recentFile, caseDir: path.join(work, 'never') });
    try {
      const c = (await value<{ cases: CaseSummary[] }>(owner, null, 'cases.list')).cases[0]!;
      expect(c).toMatchObject({ title: 'acme/killed', state: 'incomplete', state_note: expect.stringMatching(/did not finish/) });
      const open = await call(owner, null, 'cases.open', { id: c.id });
      expect(open).toEqual({ ok: false, error: expect.stringMatching(/acme\/killed: incomplete case: its import did not finish/) });
    } finally {
      owner.dispose();
    }
  });
  it('between the rename into the complete case and the job saying so, a read is "still importing" or right, never a missing file', async () => {
    resetPause();
    go('first-screen');
    go('analysing');
    const caseDir = path.join(work, 'cases4');
    const owner = new CaseOwner({ caseDir, recentFile: path.join(work, 'recent4.json'), runner: heldRunner });
    try {
      const casePath = path.join(caseDir, 'bundle.runlens');
      const { job } = owner.startImport({ paths: [bundle.dir], release: () => {} });
      const id = (await until(owner, job, (s) => s.case_id !== null)).case_id!;
      await held.reached; // the worker renamed the partial file into the case; the job has not reported done
      expect(fs.existsSync(casePath)).toBe(true);
      expect(owner.status(job).state).toBe('running');
      // the owner still reads the partial path it opened, which is gone: the answer must not be that error
      for (const m of ['log.window', 'timeline.steps', 'network.query']) {
        const e = await call<unknown>(owner, id, m, m === 'timeline.steps' ? {} : { offset: 0, limit: 20 });
        if (!e.ok) expect((e as { error: string }).error, m).toMatch(/^still importing \((loading|analysing)\): /);
      }
      expect((await value<CaseStatus>(owner, id, 'case.status')).import_state).not.toBe('complete');
      held.release();
      await until(owner, job, (s) => s.state === 'done');
      expect((await value<{ total: number }>(owner, id, 'log.window', { offset: 0, limit: 10 })).total).toBe(bundle.expected.log_lines);
      expect((await value<CaseStatus>(owner, id, 'case.status')).import_state).toBe('complete');
    } finally {
      owner.dispose();
    }
  }, 180_000);
});
