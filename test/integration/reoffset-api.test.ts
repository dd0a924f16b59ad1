/**
 * `case.reoffset` through the API (createApi, as `runlens serve` and the desktop app use it): a job polled with
 * `import.status`, after which the API answers from the new case; readable errors for bad requests. And the job
 * off-thread: the import worker, built from source here with esbuild, runs it in `mode: 'reoffset'` (progress,
 * result, cancel) and still imports bundles as before.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportStatus, Result } from '../../shared/api';
import { parseRfc3339 } from '../../shared/time';
import { createApi, type Api } from '../../electron/api/dispatch';
import type { ImportProgress } from '../../electron/api/imports';
import { prepareReoffset } from '../../electron/api/reoffset';
import { openCaseReadOnly } from '../../electron/db/open';
import { ImportCancelledError } from '../../electron/import/errors';
import { runImport } from '../../electron/import/run-import';
import { startImportWorker } from '../../electron/import/worker-client';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'resources', 'sample-bundle');
const FIXTURE_BUNDLE = path.join(ROOT, 'test', 'fixtures', 'bundle', 'small-bundle');

let dir: string;
let original: string;
let originalSha: string;
let net: number;
let workerDir: string;
let workerPath: string;

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

async function call<T>(api: Api, method: string, params: unknown): Promise<T> {
  const env = await api.call(method, params);
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
}

/** A call about case `caseId` (the case a job built), through the same owner. */
async function callCase<T>(api: Api, caseId: string, method: string, params: unknown): Promise<T> {
  const env = await api.owner.call({ case: caseId, method, params });
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
}

async function waitJob(api: Api, job: string): Promise<ImportStatus> {
  for (let i = 0; i < 600; i++) {
    const s = await call<ImportStatus>(api, 'import.status', { job });
    if (s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the job did not end');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-reoffset-api-'));
  original = path.join(dir, 'sample.runlens');
  await runImport({ inputs: [BUNDLE], casePath: original });
  originalSha = sha(original);
  const db = openCaseReadOnly(original);
  net = Number((db.prepare(`SELECT id FROM sources WHERE member = 'network.jsonl'`).get() as { id: number }).id);
  db.close();
  // The worker as the build makes it (inside the repository, so it finds node_modules/better-sqlite3).
  workerDir = fs.mkdtempSync(path.join(ROOT, 'test-results', 'reoffset-worker-'));
  workerPath = path.join(workerDir, 'import-worker.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'electron', 'worker.ts')],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'electron'],
    logLevel: 'warning',
  });
}, 120_000);
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(workerDir, { recursive: true, force: true });
});

