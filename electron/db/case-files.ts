/**
 * Removing a case or partial file with its SQLite side files (-wal, -shm, -journal), in one place. (Partial names
 * and the sweep of stale ones: import/partial-sweep.ts.)
 */
import fs from 'node:fs';

/** The private database of an import's calls worker beside its partial case (import/calls-side.ts). */
export const callsDbPath = (partial: string): string => `${partial}-calls`;

/** Remove `p` and its SQLite side files, and a calls worker's database beside it; best effort (gone is fine). */
export function removeCaseFiles(p: string): void {
  const calls = callsDbPath(p);
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`, calls, `${calls}-wal`, `${calls}-shm`, `${calls}-journal`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* best effort */
    }
  }
}
