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
import { isReoffsetWorkerData, reoffsetWorkerMain } from './analysis/reoffset-worker';
import { queryProcessMain } from './api/query-worker';
import { importWorkerMain } from './import/worker';
import { callsWorkerMain, isCallsJob } from './import/calls-worker';

if (isMainThread) queryProcessMain();
else if (isReoffsetWorkerData(workerData)) void reoffsetWorkerMain(workerData);
else if (isCallsJob(workerData)) void callsWorkerMain(workerData);
else void importWorkerMain();