describe('case.reoffset through the API', () => {
  it('runs as a job that names the new case, which answers with the shifted times; the original is unchanged', async () => {
    const api = createApi(original, { caseDir: dir });
    try {
      const before = await call<Result<'network.query'>>(api, 'network.query', { limit: 1000 });
      const { job } = await call<{ job: string }>(api, 'case.reoffset', {
        offsets: [{ source_id: net, seconds: 2.5 }],
      });
      const s = await waitJob(api, job);
      expect(s).toMatchObject({ state: 'done', phase: 'done', fraction: 1, error: null });
      expect(path.dirname(s.case_file!)).toBe(dir);
      expect(s.case_file).not.toBe(original);
      expect(s.case_id).toMatch(/^[0-9a-f]{24}$/);
      expect(s.case_id).not.toBe(api.caseId);
      // Nothing switched: the call naming the original case is still answered from it.
      expect((await call<Result<'case.info'>>(api, 'case.info', {})).case_file).toBe(original);

      const after = await callCase<Result<'network.query'>>(api, s.case_id!, 'network.query', { limit: 1000 });
      expect(after.total).toBe(before.total);
      const byId = new Map(before.rows.map((r) => [r.id, r]));
      for (const r of after.rows) expect(parseRfc3339(r.ts) - parseRfc3339(byId.get(r.id)!.ts)).toBe(2_500_000_000n);

      const info = await callCase<Result<'case.info'>>(api, s.case_id!, 'case.info', {});
      expect(info.case_file).toBe(s.case_file);
      expect(info.sources.filter((x) => x.offset_seconds !== 0).map((x) => [x.member, x.offset_seconds])).toEqual([
        ['network.jsonl', 2.5],
      ]);
      expect(sha(original)).toBe(originalSha);

      // Back to 0 from the new case: a third case, whose times are the original ones again.
      const back = await callCase<{ job: string }>(api, s.case_id!, 'case.reoffset', { offsets: [{ source_id: net, seconds: 0 }] });
      const s2 = await waitJob(api, back.job);
      expect(s2.state).toBe('done');
      const again = await callCase<Result<'network.query'>>(api, s2.case_id!, 'network.query', { limit: 1000 });
      expect(again.rows.map((r) => [r.id, r.ts, r.running_step_number])).toEqual(
        before.rows.map((r) => [r.id, r.ts, r.running_step_number]),
      );
    } finally {
      api.close();
    }
  }, 60_000);

  it('answers bad requests with one readable line and starts no job', async () => {
    const api = createApi(original, { caseDir: dir });
    try {
      const bad = async (params: unknown) => {
        const env = await api.call('case.reoffset', params);
        expect(env.ok).toBe(false);
        return (env as { error: string }).error;
      };
      expect(await bad({ offsets: [{ source_id: net, seconds: '2.5' }] })).toMatch(
        /^bad params for case\.reoffset: offsets\.0\.seconds: /,
      );
      expect(await bad({ offsets: [] })).toMatch(/^bad params for case\.reoffset: offsets: /);
      expect(await bad({ offsets: [{ source_id: net, seconds: 1e7 }] })).toMatch(/^bad params for case\.reoffset/);
      expect(await bad({ offsets: [{ source_id: 999, seconds: 1 }] })).toBe(
        'case.reoffset: no source 999 in this case',
      );
      expect(await bad({ offsets: [{ source_id: net, seconds: 0 }] })).toBe(
        'case.reoffset: these clock offsets are already in force: nothing to change',
      );
      expect(api.casePath).toBe(original);
    } finally {
      api.close();
    }
  });
});

describe('the re-offset job in the import worker (built from source)', () => {
  it('runs off-thread with progress and builds the new case', async () => {
    const plan = prepareReoffset({
      casePath: original,
      offsets: [{ source_id: net, seconds: -0.75 }],
      caseDir: dir,
      workerPath,
    });
    expect(plan.sources).toBe(1);
    const progress: ImportProgress[] = [];
    const r = await plan.task({ signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    expect(r.casePath).toBe(plan.to);
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['copying', 'shifting', 'finalizing', 'done']));
    expect(progress.some((p) => p.phase === 'finalizing' && p.message === 'network')).toBe(true);
    const db = openCaseReadOnly(plan.to);
    try {
      expect(db.prepare('SELECT offset_ns FROM sources WHERE id = ?').safeIntegers(true).get(net)).toEqual({
        offset_ns: -750_000_000n,
      });
    } finally {
      db.close();
    }
    expect(sha(original)).toBe(originalSha);
  }, 60_000);

  it('cancel stops the worker and leaves neither the case nor a partial file', async () => {
    const plan = prepareReoffset({
      casePath: original,
      offsets: [{ source_id: net, seconds: 11 }],
      caseDir: dir,
      workerPath,
    });
    const ac = new AbortController();
    const p = plan.task({ signal: ac.signal, onProgress: () => {} });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(ImportCancelledError);
    expect(fs.existsSync(plan.to)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 30_000);

  it('still imports bundles (the default mode of the same worker)', async () => {
    const casePath = path.join(dir, 'small.runlens');
    const h = startImportWorker({ inputs: [FIXTURE_BUNDLE], casePath, workerPath });
    const s = await h.done;
    expect(s.counts.network).toBe(4);
    expect(fs.existsSync(casePath)).toBe(true);
  }, 60_000);
});
