/**
 * Opening case files. One case = one SQLite file. Writers (the importer) open with `openCaseForWrite`; everything
 * else opens read-only with `openCaseReadOnly`, so reading code cannot change evidence-derived data.
 */
import Database from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

/** Lets a process pick its own native build (Electron's ABI vs Node's): RUNLENS_SQLITE_BINDING=/path/to/.node */
function nativeBinding(): string | undefined {
  return process.env.RUNLENS_SQLITE_BINDING || undefined;
}

export class CaseFileError extends Error {}

export function migrate(db: Db, upTo: number = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new CaseFileError(
      `case file schema version ${current} is newer than this Runlens understands (${LATEST_VERSION}); update Runlens`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Create a new, empty case file (the path must not exist) with the base schema; indexes come after the load. */
export function createCase(path: string): Db {
  const db = new Database(path, { nativeBinding: nativeBinding() });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  migrate(db, 1);
  return db;
}

export function openCaseForWrite(path: string): Db {
  const db = new Database(path, { fileMustExist: true, nativeBinding: nativeBinding() });
  db.pragma('journal_mode = WAL');
  migrate(db);
  return db;
}

export function openCaseReadOnly(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v === 0) throw new CaseFileError(`${path}: not a Runlens case file`);
    if (v > LATEST_VERSION) {
      throw new CaseFileError(`${path}: case schema ${v} is newer than this Runlens understands (${LATEST_VERSION})`);
    }
    if (v < LATEST_VERSION) {
      db.close();
      openCaseForWrite(path).close();
      db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
    }
  } catch (e) {
    if (e instanceof CaseFileError) throw e;
    throw new CaseFileError(`${path}: cannot open case file: ${(e as Error).message}`);
  }
  return db;
}
