/**
 * A case file's companions, in one place: the partial file a job builds (renamed into place only on success) and
 * removing a case or partial file with its SQLite side files (-wal, -shm, -journal).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

/** A fresh partial path beside `casePath`: `<casePath>.partial-<12 hex>`. */
export function partialPathFor(casePath: string): string {
  return `${casePath}.partial-${randomBytes(6).toString('hex')}`;
}

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
