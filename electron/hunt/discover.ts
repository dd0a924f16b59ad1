/**
 * What a hunt reads under DIR: case files (named `*.runlens`, as everywhere in Runlens: never taken for a case by
 * their bytes; electron/db/case-file.ts) and Parquet files
 * (`*.parquet`; the table is the name of the folder holding the file, as `runlens export` writes them:
 * DIR/<table>/<run>.parquet). Symbolic links are not followed: a hunt reads what is under DIR and nothing else.
 * Files are listed in path order, so the same folder always gives the same order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hasCaseName } from '../db/case-file';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface HuntSources {
  cases: string[];
  /** table -> Parquet files */
  parquet: Map<string, string[]>;
  /** Files skipped, with the reason (neither a case nor Parquet, unreadable). */
  skipped: { file: string; reason: string }[];
}

function isSqlite(p: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, 'r');
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

const SIDE_FILE = /-(wal|shm|journal)$|\.partial-[0-9a-f]+$/;

export function discover(dir: string): HuntSources {
  const out: HuntSources = { cases: [], parquet: new Map(), skipped: [] };
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      out.skipped.push({ file: d, reason: (e as Error).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.isFile()) continue; // symlinks, devices, FIFOs: not read
      else if (SIDE_FILE.test(e.name)) continue;
      else if (e.name.endsWith('.parquet')) {
        const table = path.basename(d);
        const list = out.parquet.get(table) ?? [];
        list.push(p);
        out.parquet.set(table, list);
      } else if (hasCaseName(e.name)) out.cases.push(p);
      else if (isSqlite(p)) out.skipped.push({ file: p, reason: 'an SQLite file not named *.runlens: not taken for a case' });
    }
  };
  walk(dir);
  return out;
}
