/** Messages between the import worker (worker.ts) and its client (worker-client.ts). Types only. */
import type { ImportProgress, ImportSummary, RunImportOptions } from './run-import';

/** What the worker receives as `workerData`: runImport's options without the callbacks and the signal. */
export type WorkerImportOptions = Omit<RunImportOptions, 'signal' | 'onProgress' | 'finalCasePath'> & {
  /** The case's own path follows in a `{ type: 'case-path', casePath }` message (RunImportOptions.finalCasePath). */
  casePathFollows?: boolean;
  /** First screen first: after its first commit holding log lines the import waits (at most HOLD_AFTER_FIRST_SCREEN_MS)
   *  until the client sets this cell to 1 — its page has drawn that first screen — leaving the CPU to the page. */
  holdAfterFirstScreen?: SharedArrayBuffer;
};

/** The longest an import waits after its first screen for the page to draw it (holdAfterFirstScreen). */
export const HOLD_AFTER_FIRST_SCREEN_MS = 300;

/** workerData of an import worker started before its options are known (worker-client.ts startWorkerEarly): it
 *  waits for `{ type: 'start', data }` (or a cancel). */
export const DEFERRED_START = { deferred: 'import' } as const;

export type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  /** An import started with `casePathFollows` reached the point where it needs the case's path. */
  | { type: 'case-path-wanted' }
  | { type: 'done'; summary: ImportSummary }
  | { type: 'error'; error: { kind: 'cancelled' | 'import' | 'internal'; message: string; stack?: string } };
