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
import { DEFERRED_START, HOLD_AFTER_FIRST_SCREEN_MS, type WorkerMessage, type WorkerImportOptions } from './worker-protocol';
import { trace } from '../api/trace';

const isDeferred = (d: unknown): boolean =>
  typeof d === 'object' && d !== null && (d as { deferred?: unknown }).deferred === DEFERRED_START.deferred;

/** The options of a worker started early, or null if it was cancelled first. */
function startMessage(port: NonNullable<typeof parentPort>): Promise<WorkerImportOptions | null> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : m;
      if (t === 'start') resolve((m as { data: WorkerImportOptions }).data);
      else if (t === 'cancel') resolve(null);
      else return;
      port.off('message', on);
    };
    port.on('message', on);
  });
}

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

export async function importWorkerMain(): Promise<void> {
  if (!parentPort) throw new Error('import-worker must run as a worker thread');
  trace('import worker: start');
  const controller = new AbortController();
  // The case's own path, when the client names it after the start (worker-protocol.ts casePathFollows).
  let nameCase: (p: string) => void = () => {};
  let unnamed: (e: Error) => void = () => {};
  const finalCasePath = new Promise<string>((resolve, reject) => {
    nameCase = resolve;
    unnamed = reject;
  });
  finalCasePath.catch(() => {}); // awaited only at the end of the load; a cancel before then is not an unhandled rejection
  // What runImport awaits at the end of its load: awaiting it tells the client, which may not be naming the case
  // yet (serve's own target: its inputs are hashed after its first screen, api/import-runner.ts).
  let asked = false;
  const whenNeeded = {
    then<A, B>(ok?: ((v: string) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null) {
      if (!asked) {
        asked = true;
        parentPort?.postMessage({ type: 'case-path-wanted' } satisfies WorkerMessage);
      }
      return finalCasePath.then(ok, fail);
    },
  } as Promise<string>;
  parentPort.on('message', (m: unknown) => {
    const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : m;
    if (t === 'cancel') {
      controller.abort();
      unnamed(new ImportCancelledError());
    } else if (t === 'case-path') nameCase(String((m as { casePath: unknown }).casePath));
  });
  // Started early (while the inputs are hashed): the options come in the first 'start' message.
  const opts = isDeferred(workerData) ? await startMessage(parentPort) : (workerData as WorkerImportOptions);
  if (opts === null) {
    post({ type: 'error', error: { kind: 'cancelled', message: 'import cancelled' } });
    parentPort.close();
    return;
  }
  const { casePathFollows, holdAfterFirstScreen, ...rest } = opts;
  let firstScreen = false;
  const run: RunImportOptions = {
    ...rest,
    ...(casePathFollows ? { finalCasePath: whenNeeded } : {}),
    signal: controller.signal,
    onProgress: (progress) => {
      const first = !!progress.partial && !firstScreen;
      if (first) {
        firstScreen = true;
        trace('import worker: first lines committed');
      }
      post({ type: 'progress', progress });
      if (first && holdAfterFirstScreen) {
        // Its first screen is readable: the page that shows it has the CPU until it has drawn it (the client says
        // so), for a moment at most; then the import goes on.
        Atomics.wait(new Int32Array(holdAfterFirstScreen), 0, 0, HOLD_AFTER_FIRST_SCREEN_MS);
        trace('import worker: on after the first screen');
      }
    },
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
