/**
 * Removing a case or partial file with its SQLite side files (-wal, -shm, -journal), in one place. (Partial names
 * and the sweep of stale ones: import/partial-sweep.ts.)
 */
import fs from 'node:fs';

/** Remove `p` and its SQLite side files; best effort (a file already gone is fine). */
export function removeCaseFiles(p: string): void {
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* best effort */
    }
  }
}
