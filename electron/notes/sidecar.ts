/**
 * The analyst's own records — notes, verdicts, bookmarks and the action log — live in a sidecar SQLite file
 * beside the case (`<case>.notes.sqlite`), never in the case: the imported case file is evidence, opened
 * read-only (and may be made immutable), so nothing the analyst does can alter it. `sidecarPath` is the one place
 * that derives the sidecar's name from the case's path. One connection per sidecar per process, opened on first
 * use (created then, with its schema), WAL so a reader (the report) never waits on a writer.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { QueryError } from '../queries/values';

/** The sidecar of a case file: same folder, the case's name plus `.notes.sqlite`. */
export function sidecarPath(casePath: string): string {
  const abs = path.resolve(casePath);
  return path.join(path.dirname(abs), `${path.basename(abs)}.notes.sqlite`);
}

const SCHEMA = /* sql */ `
CREATE TABLE IF NOT EXISTS notes (
  id          INTEGER PRIMARY KEY,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('call', 'process', 'log', 'step', 'range', 'finding')),
  target_id   INTEGER,              -- the row's id in the case (call, process, log line, step, finding)
  range_start INTEGER,              -- ns, for a time range
  range_end   INTEGER,
  label       TEXT,                 -- what the target was when the note was made (the case may be re-imported)
  verdict     TEXT CHECK (verdict IN ('malicious', 'suspicious', 'benign', 'needs-review')),
  text        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,             -- RFC 3339, the analyst's clock
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}' -- JSON
);
`;

const open = new Map<string, Db>();

/** The sidecar of `casePath`, opened for writing (created when missing). */
export function openSidecar(casePath: string): Db {
  const p = sidecarPath(casePath);
  let db = open.get(p);
  if (db && db.open) return db;
  try {
    db = new Database(p, { nativeBinding: process.env.RUNLENS_SQLITE_BINDING || undefined });
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
  } catch (e) {
    throw new QueryError(`cannot keep notes beside the case (${p}): ${(e as Error).message}`);
  }
  open.set(p, db);
  return db;
}

/** The sidecar for reading only, or null when none was ever written (reading never creates one). */
export function readSidecar(casePath: string): Db | null {
  const p = sidecarPath(casePath);
  const db = open.get(p);
  if (db && db.open) return db;
  if (!existsSync(p)) return null;
  return openSidecar(casePath);
}

export function closeSidecars(): void {
  for (const db of open.values()) if (db.open) db.close();
  open.clear();
}
