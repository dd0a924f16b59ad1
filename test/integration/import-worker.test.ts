/**
 * The built import worker (dist/electron/import-worker.cjs, built here when missing) driven through
 * startImportWorker: progress events, the summary, errors, and cancel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelledError } from '../../electron/import/errors';
import type { ImportProgress } from '../../electron/import/run-import';
import { ImportError } from '../../electron/import/types';
import { runInWorker, startImportWorker, startWorkerEarly } from '../../electron/import/worker-client';
import type { ImportSummary } from '../../electron/import/run-import';
import { buildNode } from '../../scripts/build-node.mjs';
import { bundleEntries, FIXTURE_BUNDLE, makeTar, tempDir } from './import-helpers';

const WORKER = fileURLToPath(new URL('../../dist/electron/import-worker.cjs', import.meta.url));

let work: string;
beforeAll(async () => {
  // `npm test` builds first; a test run on its own builds just the worker
  if (!fs.existsSync(WORKER)) await buildNode(['import-worker'], 'silent');
  work = tempDir('rl-worker-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('import worker (built)', () => {
  it('imports the fixture bundle off-thread, with progress events', async () => {
    const casePath = path.join(work, 'w.runlens');
    const events: ImportProgress[] = [];
    const h = startImportWorker({ inputs: [FIXTURE_BUNDLE], casePath, workerPath: WORKER });
    h.progress.on('progress', (p) => events.push(p));
    const s = await h.done;
    expect(s.counts).toEqual({ network: 4, dns: 2, processes: 7, process_events: 15, log_lines: 15, steps: 4, files: 2 });
    expect(s.case).toBe(casePath);
    expect(fs.existsSync(casePath)).toBe(true);
    expect(events.some((e) => e.phase === 'reading')).toBe(true);
    expect(events.at(-1)?.phase).toBe('done');
  });

  it('passes an ImportError through as an ImportError', async () => {
    const notes = path.join(work, 'notes.md');
    fs.writeFileSync(notes, 'nothing here\n');
    const h = startImportWorker({ inputs: [notes], casePath: path.join(work, 'none.runlens'), workerPath: WORKER });
    const err = await h.done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/nothing recognised/);
    expect(fs.existsSync(path.join(work, 'none.runlens'))).toBe(false);
  });

  it('cancel() aborts the import and removes the partial case', async () => {
    const tgz = path.join(work, 'big.tgz');
    // Enough lines that the import is still reading when the cancel arrives.
    const line = fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl'), 'utf8').split('\n')[1]!;
    await makeTar(tgz, [...bundleEntries('', true), { name: 'network.jsonl', data: (line + '\n').repeat(200_000) }]);
    const casePath = path.join(work, 'cancelled.runlens');
    const h = startImportWorker({ inputs: [tgz], casePath, workerPath: WORKER });
    let asked = false;
    h.progress.on('progress', (p) => {
      if (!asked && p.phase === 'reading' && p.file?.endsWith('network.jsonl')) {
        asked = true;
        h.cancel();
      }
    });
    const err = await h.done.catch((e: unknown) => e);
    expect(asked).toBe(true);
    expect(err).toBeInstanceOf(ImportCancelledError);
    expect(fs.readdirSync(work).filter((f) => f.startsWith('cancelled.runlens'))).toEqual([]);
  });

  it('started early (before its options are known: serve hashes the inputs meanwhile), imports once given them', async () => {
    const early = startWorkerEarly(WORKER);
    const casePath = path.join(work, 'early.runlens');
    const events: ImportProgress[] = [];
    const s = await runInWorker<ImportProgress, ImportSummary>({ inputs: [FIXTURE_BUNDLE], casePath }, { started: early, onProgress: (p) => events.push(p) });
    expect(s.counts.log_lines).toBe(15);
    expect(fs.existsSync(casePath)).toBe(true);
    expect(events.at(-1)?.phase).toBe('done');
  });

  it('an early worker not needed after all is stopped, and one that stopped is refused with why', async () => {
    const early = startWorkerEarly(WORKER);
    const exited = new Promise<number>((resolve) => early.worker.once('exit', resolve));
    early.discard();
    await exited;
    expect(early.failed()).toMatch(/stopped/);
    const err = await runInWorker({ inputs: [FIXTURE_BUNDLE], casePath: path.join(work, 'never.runlens') }, { started: early }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/stopped/);
    expect(fs.existsSync(path.join(work, 'never.runlens'))).toBe(false);
  });
});
