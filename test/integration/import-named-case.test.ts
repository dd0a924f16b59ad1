/**
 * First screen first, before the first screen: the app's import runner (api/import-runner.ts) starts the import at
 * once and hashes the inputs beside it, and the case owner knows the case's id as soon as it is named.
 * - with the real runner and the built worker: the case is named by its inputs' hashes as before (the same file the
 *   CLI would name), `meta.import.case_file` records that name, no provisional or partial file is left, and an
 *   identical input reuses the case (the second import stops as soon as the hash finds it);
 * - through the owner (a scripted runner: named, then readable, then done or failed): `case.status` of a named case
 *   answers at once, other calls wait until it is readable and then answer from it; a named case whose import fails
 *   before it is readable answers "incomplete case" to the calls that waited.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStatus, Envelope } from '../../shared/api';
import { CaseOwner } from '../../electron/api/case-owner';
import { call, until } from './owner-job';
import { caseIdOf } from '../../electron/api/case-id';
import { importRunner } from '../../electron/api/import-runner';
import type { ImportProgress, ImportRunner } from '../../electron/api/imports';
import { openCaseReadOnly } from '../../electron/db/open';
import { defaultCasePath, hashInputs } from '../../electron/import/case-location';
import { openPartialCase } from '../../electron/import/partial-case';
import { makeStoryCase } from '../e2e/support/story-case';
import { buildNode } from '../../scripts/build-node.mjs';
import { tempDir } from './import-helpers';

const WORKER = fileURLToPath(new URL('../../dist/electron/import-worker.cjs', import.meta.url));
const LOG = fileURLToPath(new URL('../fixtures/gha/menugreen_composite_job_log.txt', import.meta.url));

let work: string;
let story: string;
beforeAll(async () => {
  if (!fs.existsSync(WORKER)) await buildNode(['import-worker'], 'silent');
  work = tempDir('rl-named-case-');
  story = path.join(work, 'story.runlens');
  makeStoryCase(story);
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the import runner names the case beside the import', () => {
  it('names it by its inputs, records that name, leaves nothing else, and reuses it for an identical input', async () => {
    const caseDir = path.join(work, 'cases-real');
    const run = importRunner(WORKER);
    const seen: ImportProgress[] = [];
    const r = await run({ inputs: [LOG], caseDir, signal: new AbortController().signal, onProgress: (p) => seen.push(p) });
    const want = path.join(caseDir, path.basename(defaultCasePath(await hashInputs([LOG]))));
    expect(r.casePath).toBe(want);
    expect(seen.find((p) => p.named)?.named).toBe(want);
    // every readable partial was reported under the case's name, never under the import's own
    for (const p of seen.filter((p) => p.partial)) expect(p.partial!.casePath).toBe(want);
    expect(fs.readdirSync(caseDir)).toEqual([path.basename(want)]);
    const db = openCaseReadOnly(want);
    try {
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'import'").get() as { value: string };
      expect(JSON.parse(meta.value).case_file).toBe(want);
    } finally {
      db.close();
    }
    const before = fs.statSync(want).mtimeMs;
    const again: ImportProgress[] = [];
    const r2 = await run({ inputs: [LOG], caseDir, signal: new AbortController().signal, onProgress: (p) => again.push(p) });
    expect(r2.casePath).toBe(want);
    expect(again.some((p) => p.named)).toBe(false); // found by its hash: never named as a new case
    expect(fs.statSync(want).mtimeMs).toBe(before);
    expect(fs.readdirSync(caseDir)).toEqual([path.basename(want)]); // the stopped import left no partial file
  }, 60_000);
});

describe('the first screen before the name (serve: the hash waits for it)', () => {
  it('with `firstScreenShown`, the import is readable before its inputs are hashed; the case is named once it settles', async () => {
    const caseDir = path.join(work, 'cases-name-after');
    // more lines than the writer's first commit (5000): readable while the load goes on
    const big = path.join(work, 'big-job.txt');
    fs.writeFileSync(big, Array.from({ length: 12_000 }, (_, i) => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.0000000Z line ${i}\n`).join(''));
    const run = importRunner(WORKER, { nameAtLatestMs: 600_000 });
    const seen: ImportProgress[] = [];
    let nameNow = () => {};
    const firstScreenShown = new Promise<void>((r) => (nameNow = r));
    const done = run({ inputs: [big], caseDir, signal: new AbortController().signal, onProgress: (p) => seen.push(p), firstScreenShown });
    for (let i = 0; i < 6000 && !seen.some((p) => p.readable); i++) await new Promise((r) => setTimeout(r, 10));
    const readable = seen.find((p) => p.readable)?.readable;
    expect(readable).toBeTruthy();
    expect(seen.some((p) => p.named || p.partial)).toBe(false); // not hashed, so not named, yet
    const db = openPartialCase(readable!.path);
    try {
      expect((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    nameNow();
    const r = await done;
    const want = path.join(caseDir, path.basename(defaultCasePath(await hashInputs([big]))));
    expect(r.casePath).toBe(want);
    expect(seen.find((p) => p.named)?.named).toBe(want);
    // once named, the same partial file is reported as the case's
    expect(seen.find((p) => p.partial)?.partial).toMatchObject({ path: readable!.path, casePath: want });
    expect(fs.readdirSync(caseDir)).toEqual([path.basename(want)]);
  }, 60_000);

  it('an import whose `firstScreenShown` never settles is named when its load needs the name (no first screen asked: a small log)', async () => {
    const caseDir = path.join(work, 'cases-name-needed');
    const run = importRunner(WORKER, { nameAtLatestMs: 600_000 });
    const r = await run({ inputs: [LOG], caseDir, signal: new AbortController().signal, onProgress: () => {}, firstScreenShown: new Promise<void>(() => {}) });
    expect(r.casePath).toBe(path.join(caseDir, path.basename(defaultCasePath(await hashInputs([LOG])))));
  }, 60_000);

  it("serve's alias answers the first screen from the partial file before the name; case.info waits for it; the page's first call beyond its first screen lets it be named", async () => {
    const dir = path.join(work, 'cases-early');
    fs.mkdirSync(dir, { recursive: true });
    const casePath = path.join(dir, 'early.runlens');
    const partial = path.join(dir, 'import-x.runlens.partial-1-000000000000');
    fs.copyFileSync(story, partial);
    const gates = { readable: () => {}, end: () => {} };
    let gotNameAfter = false;
    const runner: ImportRunner = async ({ onProgress, firstScreenShown }) => {
      gotNameAfter = firstScreenShown !== undefined;
      await new Promise<void>((r) => (gates.readable = r));
      onProgress({ phase: 'reading', readable: { path: partial, state: 'loading' } });
      await firstScreenShown;
      onProgress({ phase: 'reading', named: casePath });
      onProgress({ phase: 'reading', partial: { path: partial, casePath, state: 'loading' } });
      await new Promise<void>((r) => (gates.end = r));
      fs.renameSync(partial, casePath);
      return { casePath, warnings: 0 };
    };
    const owner = new CaseOwner({ runner });
    try {
      const { job, id } = owner.startImportAs({ paths: [story], release: () => {} });
      expect(gotNameAfter).toBe(true);
      expect(await call<CaseStatus>(owner, id, 'case.status')).toMatchObject({ ok: true, value: { import_state: 'loading', log_lines: 0 } });
      const early = call<{ steps: unknown[] }>(owner, id, 'steps.list'); // asked before it is readable: answered once it is
      gates.readable();
      expect(await early).toMatchObject({ ok: true });
      let st: Envelope<CaseStatus> | null = null;
      for (let i = 0; i < 6000; i++) {
        st = await call<CaseStatus>(owner, id, 'case.status');
        if (st.ok && st.value.log_lines > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(st).toMatchObject({ ok: true, value: { import_state: 'loading' } });
      expect(owner.casePathOf(id)).toBeUndefined(); // readable, not named
      let infoAnswered = false;
      const info = call<{ case_file: string }>(owner, id, 'case.info').then((e) => ((infoAnswered = true), e));
      expect(await call<{ total: number }>(owner, id, 'log.outline')).toMatchObject({ ok: true });
      expect(infoAnswered).toBe(false); // the case's file is not known before its name
      expect(owner.casePathOf(id)).toBeUndefined();
      const win = await call<{ total: number; rows: unknown[] }>(owner, id, 'log.window', { offset: 0, limit: 10 });
      expect(win.ok && win.value.rows.length).toBe(10);
      expect(owner.casePathOf(id)).toBeUndefined(); // the page has not drawn it yet
      // The page drew its first screen: its held calls come (first-screen-gate.ts); the case is named then.
      expect(await call(owner, id, 'timeline.steps')).toMatchObject({ ok: true });
      expect(await info).toMatchObject({ ok: true, value: { case_file: path.resolve(casePath) } });
      expect(owner.casePathOf(id)).toBe(path.resolve(casePath));
      expect(owner.status(job).case_id).toBe(caseIdOf(casePath));
      gates.end();
      await until(owner, job, (j) => j.state === 'done');
      expect(await call<CaseStatus>(owner, id, 'case.status')).toMatchObject({ ok: true, value: { import_state: 'complete' } });
      expect(await call<{ total: number }>(owner, id, 'log.window', { offset: 0, limit: 10 })).toMatchObject({ ok: true, value: { total: win.ok ? win.value.total : -1 } });
    } finally {
      owner.dispose();
    }
  });
});

/** A runner scripted by the test: named, then (on `readable`) the story case as its partial file, then the end. */
function scripted() {
  const gates = { readable: () => {}, end: (_fail?: string) => {} };
  const casePath = path.join(work, 'cases-scripted', 'named.runlens');
  const runner: ImportRunner = async ({ onProgress }) => {
    onProgress({ phase: 'hashing', named: casePath });
    await new Promise<void>((r) => (gates.readable = r));
    onProgress({ phase: 'reading', partial: { path: story, casePath, state: 'loading' } });
    const fail = await new Promise<string | undefined>((r) => (gates.end = r));
    if (fail) throw new Error(fail);
    fs.mkdirSync(path.dirname(casePath), { recursive: true });
    fs.copyFileSync(story, casePath);
    return { casePath, warnings: 0 };
  };
  return { runner, gates, casePath };
}

