/**
 * The log finalize's work done while the import waits for its calls worker (gha/finalize-logs.ts prepareLogsEarly:
 * the log lines' indexes, the full-text index, the lines' mentions). The case must be the one the import without it
 * writes: the whole full-text index (every term instance, through fts5vocab), FTS5's own integrity-check against
 * the lines, MATCH results, the mentions and the schema — on the import path (calls worker inline and in a thread
 * against `off`, where no early work runs) and where the lines changed after the early work (lines added, then moved
 * into reading order): finalizeLogs must then redo it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../bench/gen-data';
import { finalizeCase } from '../../electron/analysis/finalize';
import { createCase, migrate, type Db } from '../../electron/db/open';
import { LOG_INDEXES, prepareLogsEarly, type EarlyLogs } from '../../electron/import/gha/finalize-logs';
import { pickImporter } from '../../electron/import/registry';
import { ImportCancelledError, runImport, type RunImportOptions } from '../../electron/import/run-import';
import { CaseWriter } from '../../electron/import/writer';
import { buildImportWorker, copyDir, FIXTURE_BUNDLE, inputFile, Readable, tempDir } from './import-helpers';

let work: string;
let workerPath: string;
const out = path.join(__dirname, '../../.cache', `early-logs-test-${process.pid}`);
beforeAll(async () => {
  work = tempDir('rl-early-logs-');
  workerPath = await buildImportWorker(out);
}, 60_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

/** Tokens to search for (MATCH), from the log itself: some common, some rare. */
const QUERIES = ['group', 'npm', 'compiled', '"telemetry.exfil.example"', '"telemetry.exfil.example.net"', 'deprecated OR warning', 'module*'];

/**
 * Everything the full-text index and the mentions hold, read back; FTS5's integrity-check run on a copy. `shadow`:
 * FTS5's own tables byte for byte (the index the calls worker builds is copied in whole: log-fts.ts).
 */
