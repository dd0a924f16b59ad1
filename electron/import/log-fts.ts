/**
 * The log's full-text index (`log_fts`: FTS5, external content `log_lines`), built in one pass after the lines are
 * in — on the import's thread (`rebuildFts`), or on the calls worker's thread while the import's thread finishes the
 * analysis (benchmark 1: the index is ~1.1 s of the 1M-line log's critical path, and the worker has that time):
 *
 * 1. `stageFtsText` (import thread, the lines final): the lines' ids and texts copied into a private database beside
 *    the partial case (`<partial>-fts`, db/case-files.ts), with an empty contentless FTS5 table of the case's
 *    tokenizer (one INSERT … SELECT: ~0.35 s for 1M lines, no row through JavaScript);
 * 2. `buildFtsFile` (the calls worker, calls-worker.ts): that table filled from the texts in id order, with the
 *    pending-terms hash and the settings `rebuildFts` uses: FTS5 does what its `rebuild` does (every row tokenized
 *    in rowid order, the same segments, the same docsize rows), so the shadow tables come out byte for byte the same
 *    (test/integration/import-early-logs.test.ts compares them);
 * 3. `takeFtsFile` (import thread, after the analysis): the four shadow tables copied into the case's empty ones
 *    (SQLite's transfer of whole records), checked to cover exactly the case's lines; else the caller rebuilds.
 * The worker never opens the case, and the import never writes the private file while the worker does: no two
 * connections write one file.
 */
import { removeCaseFiles } from '../db/case-files';
import type { Db } from '../db/open';
import { sql as initSql } from '../db/migrations/001_init';

/** FTS5's default pending-terms hash (1 MiB), set back after the build. */
const FTS_DEFAULT_HASHSIZE = 1024 * 1024;
const FTS_REBUILD_HASHSIZE = 64 * 1024 * 1024;

/** The case's `log_fts` definition (migration 1): its FTS5 arguments, the contentless copy takes the tokenizer. */
const TOKENIZE = (() => {
  const m = /CREATE VIRTUAL TABLE log_fts USING fts5\(.*(tokenize=(?:"[^"]*"|'[^']*'))\)/.exec(initSql);
  if (!m) throw new Error('migration 1: the log_fts definition has no tokenize= argument');
  return m[1]!;
})();

/** The shadow tables of an FTS5 table with column sizes (FTS5's own names), copied by `takeFtsFile`. */
const SHADOW = ['data', 'idx', 'docsize', 'config'] as const;

const PRIVATE_PAGE_SIZE = 16384;
const PRIVATE_CACHE_KIB = 65536;

/**
 * Rebuild the full-text index from the lines. FTS5 writes a new segment each time its in-memory hash of pending
 * terms reaches `hashsize` and keeps merging the small segments as they pile up; a 64 MiB hash for the rebuild about
 * halves its time (1M lines: 1.3 s -> 0.7 s). The setting (stored in log_fts_config) is set back to the default
 * afterwards; the index holds the same terms either way, in fewer, larger segments.
 */
export function rebuildFts(db: Db): void {
  // (an integer literal: FTS5 refuses a bound JS number, which SQLite receives as a REAL)
  db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_REBUILD_HASHSIZE})`);
  db.exec(`INSERT INTO log_fts(log_fts) VALUES('rebuild')`);
  db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_DEFAULT_HASHSIZE})`);
}

/**
 * Step 1 (import thread): a new private database at `path` (whatever was there removed) holding the case's lines' ids and texts
 * and an empty contentless `log_fts` of the case's tokenizer. Outside any transaction (ATTACH is refused in one).
 * Returns the number of lines staged.
 */
export function stageFtsText(db: Db, path: string): number {
  removeFtsFile(path); // (a name no other import uses: a file there is a leftover)
  db.prepare('ATTACH DATABASE ? AS fts_side').run(path);
  try {
    db.pragma(`fts_side.page_size = ${PRIVATE_PAGE_SIZE}`);
    db.pragma('fts_side.journal_mode = OFF');
    db.pragma('fts_side.synchronous = OFF');
    db.exec(`CREATE TABLE fts_side.rl_fts_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL)`);
    db.exec(`CREATE VIRTUAL TABLE fts_side.log_fts USING fts5(text, content='', ${TOKENIZE})`);
    const n = db.prepare('INSERT INTO fts_side.rl_fts_text (id, text) SELECT id, text FROM main.log_lines ORDER BY id').run().changes;
    db.exec('CREATE TABLE fts_side.rl_fts_meta (key TEXT PRIMARY KEY, value)');
    db.prepare(`INSERT INTO fts_side.rl_fts_meta VALUES ('lines', ?)`).run(n);
    return n;
  } finally {
    db.exec('DETACH DATABASE fts_side');
  }
}

/** The staged file gone (taken, not used, or left by an import that failed). */
export function removeFtsFile(path: string): void {
  removeCaseFiles(path);
}

/** Step 2 (the calls worker's thread): the staged file's `log_fts` filled from its texts, as `rebuildFts` would. */
export function buildFtsFile(open: (path: string) => Db, path: string): void {
  const db = open(path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${PRIVATE_CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    db.transaction(() => {
      db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_REBUILD_HASHSIZE})`);
      db.exec('INSERT INTO log_fts(rowid, text) SELECT id, text FROM rl_fts_text ORDER BY id');
      db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_DEFAULT_HASHSIZE})`);
    })();
  } finally {
    db.close();
  }
}

/**
 * Step 3 (import thread): the built index copied into the case's `log_fts`, if it covers exactly the case's lines
 * (`lines` of them staged, the case's first and last id). False (nothing changed) otherwise: the
 * caller rebuilds. Outside any transaction. The case's `log_fts` must not have been used on this connection
 * (FTS5 keeps what it read of its own tables per connection).
 */
export function takeFtsFile(db: Db, path: string, lines: number): boolean {
  db.prepare('ATTACH DATABASE ? AS fts_side').run(path);
  try {
    // (first and last id, and the count of the texts staged: no count(*) of either table, ~0.1 s on 1M lines)
    const ends = (schema: string, table: string) =>
      JSON.stringify(db.prepare(`SELECT (SELECT min(id) FROM ${schema}.${table}), (SELECT max(id) FROM ${schema}.${table})`).raw(true).get());
    if (ends('fts_side', 'log_fts_docsize') !== ends('main', 'log_lines') || ends('fts_side', 'rl_fts_text') !== ends('main', 'log_lines')) return false;
    if (db.prepare(`SELECT value FROM fts_side.rl_fts_meta WHERE key = 'lines'`).pluck().get() !== lines) return false;
    // the shadow tables are FTS5's own: SQLite's defensive mode (better-sqlite3's default) refuses writes to them
    db.unsafeMode(true);
    try {
      db.transaction(() => {
        for (const t of SHADOW) {
          db.exec(`DELETE FROM main.log_fts_${t}`);
          db.exec(`INSERT INTO main.log_fts_${t} SELECT * FROM fts_side.log_fts_${t}`);
        }
      })();
    } finally {
      db.unsafeMode(false);
    }
    return true;
  } finally {
    db.exec('DETACH DATABASE fts_side');
  }
}
