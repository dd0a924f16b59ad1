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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCaseReadOnly, readImportState, type Db } from '../db/open';

export const IMPORT_STATE = 'import_state';
export type ImportState = 'loading' | 'analysing' | 'complete';

export function importState(db: Db): ImportState {
  return readImportState(db);
}

/** How long a query on a partial case waits for the importer's commit before it says the case is busy. */
export const PARTIAL_BUSY_MS = 2000;

/**
 * Open a partial case (ImportProgress.partial) for reading while the import goes on: read-only, `query_only`, the
 * same schema check as every case at the file's own version (openCaseReadOnly with `partial`).
 */
export function openPartialCase(file: string, busyTimeoutMs = PARTIAL_BUSY_MS): Db {
  return openCaseReadOnly(file, { partial: true, busyTimeoutMs });
}

/**
 * A test-only pause (documented in docs/architecture.md): with `RUNLENS_TEST_PAUSE_DIR` set in the importing
 * process and that folder present (a test creates it when the import it means starts), the import stops at the named point — 'first-screen' (the first log lines committed and reported) and
 * 'analysing' (every row loaded, before the analysis) — writes `<dir>/<point>.reached` and waits until
 * `<dir>/<point>.go` exists. So a test can look at the partial case in a known state instead of racing the import.
 * It blocks the importing thread (a worker thread: the app and serve stay responsive); nothing happens without the
 * variable.
 */
export function testPause(point: 'first-screen' | 'analysing'): void {
  const dir = process.env.RUNLENS_TEST_PAUSE_DIR;
  if (!dir || !fs.existsSync(dir)) return; // armed only while the folder exists
  fs.writeFileSync(path.join(dir, `${point}.reached`), String(process.pid));
  const go = path.join(dir, `${point}.go`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 10 * 60_000; // a forgotten test cannot hold an import for ever
  while (!fs.existsSync(go) && Date.now() < until) Atomics.wait(cell, 0, 0, 20);
}
