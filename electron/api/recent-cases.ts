/**
 * Recent cases (the desktop's "Open Recent" and the start page of the desktop and serve): the last case files
 * opened, newest first, kept in a JSON file (desktop: `<userData>/recent-cases.json`), each with what tells it apart
 * (repo, job, run, time, input hashes) so the start page can list it without opening it.
 * A missing, unreadable or malformed file is an empty list (the app must start regardless); writes are atomic.
 */
import fs from 'node:fs';
import path from 'node:path';

export const RECENT_FILE_NAME = 'recent-cases.json';
export const RECENT_LIMIT = 10;

export interface RecentCase {
  /** Absolute path of the case file. */
  path: string;
  /** What the menu shows (the case title, else the file name). */
  title: string;
  opened_at: string;
  /** What the start page shows besides the title (absent in lists written before it existed). */
  about?: CaseAbout;
  /**
   * Set while the case's import runs ('importing': listed from its first screen on) and when it was interrupted
   * ('cancelled', 'failed'); absent once the case is complete. An 'importing' mark left behind means the app
   * stopped during the import: the case was never completed.
   */
  import?: RecentImportMark;
  /** Other ids pages may name it by: the ids `runlens serve <bundle>` printed before the case was named (its URL is
   *  printed before the inputs are hashed: case-owner.ts startImportAs), newest first, at most MAX_ALIASES. */
  aliases?: string[];
}

const MAX_ALIASES = 5;

export interface RecentImportMark {
  state: 'importing' | 'cancelled' | 'failed';
  /** One line: why it is incomplete. */
  note?: string;
}

export interface CaseAbout {
  repo: string | null;
  job: string | null;
  run_id: string | null;
  run_time: string | null;
  inputs: { path: string; sha256: string }[];
}

function isRecentCase(v: unknown): v is RecentCase {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.path === 'string' && r.path.length > 0 && typeof r.title === 'string' && typeof r.opened_at === 'string';
}

export function readRecent(file: string): RecentCase[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { cases?: unknown };
    return Array.isArray(data.cases) ? data.cases.filter(isRecentCase).slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function writeRecent(file: string, cases: RecentCase[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ version: 1, cases: cases.slice(0, RECENT_LIMIT) }, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** Put `casePath` first (once), keep at most RECENT_LIMIT, save, and return the new list. */
export function addRecent(
  file: string,
  casePath: string,
  title: string,
  now: Date = new Date(),
  about?: CaseAbout,
  mark?: RecentImportMark,
  aliases: string[] = [],
): RecentCase[] {
  const abs = path.resolve(casePath);
  const before = readRecent(file);
  const kept = [...new Set([...aliases, ...(before.find((c) => c.path === abs)?.aliases ?? [])])].slice(0, MAX_ALIASES);
  const entry: RecentCase = {
    path: abs,
    title: title || path.basename(abs),
    opened_at: now.toISOString(),
    ...(about ? { about } : {}),
    ...(mark ? { import: mark } : {}),
    ...(kept.length ? { aliases: kept } : {}),
  };
  const cases = [entry, ...before.filter((c) => c.path !== abs)];
  writeRecent(file, cases);
  return cases.slice(0, RECENT_LIMIT);
}

export function removeRecent(file: string, casePath: string): RecentCase[] {
  const abs = path.resolve(casePath);
  const cases = readRecent(file).filter((c) => c.path !== abs);
  writeRecent(file, cases);
  return cases;
}

export function clearRecent(file: string): void {
  writeRecent(file, []);
}

/** Set (or, with null, clear) the import mark of a listed case, keeping its place and what it says about it. */
export function markRecent(file: string, casePath: string, mark: RecentImportMark | null): void {
  const abs = path.resolve(casePath);
  const cases = readRecent(file);
  const c = cases.find((x) => x.path === abs);
  if (!c) return;
  if (mark) c.import = mark;
  else delete c.import;
  writeRecent(file, cases);
}

/** Whether a listed case is incomplete (its import was interrupted and there is no complete case at its path). */
export function incompleteNote(r: RecentCase): string | null {
  if (!r.import || fs.existsSync(r.path)) return null;
  if (r.import.state === 'importing') return 'its import did not finish (Runlens stopped while importing): the case was never completed';
  return r.import.note ?? `its import was ${r.import.state === 'cancelled' ? 'cancelled' : 'stopped by an error'} before the case was complete`;
}
