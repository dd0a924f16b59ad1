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

/**
 * Settings for building a private partial case file in one go (runImport): the file is renamed into place only on
 * success and deleted on any failure, so nothing needs to survive a crash or a ROLLBACK half-way, and the load may
 * trade durability for speed. Measured on the import benchmark (500k calls, 1M log lines): about a fifth less time.
 * - `page_size` 16 KiB (only settable before the first table): fewer, fuller b-tree pages for rows of ~200 bytes;
 * - no rollback journal and no syncs while loading (no WAL: every page would be written twice, WAL then checkpoint,
 *   with an fsync per checkpoint); `finishBulkLoad` switches to a normal journal, and the caller syncs the file
 *   once before renaming it;
 * - a 64 MiB page cache and temporary b-trees (index sorts, FTS rebuild) in memory;
 * - normal locking, so that the first screen can read the committed rows while the import goes on.
 */
export interface CreateCaseOptions {
  bulkLoad?: boolean;
}

const BULK_PAGE_SIZE = 16384;
const BULK_CACHE_KIB = 65536;

/** Create a new, empty case file (the path must not exist) with the base schema; indexes come after the load. */
export function createCase(path: string, opts: CreateCaseOptions = {}): Db {
  const db = new Database(path, { nativeBinding: nativeBinding() });
  if (opts.bulkLoad) {
    db.pragma(`page_size = ${BULK_PAGE_SIZE}`);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    // normal locking (not EXCLUSIVE): the partial case is readable by other connections between the writer's
    // commits (first screen first, import/partial-case.ts)
  } else {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = OFF');
  migrate(db, 1);
  return db;
}

/**
 * End a bulk load (createCase with `bulkLoad`): back to a rollback journal (one self-contained file, readable
 * read-only), normal locking, and the file synced to disk once before the caller renames it into place.
 */
export function finishBulkLoad(db: Db): void {
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  db.pragma('locking_mode = NORMAL');
  db.pragma('cache_size = -2000');
  // locking_mode NORMAL takes effect at the next access; a read releases the exclusive lock.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
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
