/**
 * `case.reoffset`: apply clock offsets to the open case as an import-like job. `prepareReoffset` checks the request
 * against the case right away (unknown source, nothing to change: a readable error, no job) and names the new case
 * (analysis/reoffset-case.ts: in the per-user cases folder, by the inputs' hashes and the offsets in force); the
 * returned task runs the work off-thread in the import worker (`mode: 'reoffset'`), or in-process when no built
 * worker exists (tests from source). ImportJobs runs the task: progress, cancel, and the switch to the new case.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../shared/api';
import { openCaseReadOnly } from '../db/open';
import {
  reoffsetCase,
  planReoffset,
  reoffsetCasePath,
  type ReoffsetProgress,
  type ReoffsetSummary,
} from '../analysis/reoffset-case';
import type { ReoffsetWorkerData, ReoffsetWorkerMessage } from '../analysis/reoffset-worker';
import { OffsetError, type RequestedOffset } from '../analysis/shift-sources';
import { casesDir } from '../import/case-location';
import { ImportCancelledError } from '../import/errors';
import { defaultWorkerPath } from '../import/worker-client';
import type { ImportProgress, JobTask } from './imports';

export interface ReoffsetPlan {
  /** The case the offsets are applied to (never written). */
  from: string;
  /** The new case. */
  to: string;
  /** Sources whose offset in force changes. */
  sources: number;
  task: JobTask;
}

/** How long a cancelled worker may take to reach its next phase before it is stopped outright. */
const CANCEL_GRACE_MS = 2000;

function mapProgress(p: ReoffsetProgress): ImportProgress {
  return { phase: p.phase, fraction: p.fraction, message: p.message ?? null };
}

function removeCaseFiles(p: string): void {
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* best effort */
    }
  }
}

export function prepareReoffset(opts: {
  casePath: string;
  offsets: RequestedOffset[];
  caseDir?: string;
  workerPath?: string;
}): ReoffsetPlan {
  if (opts.offsets.length === 0) throw new ApiError('case.reoffset: give at least one offset');
  const db = openCaseReadOnly(opts.casePath);
  let to: string;
  let sources: number;
  try {
    const changes = planReoffset(db, opts.offsets);
    sources = changes.length;
    to = reoffsetCasePath(db, changes, opts.caseDir ?? casesDir());
  } catch (e) {
    if (e instanceof OffsetError) throw new ApiError(`case.reoffset: ${e.message}`);
    throw e;
  } finally {
    db.close();
  }
  const from = opts.casePath;
  const workerPath = opts.workerPath ?? defaultWorkerPath();
  const task: JobTask = async ({ signal, onProgress }) => {
    const onRun = (p: ReoffsetProgress) => onProgress(mapProgress(p));
    const summary = fs.existsSync(workerPath)
      ? await inWorker(
          workerPath,
          {
            mode: 'reoffset',
            from,
            to,
            offsets: opts.offsets,
            partialPath: `${to}.partial-${randomBytes(6).toString('hex')}`,
          },
          signal,
          onRun,
        )
      : await reoffsetCase({ from, to, offsets: opts.offsets, signal, onProgress: onRun });
    return { casePath: summary.case, warnings: summary.warnings.length };
  };
  return { from, to, sources, task };
}

function inWorker(
  workerPath: string,
  data: ReoffsetWorkerData,
  signal: AbortSignal,
  onProgress: (p: ReoffsetProgress) => void,
): Promise<ReoffsetSummary> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    let killTimer: NodeJS.Timeout | null = null;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', cancel);
      if (killTimer) clearTimeout(killTimer);
      f();
    };
    function cancel() {
      worker.postMessage({ type: 'cancel' });
      // A long SQLite statement does not let the message in: stop the thread, then remove what it left.
      killTimer = setTimeout(() => {
        void worker.terminate().finally(() => {
          removeCaseFiles(data.partialPath);
          settle(() => reject(new ImportCancelledError('re-offset cancelled')));
        });
      }, CANCEL_GRACE_MS);
      killTimer.unref();
    }
    try {
      worker = new Worker(workerPath, { workerData: data });
    } catch (e) {
      reject(new Error(`cannot start the worker: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    worker.on('message', (m: ReoffsetWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.type === 'error') {
        settle(() =>
          reject(m.error.kind === 'cancelled' ? new ImportCancelledError(m.error.message) : new Error(m.error.message)),
        );
      }
    });
    worker.on('error', (e) => settle(() => reject(new Error(`re-offset worker failed: ${e.message}`))));
    worker.on('exit', (code) => {
      if (!settled) removeCaseFiles(data.partialPath);
      settle(() =>
        reject(
          signal.aborted
            ? new ImportCancelledError('re-offset cancelled')
            : new Error(`re-offset worker stopped unexpectedly (exit code ${code})`),
        ),
      );
    });
  });
}
