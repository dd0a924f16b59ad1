/**
 * The one client of the job worker (`import-worker.cjs`, next to this file once built: dist/electron/; its one entry
 * point is import/worker.ts): imports and re-offsets run off the thread that answers requests and draws windows.
 * `runInWorker(data, opts)` starts the worker with `data` as its workerData, forwards its progress, and settles with
 * its summary or its error (ImportError / ImportCancelledError / OffsetError-as-Error / Error).
 *
 * Cancel: the worker is asked to stop (`{type:'cancel'}`, honoured between records and phases); a worker still
 * running after the grace period — a long SQLite statement or a CPU-bound finalize step does not let the message
 * in — is terminated, and the partial case it was building is removed here (the worker cannot any more).
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { removeCaseFiles } from '../db/case-files';
import { partialPathFor } from './partial-sweep';
import { ImportCancelledError } from './errors';
import type { ImportProgress, ImportSummary } from './run-import';
import { ImportError } from './types';
import { DEFERRED_START, type WorkerImportOptions } from './worker-protocol';

export type { WorkerImportOptions };

/** How long a cancelled worker may take to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 2000;

export function defaultWorkerPath(): string {
  // In a packaged app the bundle lives in app.asar, which worker threads cannot load from; electron-builder
  // unpacks the worker (asarUnpack) beside it in app.asar.unpacked.
  return path.join(__dirname, 'import-worker.cjs').replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** What every job of the worker posts: progress, then done or error. */
type JobMessage<P, S> =
  | { type: 'progress'; progress: P }
  | { type: 'case-path-wanted' }
  | { type: 'done'; summary: S }
  | { type: 'error'; error: { kind: string; message: string; stack?: string } };

export interface RunInWorkerOptions<P> {
  signal?: AbortSignal;
  onProgress?: (p: P) => void;
  workerPath?: string;
  /** The partial case the job builds: removed if the worker has to be terminated. */
  partialPath?: string;
  /** The case's own path, sent to the worker when known (an import started with `casePathFollows`). */
  casePath?: Promise<string>;
  /** The worker waits for `casePath` now (the end of its load): name the case if that has not started. */
  onCasePathWanted?: () => void;
  graceMs?: number;
}

/** A worker started before its job's options are known (the inputs still being hashed): its start-up overlaps. */
export interface EarlyWorker {
  /** Hand it to runInWorker (`started`); it then receives its options. */
  readonly worker: Worker;
  /** Why it stopped before it was given its job, if it did. */
  readonly failed: () => string | null;
  /** Not needed after all (an identical case exists, the hash failed): stop it. */
  discard(): void;
}

export function startWorkerEarly(workerPath = defaultWorkerPath()): EarlyWorker {
  const worker = new Worker(workerPath, { workerData: DEFERRED_START });
  let failed: string | null = null;
  // Listened to from the start: an error before runInWorker takes it over must not be an unhandled 'error' event.
  worker.on('error', (e) => (failed ??= `the worker failed: ${e.message}`));
  worker.once('exit', (code) => (failed ??= `the worker stopped unexpectedly (exit code ${code})`));
  return { worker, failed: () => failed, discard: () => void worker.terminate() };
}

export function runInWorker<P, S>(data: object, opts: RunInWorkerOptions<P> & { started?: EarlyWorker } = {}): Promise<S> {
  const { signal, onProgress, partialPath } = opts;
  const grace = opts.graceMs ?? CANCEL_GRACE_MS;
  return new Promise<S>((resolve, reject) => {
    let worker: Worker;
    let settled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const cleanup = () => {
      if (partialPath) removeCaseFiles(partialPath);
    };
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      if (killTimer) clearTimeout(killTimer);
      f();
    };
    function cancel() {
      if (settled) return;
      worker.postMessage({ type: 'cancel' });
      killTimer = setTimeout(() => {
        void worker.terminate().finally(() => {
          cleanup();
          settle(() => reject(new ImportCancelledError('cancelled (the worker was stopped)')));
        });
      }, grace);
      killTimer.unref();
    }
    try {
      if (opts.started) {
        const early = opts.started.failed();
        if (early) {
          reject(new Error(early));
          return;
        }
        worker = opts.started.worker;
        worker.postMessage({ type: 'start', data });
      } else worker = new Worker(opts.workerPath ?? defaultWorkerPath(), { workerData: data });
    } catch (e) {
      reject(new Error(`cannot start the worker: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    worker.on('message', (m: JobMessage<P, S>) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'case-path-wanted') opts.onCasePathWanted?.();
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.type === 'error') {
        const err =
          m.error.kind === 'cancelled'
            ? new ImportCancelledError(m.error.message)
            : m.error.kind === 'import'
              ? new ImportError(m.error.message)
              : m.error.kind === 'internal'
                ? Object.assign(new Error(`job failed: ${m.error.message}`), { workerStack: m.error.stack })
                : new Error(m.error.message);
        settle(() => reject(err));
      }
    });
    worker.on('error', (e) => {
      cleanup();
      settle(() => reject(new Error(`the worker failed: ${e.message}`)));
    });
    worker.on('exit', (code) => {
      if (!settled) cleanup();
      settle(() =>
        reject(signal?.aborted ? new ImportCancelledError('cancelled (the worker was stopped)') : new Error(`the worker stopped unexpectedly (exit code ${code})`)),
      );
    });
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted) cancel();
    opts.casePath?.then(
      (casePath) => {
        if (!settled) worker.postMessage({ type: 'case-path', casePath });
      },
      () => {}, // the caller cancels the job when its case cannot be named
    );
  });
}

export interface ImportWorkerHandle {
  /** Emits 'progress' with an ImportProgress. */
  progress: EventEmitter<{ progress: [ImportProgress] }>;
  done: Promise<ImportSummary>;
  cancel(): void;
}

/** An import in the worker, as a handle (cancel with a grace period, then the worker is stopped). */
export function startImportWorker(
  opts: WorkerImportOptions & { onProgress?: (p: ImportProgress) => void; workerPath?: string; graceMs?: number },
): ImportWorkerHandle {
  const { onProgress, workerPath, graceMs, ...rest } = opts;
  const workerData: WorkerImportOptions = { ...rest, partialPath: rest.partialPath ?? partialPathFor(path.resolve(rest.casePath)) };
  const progress = new EventEmitter<{ progress: [ImportProgress] }>();
  if (onProgress) progress.on('progress', onProgress);
  const abort = new AbortController();
  const done = runInWorker<ImportProgress, ImportSummary>(workerData, {
    signal: abort.signal,
    onProgress: (p) => progress.emit('progress', p),
    workerPath,
    partialPath: workerData.partialPath,
    graceMs,
  });
  return { progress, done, cancel: () => abort.abort() };
}
