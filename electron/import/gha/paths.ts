/**
 * Where a log file sits in GitHub's log archive layouts, from its path relative to the archive (or bundle) root.
 * GitHub has written three layouts (docs/formats.md):
 * - current: `<n>_<job>.txt` at the root (the whole job) and a folder per job holding only `system.txt`;
 * - older: the same root job files plus per-step files `<job>/<n>_<step>.txt` (with or without `system.txt`);
 * - a job-preparation log at the root with a negative index (`-2147483648_<job>.txt`).
 * Placement:
 * - `<job>/<n>_<step>.txt`   -> 'step' (step n of `<job>`);
 * - `<job>/system.txt` (or any unnumbered file in a job folder) -> 'system': the runner's own lines for the job
 *   (labels, `Job defined at:`, waiting for a runner); never a step, never a duplicate of the job log;
 * - `<n>_<job>.txt`, n >= 0  -> 'job' (the whole job log);
 * - `-<n>_<job>.txt`         -> 'prep': runner preparation for `<job>`, not a job of its own;
 * - anything else            -> a lone ('single') log, its job named after the file stem.
 * A leading `logs/` (bundle layout) or `logs.zip/` is removed first. A single-job archive (one top folder holding
 * only step files) loses its folder to the container's root stripping; finalize-logs.ts recognises it from the
 * member paths and re-places its files as steps.
 */
export type LogFileKind = 'step' | 'job' | 'single' | 'system' | 'prep';

export interface LogFilePlace {
  kind: LogFileKind;
  job: string;
  /** Step number (step files with an `n_` prefix), else null. */
  stepNumber: number | null;
  /** Step name from the file name, GitHub's characters kept (step files with an `n_` prefix), else null. */
  stepName: string | null;
}

/** `-2147483648_build.txt`: GitHub's job-preparation log. */
const PREP = /^-(\d{1,10})_(.*)$/s;
const NUMBERED = /^(\d{1,9})_(.*)$/s;

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export function logPathParts(relPath: string): string[] {
  const parts = relPath.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length > 1 && /^logs(\.zip)?$/i.test(parts[0]!)) parts.shift();
  return parts;
}

/** Junk an archive may carry next to logs (macOS resource forks, Finder metadata). */
export function isJunkPath(relPath: string): boolean {
  const parts = relPath.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  return parts.includes('__MACOSX') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db';
}

export function placeLogFile(relPath: string): LogFilePlace {
  const parts = logPathParts(relPath);
  const base = parts[parts.length - 1] ?? relPath;
  const numbered = NUMBERED.exec(base);
  if (parts.length >= 2) {
    const job = parts[parts.length - 2]!;
    if (numbered) {
      return { kind: 'step', job, stepNumber: Number(numbered[1]), stepName: stem(numbered[2]!) };
    }
    // A file in a job folder without a step number (`system.txt`): the runner's lines for that job.
    return { kind: 'system', job, stepNumber: null, stepName: null };
  }
  const prep = PREP.exec(base);
  if (prep && stem(prep[2]!) !== '') {
    return { kind: 'prep', job: stem(prep[2]!), stepNumber: null, stepName: null };
  }
  if (numbered && stem(numbered[2]!) !== '') {
    return { kind: 'job', job: stem(numbered[2]!), stepNumber: null, stepName: null };
  }
  return { kind: 'single', job: stem(base) || base, stepNumber: null, stepName: null };
}

/** True when the path has the shape of a file in a GitHub log archive (used when the content has no timestamps). */
export function looksLikeLogArchivePath(relPath: string): boolean {
  if (isJunkPath(relPath)) return false;
  if (!/\.txt$/i.test(relPath)) return false;
  const raw = relPath.split(/[\\/]/).filter((p) => p !== '');
  const parts = logPathParts(relPath);
  const base = parts[parts.length - 1] ?? '';
  if (raw.length > 1 && /^logs$/i.test(raw[0]!)) return true;
  return parts.length <= 2 && (NUMBERED.test(base) || PREP.test(base) || (parts.length === 2 && /^system\.txt$/i.test(base)));
}
