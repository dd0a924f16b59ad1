/**
 * Upgrading an older case without touching it: the file (and its `-wal`, for a case an older Runlens left in WAL
 * mode) is copied with plain reads into a private partial file in the case folder; the copy's schema is checked
 * against the migrations at its version (a crafted file is refused, never migrated), migrated, switched to a
 * rollback journal, checked again and renamed into place. The original's bytes and times stay as they were.
 * The copy is named by the original's hash, so upgrading the same file twice reuses the first copy.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { casesDir, CASE_EXTENSION } from '../import/case-location';
import { CaseFileError, CaseUpgradeNeeded, openCaseForWrite, openCaseReadOnly } from './open';

export interface UpgradeResult {
  /** The upgraded copy (or `from` itself when it needed no upgrade). */
  case: string;
  /** Whether a copy was written now (false: `from` was current, or its copy existed already). */
  written: boolean;
}

function sha256File(p: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(p, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function removeFiles(p: string): void {
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) fs.rmSync(f, { force: true });
}

/** Whether `p` opens as a current case (then it is used as is). Other errors are the caller's to report. */
function needsUpgrade(p: string): boolean {
  try {
    openCaseReadOnly(p).close();
    return false;
  } catch (e) {
    if (e instanceof CaseUpgradeNeeded) return true;
    throw e;
  }
}

/** Upgrade `from` as a copy in `dir` (default: the case folder). Throws CaseFileError for anything not a case. */
export function upgradeCaseCopy(from: string, dir: string = casesDir()): UpgradeResult {
  const src = path.resolve(from);
  if (!needsUpgrade(src)) return { case: src, written: false };
  const to = path.join(path.resolve(dir), `upgraded-${sha256File(src).slice(0, 32)}${CASE_EXTENSION}`);
  if (to === src) throw new CaseFileError(`${from}: the upgraded copy would replace the original`);
  if (fs.existsSync(to)) {
    openCaseReadOnly(to).close();
    return { case: to, written: false };
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const partial = `${to}.partial-${randomBytes(6).toString('hex')}`;
  try {
    fs.copyFileSync(src, partial, fs.constants.COPYFILE_EXCL);
    if (fs.existsSync(`${src}-wal`)) fs.copyFileSync(`${src}-wal`, `${partial}-wal`, fs.constants.COPYFILE_EXCL);
    const db = openCaseForWrite(partial);
    db.close();
    fs.rmSync(`${partial}-wal`, { force: true });
    fs.rmSync(`${partial}-shm`, { force: true });
    openCaseReadOnly(partial).close();
    fs.renameSync(partial, to);
    return { case: to, written: true };
  } catch (e) {
    removeFiles(partial);
    if (e instanceof CaseFileError) throw e;
    throw new CaseFileError(`${from}: cannot upgrade: ${(e as Error).message}`);
  }
}
