/**
 * Snapshot of a folder's files (name, SHA-256, size, mtime): "no input changed" and "nothing written beside it"
 * are one comparison of a snapshot before and after.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FileState {
  sha256: string;
  bytes: number;
  mtimeMs: number;
}

export function fileState(p: string): FileState {
  const st = fs.statSync(p);
  return { sha256: createHash('sha256').update(fs.readFileSync(p)).digest('hex'), bytes: st.size, mtimeMs: st.mtimeMs };
}

/** Every regular file under `dir` (recursively), by path relative to `dir`. */
export function folderState(dir: string): Record<string, FileState> {
  const out: Record<string, FileState> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(dir, p)] = fileState(p);
    }
  };
  walk(dir);
  return out;
}
