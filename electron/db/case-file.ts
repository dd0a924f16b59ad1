/**
 * Is this argument a case? Only by its NAME: a regular file called `*.runlens` (or a file named by an explicit
 * `--case`). Never by its bytes: evidence can be an SQLite file too (a browser history, a crafted `evidence.zip`),
 * and anything taken for a case is opened as one; a `.runlens` file must then also pass the schema check of
 * electron/db/open.ts before it is read. Everything else is evidence, imported read-only as a bundle.
 */
import { statSync } from 'node:fs';
import { CASE_EXTENSION } from '../import/case-location';

export function hasCaseName(p: string): boolean {
  return p.toLowerCase().endsWith(CASE_EXTENSION);
}

export function isCaseFile(p: string): boolean {
  if (!hasCaseName(p)) return false;
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
