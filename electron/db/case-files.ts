/**
 * Removing a case or partial file with its SQLite side files (-wal, -shm, -journal), in one place. (Partial names
 * and the sweep of stale ones: import/partial-sweep.ts.)
 */
import fs from 'node:fs';

/** The private database of an import's calls worker beside its partial case (import/calls-side.ts). */
export const callsDbPath = (partial: string): string => `${partial}-calls`;

/** The private database where an import stages its log's full-text index for the calls worker (import/log-fts.ts). */
export const ftsDbPath = (partial: string): string => `${partial}-fts`;

/** Remove `p` and its SQLite side files, and a calls worker's and a staged index's databases beside it; best effort (gone is fine). */
export function removeCaseFiles(p: string): void {
  const side = [callsDbPath(p), ftsDbPath(p)].flatMap((d) => [d, `${d}-wal`, `${d}-shm`, `${d}-journal`]);
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`, ...side]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* best effort */
    }
  }
}
