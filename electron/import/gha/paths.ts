/**
 * Where a log file sits in GitHub's log archive layout, from its path relative to the bundle root:
 * - `<job>/<n>_<step>.txt`  -> a step file (step n of job `<job>`);
 * - `<n>_<job>.txt`         -> a whole-job file at the archive root;
 * - anything else           -> a lone ('single') log, its job named after the file stem.
 * A leading `logs/` (bundle layout) or `logs.zip/` is removed first.
 */
export interface LogFilePlace {
  kind: 'step' | 'job' | 'single';
  job: string;
  /** Step number (step files with an `n_` prefix), else null. */
  stepNumber: number | null;
  /** Step name from the file name, GitHub's characters kept (step files with an `n_` prefix), else null. */
  stepName: string | null;
}

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
    // A file in a job folder without a step number: still that job's lines; steps come from elsewhere.
    return { kind: 'step', job, stepNumber: null, stepName: null };
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
  return parts.length <= 2 && NUMBERED.test(base);
}