function logIndexState(casePath: string, shadow = true): Record<string, unknown> {
  const copy = `${casePath}.check`;
  fs.copyFileSync(casePath, copy);
  const db = new Database(copy);
  try {
    // rank 1: the index also checked against the lines (external content) — throws on any difference
    db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('integrity-check', 1)`);
    db.exec(`CREATE VIRTUAL TABLE temp.fts_instances USING fts5vocab(main, log_fts, 'instance')`);
    return {
      schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all(),
      instances: db.prepare('SELECT term, doc, col, offset FROM temp.fts_instances ORDER BY term, doc, offset').raw(true).all(),
      matches: QUERIES.map((q) => db.prepare('SELECT rowid FROM log_fts WHERE log_fts MATCH ? ORDER BY rowid').pluck().all(q)),
      mentions: db.prepare('SELECT * FROM log_mentions ORDER BY id').raw(true).all(),
      lines: db.prepare('SELECT id, job, step_id, depth, text FROM log_lines ORDER BY id').raw(true).all(),
      ...(shadow ? { shadow: ['data', 'idx', 'docsize', 'config'].map((t) => db.prepare(`SELECT * FROM log_fts_${t} ORDER BY 1, 2`).raw(true).all()) } : {}),
      integrity: db.pragma('integrity_check'),
    };
  } finally {
    db.close();
    fs.rmSync(copy, { force: true });
  }
}

async function importWith(name: string, input: string, extra: Partial<RunImportOptions>): Promise<{ casePath: string; spans: string[] }> {
  const casePath = path.join(work, `${name}.runlens`);
  const spans: string[] = [];
  await runImport({ inputs: [input], casePath, callsWorkerPath: workerPath, onSpan: (n) => spans.push(n), ...extra });
  return { casePath, spans };
}

describe('log finalize work done while the calls worker runs', () => {
  it('a generated bundle: the same full-text index, mentions and indexes as without it', async () => {
    const b = writeBundle(path.join(work, 'gen'), { calls: 3000, processes: 300, logLines: 8000 });
    const off = await importWith('gen-off', b.dir, { callsWorker: 'off' });
    const inline = await importWith('gen-inline', b.dir, { callsWorker: 'inline' });
    const thread = await importWith('gen-thread', b.dir, { callsWorker: 'thread' });
    process.env.RUNLENS_FTS_WORKER = 'off';
    let here;
    try {
      here = await importWith('gen-fts-here', b.dir, { callsWorker: 'thread' });
    } finally {
      delete process.env.RUNLENS_FTS_WORKER;
    }
    // without the worker nothing is done early; with it, all of it, and finalize does none of it again: the
    // full-text index built by the worker from the texts staged for it and copied in (log-fts.ts), or here early
    expect(off.spans.filter((s) => s.startsWith('early:'))).toEqual([]);
    expect(off.spans).toContain('logs: full-text index');
    for (const r of [inline, thread]) {
      expect(r.spans).toEqual(expect.arrayContaining(['early: log indexes', 'early: full-text index text', 'early: mentions', 'fts: copy from the calls worker']));
      expect(r.spans).not.toContain('logs: full-text index');
      expect(r.spans).not.toContain('early: full-text index');
      expect(r.spans).not.toContain('fts: full-text index');
    }
    expect(here.spans).toEqual(expect.arrayContaining(['early: log indexes', 'early: full-text index', 'early: mentions']));
    expect(here.spans.filter((s) => s.startsWith('fts:') || s === 'logs: full-text index' || s === 'early: full-text index text')).toEqual([]);
    const want = logIndexState(off.casePath);
    expect((want.instances as unknown[]).length).toBeGreaterThan(8000);
    expect((want.mentions as unknown[]).length).toBeGreaterThan(100);
    expect((want.matches as unknown[][]).every((m) => m.length > 0)).toBe(true);
    expect(want.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect((want.shadow as unknown[][])[2]!.length).toBe(8000); // a docsize row per line
    expect(logIndexState(inline.casePath)).toEqual(want);
    expect(logIndexState(thread.casePath)).toEqual(want);
    expect(logIndexState(here.casePath)).toEqual(want);
    // the staged file is gone with the worker
    expect(fs.readdirSync(work).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 60_000);

  it('RUNLENS_EARLY_LOGS=off: the calls worker without the early work, the same case', async () => {
    const b = writeBundle(path.join(work, 'gen2'), { calls: 1000, processes: 100, logLines: 3000 });
    const early = await importWith('env-on', b.dir, { callsWorker: 'inline' });
    process.env.RUNLENS_EARLY_LOGS = 'off';
    let late;
    try {
      late = await importWith('env-off', b.dir, { callsWorker: 'inline' });
    } finally {
      delete process.env.RUNLENS_EARLY_LOGS;
    }
    expect(late.spans.filter((s) => s.startsWith('early:'))).toEqual([]);
    expect(early.spans).toContain('early: full-text index text');
    expect(logIndexState(early.casePath)).toEqual(logIndexState(late.casePath));
  }, 60_000);
});

/** A job log written through the case writer as the import writes it (the GitHub log importer). */
async function writeLog(writer: CaseWriter, relPath: string, text: string): Promise<void> {
  const file = inputFile(relPath, text);
  const importer = pickImporter(file)!.importer;
  const id = writer.addSource({ parentId: null, path: relPath, member: relPath });
  writer.setSourceFormat(id, importer.format, 0n);
  const sink = writer.sinkFor(id, relPath, 0n, {});
  await importer.read(file, Readable.from([Buffer.from(text)]), sink, { date: null, signal: new AbortController().signal });
  sink.finish();
  writer.commit();
}

/**
 * A case of two job logs: with `early`, the log lines' indexes made before the load and the early work run after the
 * first (as the import does, had nothing come after); else the indexes made after the load by migrate.
 */
async function twoLogs(casePath: string, first: string, second: string, early: boolean, spans: string[] = [], ftsFile?: string): Promise<EarlyLogs | null> {
  const db: Db = createCase(casePath, { bulkLoad: true });
  try {
    if (early) for (const q of LOG_INDEXES) db.exec(q);
    const writer = new CaseWriter(db);
    await writeLog(writer, 'logs/1_build.txt', first);
    const done = early ? prepareLogsEarly(db, writer.logHints, undefined, ftsFile === undefined ? undefined : { path: ftsFile, staged: () => undefined }) : null;
    await writeLog(writer, 'logs/2_aaa-setup.txt', second);
    migrate(db);
    writer.storeAccounting();
    finalizeCase(db, { warn: () => {}, logHints: writer.logHints, earlyLogs: done, onSpan: (n) => spans.push(n) });
    return done;
  } finally {
    db.close();
  }
}

describe('lines changed after the early work: finalizeLogs redoes it', () => {
  it('lines added by a later file, and moved into reading order (its job ran first)', async () => {
    const b = writeBundle(path.join(work, 'gen3'), { calls: 100, processes: 100, logLines: 4000 });
    const first = fs.readFileSync(path.join(b.dir, 'logs/1_build.txt'), 'utf8');
    // the second job's lines: an hour earlier than the first's, so reading order puts them first (ids move)
    const second = first
      .split('\n')
      .slice(0, 500)
      .map((l) => l.replace(/^(\d{4}-\d\d-\d\dT)(\d\d)/, (_m, d: string, h: string) => `${d}${String(Number(h) - 1).padStart(2, '0')}`))
      .join('\n');
    const withEarly = path.join(work, 'two-early.runlens');
    const without = path.join(work, 'two-plain.runlens');
    const spans: string[] = [];
    const done = await twoLogs(withEarly, first, second, true, spans);
    expect(spans).toContain('logs: full-text index'); // done again
    expect(LOG_INDEXES.length).toBe(2);
    expect(done).not.toBeNull(); // it did run (and its results no longer held)
    expect(done!.lines).toBe(4000);
    await twoLogs(without, first, second, false);
    // (built twice, FTS5's structure record differs from one built once: the same index, compared without its bytes)
    const got = logIndexState(withEarly, false);
    const want = logIndexState(without, false);
    expect((want.lines as [number, string][])[0]![1]).toBe('aaa-setup'); // the second file's lines came first: moved
    expect(got).toEqual(want);
    // the texts staged for the worker's index instead: finalizeLogs builds the index itself, the staged one unused
    const staged = path.join(work, 'two-staged.runlens');
    const stagedSpans: string[] = [];
    const ftsFile = path.join(work, 'two-staged.fts');
    const early = await twoLogs(staged, first, second, true, stagedSpans, ftsFile);
    expect(early!.fts).toBe(false);
    expect(early!.ftsElsewhere).toEqual({ held: false });
    expect(stagedSpans).toContain('logs: full-text index');
    expect(logIndexState(staged)).toEqual(logIndexState(without)); // built once: byte for byte
  }, 60_000);
});

describe('the calls file: read once when its calls are taken, read here when they are not', () => {
  /** A bundle whose calls the worker reads on another basis (a process exec it does not read): read here again. */
  function mixedBundle(name: string): string {
    const dir = path.join(work, name);
    copyDir(FIXTURE_BUNDLE, dir);
    fs.copyFileSync(path.join(__dirname, '../fixtures/formats/tetragon/book_nc_process_exec.json'), path.join(dir, 'z-exec.json'));
    return dir;
  }
  const rows = (p: string) => {
    const db = new Database(p, { readonly: true });
    try {
      return {
        sources: db.prepare('SELECT * FROM sources ORDER BY id').all() as { path: string; sha256: string; bytes: number }[],
        network: db.prepare('SELECT * FROM network ORDER BY id').all(),
        warnings: db.prepare('SELECT * FROM warnings ORDER BY id').all(),
        inputs: (db.prepare(`SELECT value FROM meta WHERE key = 'inputs'`).get() as { value: string }).value,
      };
    } finally {
      db.close();
    }
  };
  const sha256Of = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

  it('taken from the worker: the container records the digest of the bytes the worker read (the file read once), as a read of its own gives', async () => {
    const dir = path.join(work, 'taken');
    copyDir(FIXTURE_BUNDLE, dir);
    const off = await importWith('taken-off', dir, { callsWorker: 'off' });
    const inline = await importWith('taken-inline', dir, { callsWorker: 'inline' });
    const thread = await importWith('taken-thread', dir, { callsWorker: 'thread' });
    const want = rows(off.casePath);
    const calls = want.sources.find((r) => r.path.endsWith('network.jsonl'))!;
    expect(calls.sha256).toBe(sha256Of(path.join(dir, 'network.jsonl')));
    expect(calls.bytes).toBe(fs.statSync(path.join(dir, 'network.jsonl')).size);
    for (const r of [inline, thread]) {
      expect(r.spans).toContain('calls: copy from the calls worker'); // taken
      expect(r.spans).not.toContain('calls: hash the file'); // and not read a second time here
      expect(rows(r.casePath)).toEqual(want); // every source's digest, the folder's, the calls, the warnings
    }
  }, 60_000);

  it('its calls read here after all: the same case as without the worker', async () => {
    const dir = mixedBundle('mixed');
    const off = await importWith('mixed-off', dir, { callsWorker: 'off' });
    const inline = await importWith('mixed-inline', dir, { callsWorker: 'inline' });
    expect(inline.spans).not.toContain('calls: copy from the calls worker'); // not taken: read here
    const want = rows(off.casePath);
    expect(want.network.length).toBeGreaterThan(0);
    expect(rows(inline.casePath)).toEqual(want);
  }, 60_000);
});

describe('cancelled during the early work', () => {
  it('no case, no partial file, no calls database or staged index left', async () => {
    const b = writeBundle(path.join(work, 'gen-cancel'), { calls: 2000, processes: 200, logLines: 3000 });
    const dir = path.join(work, 'cancel-out');
    fs.mkdirSync(dir);
    // while the texts are staged for the worker's full-text index, and while this thread waits for that index
    for (const [mode, at] of [['inline', 'early: full-text index text'], ['thread', 'early: full-text index text'], ['thread', 'finalize: commit']] as const) {
      const controller = new AbortController();
      const run = runImport({
        inputs: [b.dir],
        casePath: path.join(dir, `${mode}.runlens`),
        callsWorker: mode,
        callsWorkerPath: workerPath,
        signal: controller.signal,
        onSpan: (n) => {
          if (n === at) controller.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  }, 60_000);
});
