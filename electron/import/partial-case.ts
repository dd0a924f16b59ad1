/**
 * First screen first: a case being imported is readable before it is complete. runImport builds it in a private
 * partial file (`<case>.partial-<random>`, renamed over the case path only when the import succeeds) and reports
 * that file's path in its progress once the first log lines are committed. `meta.import_state` tells a reader how
 * far it is: 'loading' (rows still arriving; no indexes, full-text index or analysis yet), 'analysing' (every row
 * loaded; indexes, full-text search, processes, attribution and findings being built), 'complete'. A case without
 * the key predates this and is complete. An interrupted import never leaves a file at the case path, and a partial
 * file left by a crash says 'loading' or 'analysing'.
 *
 * Readers open the partial file read-only and leave it as it is (no migration, no journal-mode change: the importer
 * owns it); a query may wait while the importer writes (the busy timeout), the importer's commits wait for a
 * reader (up to a minute: keep reads to a window), and the file may vanish (renamed or removed) at any time: open
 * the case path once the import is done.
 */
import Database from 'better-sqlite3';
import type { Db } from '../db/open';

export const IMPORT_STATE = 'import_state';
export type ImportState = 'loading' | 'analysing' | 'complete';

export function importState(db: Db): ImportState {
  const r = db.prepare(`SELECT value FROM meta WHERE key = ?`).get(IMPORT_STATE) as { value: string } | undefined;
  if (!r) return 'complete';
  try {
    const v = JSON.parse(r.value) as unknown;
    return v === 'loading' || v === 'analysing' ? v : 'complete';
  } catch {
    return 'complete';
  }
}

/** Open a partial case (ImportProgress.partial) for reading while the import goes on. */
export function openPartialCase(path: string, busyTimeoutMs = 5000): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs, nativeBinding: process.env.RUNLENS_SQLITE_BINDING || undefined });
  return db;
}
