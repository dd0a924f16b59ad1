/** `runlens serve <bundle or log>`: the import worker the CLI's entry starts before the commands load
 *  (electron/cli/serve-early.ts) — taken by serve for the same target, never started for anything else, stopped
 *  when serve does not take it. Real worker threads (a stand-in worker file that waits for its job like the real one). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discardUntaken, importTarget, serveImportWorker, startServeImportEarly } from '../../electron/cli/serve-early';

let dir: string;
let workerPath: string;
let log: string;
let other: string;
let caseFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-serve-early-'));
  workerPath = path.join(dir, 'import-worker.cjs');
  fs.writeFileSync(workerPath, "require('node:worker_threads').parentPort.on('message', () => {});\n");
  log = path.join(dir, 'job.txt');
  fs.writeFileSync(log, '2024-01-01T00:00:00.0000000Z hello\n');
  other = path.join(dir, 'other.txt');
  fs.writeFileSync(other, '2024-01-01T00:00:00.0000000Z other\n');
  caseFile = path.join(dir, 'old.runlens');
  fs.writeFileSync(caseFile, 'not opened here');
});
afterEach(() => discardUntaken());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const exited = (w: Worker) => new Promise<number>((resolve) => w.once('exit', resolve));
const online = (w: Worker) => new Promise<void>((resolve) => w.once('online', () => resolve()));

describe('serve-early', () => {
  it('imports only an existing bundle or log, with the worker built', () => {
    expect(importTarget(log, workerPath)).toBe(log);
    expect(importTarget(dir, workerPath)).toBe(dir); // a bundle folder
    expect(importTarget(caseFile, workerPath)).toBeNull(); // a case is opened, not imported
    expect(importTarget(path.join(dir, 'missing.txt'), workerPath)).toBeNull();
    expect(importTarget(log, path.join(dir, 'not-built.cjs'))).toBeNull();
  });

  it('serve takes the very worker the entry started for its target, once', async () => {
    const started = startServeImportEarly(['serve', '--baseline', caseFile, log, '--port', '0'], workerPath);
    expect(started).not.toBeNull();
    await online(started!.worker);
    const taken = serveImportWorker(log, workerPath);
    expect(taken).toBe(started); // the target read past the baseline's value; the same thread, already running
    const next = serveImportWorker(log, workerPath); // taken once: a second call starts its own
    expect(next).toBeDefined();
    expect(next).not.toBe(started);
    const gone = Promise.all([exited(started!.worker), exited(next!.worker)]);
    started!.discard();
    next!.discard();
    await gone;
  });

  it('a worker started for another target is stopped, and serve starts its own', async () => {
    const started = startServeImportEarly(['serve', log], workerPath)!;
    const gone = exited(started.worker);
    const mine = serveImportWorker(other, workerPath);
    expect(mine).toBeDefined();
    expect(mine).not.toBe(started);
    await gone;
    mine!.discard();
  });

  it('starts nothing for help, bad usage, two targets, a case file, a missing file or another command', () => {
    for (const argv of [
      ['serve', log, '--help'],
      ['serve', log, '-h'],
      ['serve', log, '--nope'],
      ['serve', log, '--port'],
      ['serve', log, other],
      ['serve', caseFile],
      ['serve', path.join(dir, 'missing.txt')],
      ['import', log],
      [],
    ]) {
      expect(startServeImportEarly(argv, workerPath)).toBeNull();
    }
    expect(serveImportWorker(caseFile, workerPath)).toBeUndefined(); // and serve starts none for a case
  });

  it('an untaken worker is stopped after the command', async () => {
    const started = startServeImportEarly(['serve', log], workerPath)!;
    const gone = exited(started.worker);
    discardUntaken();
    discardUntaken(); // twice is harmless
    await gone;
    expect(startServeImportEarly(['serve', log], workerPath)).not.toBeNull(); // the slot is free again
  });
});
