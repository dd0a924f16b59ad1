/**
 * Run an import off-thread: `startImportWorker(opts)` spawns `import-worker.cjs` (next to this file once built:
 * dist/electron/) and returns `{ progress, done, cancel }`. `progress` emits 'progress' events (ImportProgress);
 * `done` resolves with the ImportSummary or rejects with ImportError / ImportCancelledError / Error.
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportCancelledError } from './errors';
import type { ImportProgress, ImportSummary } from './run-import';
import { ImportError } from './types';
import type { WorkerImportOptions, WorkerMessage } from './worker-protocol';

export type { WorkerImportOptions };

export interface ImportWorkerHandle {
  /** Emits 'progress' with an ImportProgress. */
  progress: EventEmitter<{ progress: [ImportProgress] }>;
  done: Promise<ImportSummary>;
  cancel(): void;
}

export function defaultWorkerPath(): string {
  // In a packaged app the bundle lives in app.asar, which worker threads cannot load from; electron-builder
  // unpacks the worker (asarUnpack) beside it in app.asar.unpacked.
  return path.join(__dirname, 'import-worker.cjs').replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function startImportWorker(
  opts: WorkerImportOptions & { onProgress?: (p: ImportProgress) => void; workerPath?: string },
): ImportWorkerHandle {
  const { onProgress, workerPath, ...workerData } = opts;
  const progress = new EventEmitter<{ progress: [ImportProgress] }>();
  if (onProgress) progress.on('progress', onProgress);
  let worker: Worker | null = null;
  let cancelled = false;
  let settled = false;
  const done = new Promise<ImportSummary>((resolve, reject) => {
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    try {
      worker = new Worker(workerPath ?? defaultWorkerPath(), { workerData });
    } catch (e) {
      settle(() => reject(new Error(`cannot start the import worker: ${e instanceof Error ? e.message : String(e)}`)));
      return;
    }
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') progress.emit('progress', m.progress);
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.type === 'error') {
        const err =
          m.error.kind === 'cancelled'
            ? new ImportCancelledError(m.error.message)
            : m.error.kind === 'import'
              ? new ImportError(m.error.message)
              : Object.assign(new Error(`import failed: ${m.error.message}`), { workerStack: m.error.stack });
        settle(() => reject(err));
      }
    });
    worker.on('error', (e) => settle(() => reject(new Error(`import worker failed: ${e.message}`))));
    worker.on('exit', (code) =>
      settle(() => reject(cancelled ? new ImportCancelledError() : new Error(`import worker stopped unexpectedly (exit code ${code})`))),
    );
  });
  return {
    progress,
    done,
    cancel() {
      cancelled = true;
      worker?.postMessage({ type: 'cancel' });
    },
  };
}
