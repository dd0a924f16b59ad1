/**
 * Opening case files. One case = one SQLite file. Writers (the importer) create a new private file with
 * `createCase`; everything else opens with `openCaseReadOnly`, which never writes anything: not the file, not a
 * `-wal`/`-shm`/`-journal` beside it, not even when the open fails (see SECURITY.md, promise 1).
 *
 * A case may have been crafted by an attacker, so before any query touches it `openCaseReadOnly` checks that its
 * schema is exactly what the migrations create (schema-trust.ts: no view, trigger, extra table or altered column)
 * and turns `trusted_schema` off. A case of an older schema is never migrated in place: `upgradeCaseCopy` writes an
 * upgraded copy into the case folder (`runlens upgrade`), and the read path refuses with that command.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index';
import { nativeBinding } from './native-binding';
import { schemaProblems } from './schema-trust';

export type Db = Database.Database;

export class CaseFileError extends Error {}

/** The case is older than this Runlens: it must be upgraded (as a copy) first; the message names the command. */
export class CaseUpgradeNeeded extends CaseFileError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}; it is never changed in place: run \`runlens upgrade ${shellQuote(path)}\` to write an upgraded copy into the case folder`);
  }
}

function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

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
    // commits (first screen first, import/partial-case.ts); a commit waits up to a minute for a reader to finish
    db.pragma('busy_timeout = 60000');
  } else {
    // A rollback journal, not WAL: a finished case is one self-contained file that a read-only open can read
    // without creating -wal/-shm files beside it (openCaseReadOnly refuses WAL-mode files for that reason).
    db.pragma('journal_mode = DELETE');
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

/**
 * Open a PRIVATE file for writing (a partial copy being built: re-offset, upgrade). Never a user's case or evidence:
 * those are only ever read. Rollback journal, so the finished file stays one self-contained file; the schema is
 * checked before anything is written (a crafted file is refused, not migrated), then migrated to the latest version.
 */
export function openCaseForWrite(path: string): Db {
  const db = new Database(path, { fileMustExist: true, nativeBinding: nativeBinding() });
  try {
    db.pragma('trusted_schema = OFF');
    const v = db.pragma('user_version', { simple: true }) as number;
    checkVersion(path, v);
    const problems = schemaProblems(db, v);
    if (problems.length) throw new CaseFileError(`${path}: not a Runlens case: ${problems.slice(0, 3).join('; ')}`);
    db.pragma('journal_mode = DELETE');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * The first 100 bytes of the file, read with plain read-only I/O: a FIFO, device or folder is refused before
 * SQLite sees it (it could block or never end), as is anything that is not SQLite.
 */
function readHeader(path: string): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new CaseFileError(`${path}: cannot open case file: ${(e as Error).message}${typeof code === 'string' && code.startsWith('SQLITE_') ? ` (${code})` : ''}`);
  }
  if (!st.isFile()) throw new CaseFileError(`${path}: not a Runlens case file (not a regular file)`);
  const fd = openSync(path, 'r');
  try {
    if (!fstatSync(fd).isFile()) throw new CaseFileError(`${path}: not a Runlens case file (not a regular file)`);
    const head = Buffer.alloc(100);
    const n = readSync(fd, head, 0, 100, 0);
    if (n < 100 || !head.subarray(0, 16).equals(SQLITE_MAGIC)) {
      throw new CaseFileError(`${path}: not a Runlens case file (not an SQLite database)`);
    }
    return head;
  } finally {
    closeSync(fd);
  }
}

function checkVersion(path: string, v: number): void {
  if (v === 0) throw new CaseFileError(`${path}: not a Runlens case file (no case schema)`);
  if (v < 0 || v > LATEST_VERSION) {
    throw new CaseFileError(`${path}: case schema ${v} is newer than this Runlens understands (${LATEST_VERSION}); update Runlens`);
  }
}

/**
 * Open a case for reading. Guarantees (tested in test/integration/case-open-readonly.test.ts):
 * - nothing is written: SQLite's read-only mode; a file whose header asks for WAL (it would need a `-shm` beside it)
 *   is refused before SQLite opens it, like an older schema (both: `runlens upgrade`, which writes a copy);
 * - the schema is exactly the migrations' (schema-trust.ts) and `trusted_schema` is off, so no view, trigger or
 *   altered definition can run the file's own SQL when a query reads it; `query_only` as a second lock.
 */
export interface ReadOpenOptions {
  /**
   * A case still being built by an import (first screen first, import/partial-case.ts): its `meta.import_state` is
   * 'loading' or 'analysing' and its schema may be an earlier migration's (the importer migrates it when the rows
   * are in); both are allowed, the same schema check applies at its version, and a busy writer is waited for only
   * briefly (`busyTimeoutMs`). Without it such a file is refused as incomplete.
   */
  partial?: boolean;
  busyTimeoutMs?: number;
}

/** `meta.import_state` of a case ('complete' when absent: cases before first screen first). */
export function readImportState(db: Db): 'loading' | 'analysing' | 'complete' {
  const r = db.prepare(`SELECT value FROM meta WHERE key = 'import_state'`).get() as { value: string } | undefined;
  if (!r) return 'complete';
  try {
    const v = JSON.parse(r.value) as unknown;
    return v === 'loading' || v === 'analysing' ? v : 'complete';
  } catch {
    return 'complete';
  }
}

export function openCaseReadOnly(path: string, opts: ReadOpenOptions = {}): Db {
  const head = readHeader(path);
  // Bytes 18/19: file format write/read version; 2 = WAL. A Runlens case is in rollback-journal mode.
  if (head[18] === 2 || head[19] === 2) {
    const v = head.readUInt32BE(60);
    if (v > 0 && v <= LATEST_VERSION) throw new CaseUpgradeNeeded(path, 'the case is in write-ahead-log mode (written by an older Runlens)');
    throw new CaseFileError(`${path}: not a Runlens case file (write-ahead-log database)`);
  }
  if (head[18] !== 1 || head[19] !== 1) throw new CaseFileError(`${path}: not a Runlens case file (unknown SQLite file format)`);
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding(), ...(opts.busyTimeoutMs !== undefined ? { timeout: opts.busyTimeoutMs } : {}) });
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
    // One read transaction for the version, the schema and the import state: a partial case's importer migrates it
    // after the load (a transaction per migration, its version with it), and reads in between must not pair one
    // migration's version with the next one's tables.
    const c = db;
    const { v, problems, state } = c.transaction(() => {
      const v = c.pragma('user_version', { simple: true }) as number;
      checkVersion(path, v);
      const state = readImportState(c);
      // an incomplete case (partial, or a partial file copied away) may hold a later migration's objects, each
      // exactly as defined (the log's indexes are made before the load); it is then refused as incomplete below
      return { v, problems: schemaProblems(c, v, opts.partial || state !== 'complete' ? LATEST_VERSION : undefined), state };
    })();
    if (problems.length) {
      throw new CaseFileError(`${path}: refused: not a Runlens case schema (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; ${problems.length - 3} more` : ''})`);
    }
    // An import that stopped half-way (killed, or a partial file copied away) never passes for a complete case.
    if (!opts.partial && state !== 'complete') {
      throw new CaseFileError(
        `${path}: incomplete case: its import stopped before it was complete (state '${state}'); nothing in it can be trusted to be whole — import the inputs again`,
      );
    }
    if (!opts.partial && v < LATEST_VERSION) throw new CaseUpgradeNeeded(path, `case schema ${v} is older than this Runlens's (${LATEST_VERSION})`);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof CaseFileError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CaseFileError(`${path}: cannot open case file: ${(e as Error).message}${typeof code === 'string' && code.startsWith('SQLITE_') ? ` (${code})` : ''}`);
  }
}
