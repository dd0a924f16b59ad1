/** Is this file a case? A case file is SQLite: it starts with the 16-byte magic `SQLite format 3\0`. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function isCaseFile(p: string): boolean {
  let fd: number | null = null;
  try {
    if (!statSync(p).isFile()) return false;
    fd = openSync(p, 'r');
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
