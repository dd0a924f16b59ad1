/**
 * The import job of the worker thread (entry point: electron/worker.ts, built to dist/electron/import-worker.cjs):
 * runs `runImport` with the options in `workerData`, posts `{type:'progress', progress}` messages, then
 * `{type:'done', summary}` or `{type:'error', error:{kind, message}}`. A `'cancel'` (or `{type:'cancel'}`) message
 * aborts the import.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportCancelledError } from './errors';
import { runImport, type RunImportOptions } from './run-import';
import { ImportError } from './types';
import type { WorkerMessage, WorkerImportOptions } from './worker-protocol';

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

export async function importWorkerMain(): Promise<void> {
  if (!parentPort) throw new Error('import-worker must run as a worker thread');
  const controller = new AbortController();
  parentPort.on('message', (m: unknown) => {
    if (m === 'cancel' || (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'cancel')) controller.abort();
  });
  const opts = workerData as WorkerImportOptions;
  const run: RunImportOptions = {
    ...opts,
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  };
  try {
    const summary = await runImport(run);
    post({ type: 'done', summary });
  } catch (e) {
    if (e instanceof ImportCancelledError || controller.signal.aborted) post({ type: 'error', error: { kind: 'cancelled', message: 'import cancelled' } });
    else if (e instanceof ImportError) post({ type: 'error', error: { kind: 'import', message: e.message } });
    else {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', error: { kind: 'internal', message: err.message, stack: err.stack } });
    }
  } finally {
    parentPort.close();
  }
}
