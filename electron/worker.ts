/**
 * The one worker entry point (built to dist/electron/import-worker.cjs). What it does is named by how it runs:
 *   a worker thread with workerData `mode: 'reoffset'`  a re-offset job (analysis/reoffset-worker.ts);
 *   a worker thread with a calls job                   a bundle's calls into a private database, for an import
 *                                                      running on another thread (import/calls-worker.ts);
 *   a worker thread otherwise                          an import job (import/worker.ts);
 *   a process of its own                               the query process (api/query-worker.ts): case queries off
 *                                                      the thread that answers requests, killable at a time limit.
 * Its one client for jobs is import/worker-client.ts; for queries api/query-worker-pool.ts.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { ReoffsetWorkerData } from './analysis/reoffset-worker';
import type { CallsJob } from './import/calls-worker';

/** The job a worker thread was started for, by its workerData's `mode` (reoffset-worker.ts isReoffsetWorkerData,
 *  calls-worker.ts isCallsJob: the same tests, here without loading either module). */
const mode = (d: unknown): unknown => (typeof d === 'object' && d !== null ? (d as { mode?: unknown }).mode : undefined);
const REOFFSET: ReoffsetWorkerData['mode'] = 'reoffset';
const CALLS: CallsJob['mode'] = 'runlens-calls-worker';

// Each role's code is loaded (its modules initialised) only in the thread or process that runs it: the import's
// start is on the first screen's path (benchmark 7), and the query process's code (every query, the API's
// schemas) is not the import's. esbuild keeps each `require` lazy inside the one bundle.
/* eslint-disable @typescript-eslint/no-require-imports */
if (isMainThread) (require('./api/query-worker') as typeof import('./api/query-worker')).queryProcessMain();
else if (mode(workerData) === REOFFSET)
  void (require('./analysis/reoffset-worker') as typeof import('./analysis/reoffset-worker')).reoffsetWorkerMain(workerData as ReoffsetWorkerData);
else if (mode(workerData) === CALLS) void (require('./import/calls-worker') as typeof import('./import/calls-worker')).callsWorkerMain(workerData as CallsJob);
else void (require('./import/worker') as typeof import('./import/worker')).importWorkerMain();
