/**
 * Runs one import for the app (`import.start`) and for `runlens serve <bundle>`: the case goes to the default case
 * location named by the inputs' hashes (an identical bundle reuses its case, as the CLI does), and the import runs
 * off-thread in the job worker (import/worker-client.ts: cancel asks, then stops the worker after a grace period);
 * from source (tests), where no built worker exists, it runs in-process. Progress is mapped to phase + fraction; the abort signal cancels it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultCasePath, hashInputs } from '../import/case-location';
import { partialPathFor } from '../import/partial-sweep';
import { runImport, type ImportProgress as RunProgress, type ImportSummary } from '../import/run-import';
import { defaultWorkerPath, runInWorker, type WorkerImportOptions } from '../import/worker-client';
import { isCaseFile } from '../db/case-file';
import type { ImportProgress, ImportRunner } from './imports';

/** The import's progress as a job reports it; once the case is readable, where it is (first screen first). */
export function mapProgress(p: RunProgress, casePath?: string): ImportProgress {
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : null;
  const partial =
    p.partial && casePath && p.phase !== 'done'
      ? { partial: { path: p.partial, casePath, state: p.phase === 'finalizing' ? ('analysing' as const) : ('loading' as const) } }
      : {};
  return { phase: p.phase, fraction, message: p.file ?? null, ...partial };
}

export const runImportInWorker: ImportRunner = async ({ inputs, caseDir, signal, onProgress }) => {
  onProgress({ phase: 'hashing', fraction: null });
  const def = defaultCasePath(await hashInputs(inputs));
  const casePath = caseDir ? path.join(caseDir, path.basename(def)) : def;
  if (fs.existsSync(casePath) && isCaseFile(casePath)) return { casePath, warnings: 0 };
  if (signal.aborted) throw new Error('import cancelled');
  fs.mkdirSync(path.dirname(casePath), { recursive: true });
  const onRun = (p: RunProgress) => onProgress(mapProgress(p, casePath));
  let summary;
  if (fs.existsSync(defaultWorkerPath())) {
    const partialPath = partialPathFor(casePath);
    summary = await runInWorker<RunProgress, ImportSummary>({ inputs, casePath, partialPath } satisfies WorkerImportOptions, {
      signal,
      onProgress: onRun,
      partialPath,
    });
  } else {
    summary = await runImport({ inputs, casePath, signal, onProgress: onRun });
  }
  return { casePath: summary.case || casePath, warnings: summary.warnings.length };
};
