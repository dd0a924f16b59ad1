/**
 * The one worker client (electron/import/worker-client.ts): a cancel the worker cannot hear (a CPU-bound step that
 * never yields, like a long SQLite statement) ends the worker after the grace period, removes the partial case it
 * was building, and settles as cancelled; a worker that does stop by itself is not terminated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelledError } from '../../electron/import/errors';
import { runInWorker } from '../../electron/import/worker-client';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-worker-cancel-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A worker that writes its partial file, says so, then spins forever without reading messages. */
function deafWorker(): string {
  const p = path.join(dir, 'deaf-worker.cjs');
  fs.writeFileSync(
    p,
    `const { parentPort, workerData } = require('node:worker_threads');
     const fs = require('node:fs');
     fs.writeFileSync(workerData.partialPath, 'half a case');
     fs.writeFileSync(workerData.partialPath + '-wal', 'wal');
     parentPort.postMessage({ type: 'progress', progress: { phase: 'finalizing' } });
     for (;;) {}`,
  );
  return p;
}

/** A worker that hears the cancel and stops by itself, as the real one does between records. */
function politeWorker(): string {
  const p = path.join(dir, 'polite-worker.cjs');
  fs.writeFileSync(
    p,
    `const { parentPort } = require('node:worker_threads');
     parentPort.postMessage({ type: 'progress', progress: { phase: 'reading' } });
     parentPort.on('message', (m) => {
       if (m && m.type === 'cancel') {
         parentPort.postMessage({ type: 'error', error: { kind: 'cancelled', message: 'import cancelled' } });
         parentPort.close();
       }
     });`,
  );
  return p;
}

describe('worker client cancel', () => {
  it('terminates a worker that does not stop after the grace period and removes its partial case', async () => {
    const partialPath = path.join(dir, 'case.runlens.partial-abc');
    const abort = new AbortController();
    const phases: string[] = [];
    const done = runInWorker<{ phase: string }, unknown>(
      { partialPath },
      {
        workerPath: deafWorker(),
        partialPath,
        graceMs: 300,
        signal: abort.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          abort.abort();
        },
      },
    );
    const err = await done.catch((e: unknown) => e);
    expect(phases).toEqual(['finalizing']);
    expect(err).toBeInstanceOf(ImportCancelledError);
    expect((err as Error).message).toMatch(/stopped/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('case.runlens'))).toEqual([]);
  });

  it('lets a worker that hears the cancel stop by itself', async () => {
    const abort = new AbortController();
    const err = await runInWorker<{ phase: string }, unknown>(
      {},
      { workerPath: politeWorker(), graceMs: 60_000, signal: abort.signal, onProgress: () => abort.abort() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportCancelledError);
    expect((err as Error).message).toBe('import cancelled');
  });
});
