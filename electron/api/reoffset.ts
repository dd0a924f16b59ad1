/**
 * `case.reoffset`: apply clock offsets to the open case as an import-like job. `prepareReoffset` checks the request
 * against the case right away (unknown source, nothing to change: a readable error, no job) and names the new case
 * (analysis/reoffset-case.ts: in the per-user cases folder, by the inputs' hashes and the offsets in force); the
 * returned task runs the work off-thread in the job worker (`mode: 'reoffset'`, import/worker-client.ts), or in-process when no built
 * worker exists (tests from source). ImportJobs runs the task: progress, cancel, and the switch to the new case.
 */
import fs from 'node:fs';
import { ApiError } from '../../shared/api';
import { openCaseReadOnly } from '../db/open';
import {
  reoffsetCase,
  planReoffset,
  reoffsetCasePath,
  type ReoffsetProgress,
  type ReoffsetSummary,
} from '../analysis/reoffset-case';
import type { ReoffsetWorkerData } from '../analysis/reoffset-worker';
import { OffsetError, type RequestedOffset } from '../analysis/shift-sources';
import { casesDir } from '../import/case-location';
import { partialPathFor } from '../import/partial-sweep';
import { defaultWorkerPath, runInWorker } from '../import/worker-client';
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

function mapProgress(p: ReoffsetProgress): ImportProgress {
  return { phase: p.phase, fraction: p.fraction, message: p.message ?? null };
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
    const partialPath = partialPathFor(to);
    const data: ReoffsetWorkerData = { mode: 'reoffset', from, to, offsets: opts.offsets, partialPath };
    const summary = fs.existsSync(workerPath)
      ? await runInWorker<ReoffsetProgress, ReoffsetSummary>(data, { signal, onProgress: onRun, workerPath, partialPath })
      : await reoffsetCase({ from, to, offsets: opts.offsets, signal, onProgress: onRun });
    return { casePath: summary.case, warnings: summary.warnings.length };
  };
  return { from, to, sources, task };
}
