/**
 * Leftovers of killed imports: `runImport` builds a case in `<case>.partial-<pid>-<random>` (and SQLite may add
 * `-wal`/`-shm`/`-journal` beside it) and removes it on any failure it sees, but a killed process sees nothing, so
 * the files stay (three kills of a big import: 630 MB). Before an import, the case's folder is swept, safely:
 * - only ours: the exact name pattern, a regular file (never a symlink, never followed), owned by this user, and a
 *   SQLite file (or empty) for the main file; a companion only with its main file's pattern;
 * - only stale: the pid in the name is not a running process and the file has not changed for 10 minutes (a pid
 *   from another machine sharing the folder may look dead, but its import still writes); a name without a pid
 *   (older versions, re-offset copies) or with this process's own pid (a worker thread's) only when untouched for a
 *   day. A running import of another process is never touched.
 * The removed names and bytes are returned so the import can say what it did.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

// companions: SQLite's side files, the calls worker's database (`-calls`, calls-side.ts) and the staged log index (`-fts`, log-fts.ts) with their own
const PARTIAL = /^(.+)\.partial-(?:(\d{1,10})-)?([0-9a-f]{12})((?:-calls|-fts)?(?:-wal|-shm|-journal)?)$/;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const STALE_WITHOUT_PID_MS = 24 * 3600 * 1000;
export const STALE_DEAD_PID_MS = 10 * 60 * 1000;

/** A fresh partial path beside `casePath`: `<casePath>.partial-<pid>-<12 hex>` (the pid is what makes it sweepable). */
export function partialPathFor(casePath: string): string {
  return `${casePath}.partial-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function looksLikeSqlite(p: string, size: number): boolean {
  if (size === 0) return true;
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export interface SweepResult {
  removed: string[];
  bytes: number;
}

/** Remove stale partial files of killed imports from `dir` (the folder a case is being written to). */
export function sweepStalePartials(dir: string, now = Date.now()): SweepResult {
  const out: SweepResult = { removed: [], bytes: 0 };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const stale = (m: RegExpExecArray, st: fs.Stats) => {
    const age = now - st.mtimeMs;
    const pid = m[2] === undefined ? null : Number(m[2]);
    if (pid === null || pid === process.pid) return age > STALE_WITHOUT_PID_MS;
    return age > STALE_DEAD_PID_MS && !pidAlive(pid);
  };
  const mains = new Map<string, number>(); // main partial files judged ours and stale -> size
  const companions: [string, RegExpExecArray, fs.Stats][] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m) continue;
    const p = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (!st.isFile() || (uid !== null && st.uid !== uid)) continue;
    if (m[4]) {
      companions.push([name, m, st]);
      continue;
    }
    if (!stale(m, st) || !looksLikeSqlite(p, st.size)) continue;
    mains.set(name, st.size);
  }
  const remove = (name: string, size: number) => {
    try {
      fs.rmSync(path.join(dir, name));
      out.removed.push(name);
      out.bytes += size;
    } catch {
      /* gone already, or not ours to remove */
    }
  };
  for (const [name, size] of mains) remove(name, size);
  for (const [name, m, st] of companions) {
    const main = name.slice(0, -m[4]!.length);
    // A companion goes with its main file, or alone when its main file is already gone and it is stale itself.
    if (mains.has(main) || (!names.includes(main) && stale(m, st))) remove(name, st.size);
  }
  return out;
}