describe('a named case in the owner', () => {
  it('says how far it is at once; other calls wait until it is readable, then answer from it', async () => {
    const s = scripted();
    const owner = new CaseOwner({ runner: s.runner });
    try {
      const { job } = owner.startImport({ paths: [story], release: () => {} });
      const st = await until(owner, job, (j) => j.case_id !== null);
      const id = caseIdOf(s.casePath);
      expect(st.case_id).toBe(id);
      expect(st.case_state).toBe('loading');
      expect(owner.casePathOf(id)).toBe(path.resolve(s.casePath));
      const status = await call<CaseStatus>(owner, id, 'case.status');
      expect(status).toMatchObject({ ok: true, value: { import_state: 'loading', log_lines: 0, job: { id: job } } });
      let answered = false;
      const steps = call<{ steps: unknown[] }>(owner, id, 'steps.list').then((e) => ((answered = true), e));
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false); // waits: nothing is readable yet
      s.gates.readable();
      const e = await steps;
      expect(e.ok).toBe(true);
      expect((e as { value: { steps: unknown[] } }).value.steps.length).toBeGreaterThan(0);
      s.gates.end();
      await until(owner, job, (j) => j.state === 'done');
      expect((await call<CaseStatus>(owner, id, 'case.status'))).toMatchObject({ ok: true, value: { import_state: 'complete' } });
    } finally {
      owner.dispose();
    }
  });

  it('a named case whose import fails before it is readable: the waiting calls say the case is incomplete', async () => {
    const casePath = path.join(work, 'cases-scripted', 'failed.runlens');
    let fail: (why: string) => void = () => {};
    const runner: ImportRunner = async ({ onProgress }) => {
      onProgress({ phase: 'hashing', named: casePath });
      throw new Error(await new Promise<string>((r) => (fail = r)));
    };
    const owner = new CaseOwner({ runner });
    try {
      const { job } = owner.startImport({ paths: [story], release: () => {} });
      await until(owner, job, (j) => j.case_id !== null);
      const id = caseIdOf(casePath);
      const waiting = call(owner, id, 'log.window', { offset: 0, limit: 10 });
      fail('nothing recognised in the input');
      const e = await waiting;
      expect(e.ok).toBe(false);
      expect((e as { error: string }).error).toMatch(/incomplete case: its import failed .*nothing recognised/);
      expect((await call<CaseStatus>(owner, id, 'case.status'))).toMatchObject({ ok: true, value: { import_state: 'interrupted' } });
      expect(fs.existsSync(casePath)).toBe(false);
    } finally {
      owner.dispose();
    }
  });

  it('an id given before the case is named (serve prints its URL at once) stands for the case once it is', async () => {
    const casePath = path.join(work, 'cases-scripted', 'aliased.runlens');
    const gates = { named: () => {}, readable: () => {}, end: () => {} };
    const runner: ImportRunner = async ({ onProgress }) => {
      await new Promise<void>((r) => (gates.named = r));
      onProgress({ phase: 'hashing', named: casePath });
      await new Promise<void>((r) => (gates.readable = r));
      onProgress({ phase: 'reading', partial: { path: story, casePath, state: 'loading' } });
      await new Promise<void>((r) => (gates.end = r));
      fs.copyFileSync(story, casePath);
      return { casePath, warnings: 0 };
    };
    const recentFile = path.join(work, 'recent-aliased.json');
    const owner = new CaseOwner({ runner, recentFile });
    try {
      const { job, id } = owner.startImportAs({ paths: [story], release: () => {} });
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(id).not.toBe(caseIdOf(casePath));
      expect(await call<CaseStatus>(owner, id, 'case.status')).toMatchObject({ ok: true, value: { import_state: 'loading', job: { id: job } } });
      let answered = false;
      const info = call<{ case_file: string }>(owner, id, 'case.info').then((e) => ((answered = true), e));
      gates.named();
      await until(owner, job, (j) => j.case_id !== null);
      expect(owner.casePathOf(id)).toBe(path.resolve(casePath));
      await new Promise((r) => setTimeout(r, 20));
      expect(answered).toBe(false); // named, not readable yet
      gates.readable();
      expect(await info).toMatchObject({ ok: true, value: { case_file: path.resolve(casePath) } });
      gates.end();
      await until(owner, job, (j) => j.state === 'done');
      expect(await call<CaseStatus>(owner, id, 'case.status')).toMatchObject({ ok: true, value: { import_state: 'complete' } });
      const listed = (await owner.call({ case: null, method: 'cases.list', params: {} })) as Envelope<{ cases: { id: string }[] }>;
      expect(listed.ok && listed.value.cases.map((c) => c.id)).toEqual([caseIdOf(casePath)]); // listed by its own id
      // After a restart the printed URL still finds its case (through the recent list).
      await owner.summaryOf(id);
      const again = new CaseOwner({ recentFile });
      try {
        expect(await call<{ steps: unknown[] }>(again, id, 'steps.list')).toMatchObject({ ok: true });
        expect(again.casePathOf(id)).toBe(path.resolve(casePath));
      } finally {
        again.dispose();
      }
    } finally {
      owner.dispose();
    }
  });

  it('an id given before the case is named, whose import fails first: its calls say the case is incomplete', async () => {
    const runner: ImportRunner = async () => {
      throw new Error('nothing recognised in the input');
    };
    const owner = new CaseOwner({ runner });
    try {
      const { job, id } = owner.startImportAs({ paths: [story], release: () => {} });
      await until(owner, job, (j) => j.state === 'failed');
      const e = await call(owner, id, 'log.window', { offset: 0, limit: 10 });
      expect(e).toMatchObject({ ok: false, error: expect.stringMatching(/incomplete case: its import failed .*nothing recognised/) });
      expect(await call<CaseStatus>(owner, id, 'case.status')).toMatchObject({ ok: true, value: { import_state: 'interrupted' } });
    } finally {
      owner.dispose();
    }
  });
});
