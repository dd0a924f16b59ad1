/**
 * The calls worker (import/calls-worker.ts, calls-side.ts): a bundle folder's calls parsed, analysed and written
 * into a private database on a worker thread (or inline), then copied into the case. The case must be the one the
 * single-thread import writes: every table compared row by row (ids included) with `callsWorker: 'off'`, for a
 * generated bundle, the fixture bundle, a bundle with bad and suspicious lines, and one whose basis differs
 * (process events the worker does not read: the import reads the file itself). No private database is left behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeBundle } from '../../bench/gen-data';
import { NetworkLive } from '../../electron/analysis/network-live';
import { CallsSide } from '../../electron/import/calls-side';
import { ImportCancelledError } from '../../electron/import/errors';
import { runImport, type ImportSummary, type RunImportOptions } from '../../electron/import/run-import';
import { buildImportWorker, copyDir, FIXTURE_BUNDLE, makeZip, tempDir } from './import-helpers';

let work: string;
let workerPath: string;
// the job worker built from these sources (not into dist/: other tests may be using it), inside the project so
// that it finds better-sqlite3 in node_modules
const out = path.join(__dirname, '../../.cache', `calls-worker-test-${process.pid}`);
beforeAll(async () => {
  work = tempDir('rl-calls-worker-');
  workerPath = await buildImportWorker(out);
}, 60_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

const TABLES: [string, string][] = [
  ['sources', 'id'],
  ['warnings', 'id'],
  ['meta', 'key'],
  ['steps', 'id'],
  ['log_lines', 'id'],
  ['log_mentions', 'id'], // (with the worker, worked out while it runs: gha/finalize-logs.ts prepareLogsEarly)
  ['process_events', 'id'],
  ['processes', 'id'],
  ['network', 'id'],
  ['network_order', 'rowid'],
  ['dns', 'id'],
  ['file_events', 'id'],
  ['detections', 'id'],
  ['findings', 'id'],
  ['finding_evidence', 'rowid'],
];

/** Every row of the case's tables, with the paths that name the case itself left out. */
function dump(casePath: string): Record<string, unknown[]> {
  const db = new Database(casePath, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    // the same schema (the calls' indexes copied with them: the same statements), and sound indexes
    out.schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all();
    out.integrity = db.pragma('integrity_check') as unknown[];
    out.network_by_endpoint = db.prepare('SELECT id FROM network INDEXED BY network_endpoint ORDER BY endpoint, id').all();
    for (const [t, order] of TABLES) {
      let rows = db.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all() as Record<string, unknown>[];
      if (t === 'meta') rows = rows.filter((r) => r.key !== 'import');
      out[t] = rows;
    }
    return out;
  } finally {
    db.close();
  }
}

const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.partial-'));

async function importBoth(name: string, inputs: string[], extra: Partial<RunImportOptions> = {}) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const copies = vi.spyOn(CallsSide.prototype, 'copyInto');
  const fileCopies = vi.spyOn(CallsSide.prototype, 'copyFile');
  const adopts = vi.spyOn(NetworkLive, 'adopt');
  const results: { mode: string; summary: ImportSummary; rows: Record<string, unknown[]>; copied: number; filesCopied: number; adopted: number }[] = [];
  try {
    for (const mode of ['off', 'inline', 'thread'] as const) {
      copies.mockClear();
      fileCopies.mockClear();
      adopts.mockClear();
      const casePath = path.join(dir, `${mode}.runlens`);
      const summary = await runImport({ inputs, casePath, callsWorker: mode, callsWorkerPath: workerPath, ...extra });
      const adopted = adopts.mock.results.filter((x) => x.type === 'return' && x.value !== null).length;
      results.push({ mode, summary, rows: dump(casePath), copied: copies.mock.calls.length, filesCopied: fileCopies.mock.calls.length, adopted });
    }
  } finally {
    copies.mockRestore();
    fileCopies.mockRestore();
    adopts.mockRestore();
  }
  expect(leftovers(dir)).toEqual([]);
  const [off, ...others] = results;
  for (const r of others) {
    for (const t of ['schema', 'integrity', 'network_by_endpoint', ...TABLES.map(([n]) => n)]) expect(r.rows[t], `${r.mode}: ${t}`).toEqual(off!.rows[t]);
    expect(r.rows.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect({ ...r.summary, case: '' }).toEqual({ ...off!.summary, case: '' });
  }
  return { off: off!, inline: results[1]!, thread: results[2]! };
}

describe('calls worker: the same case as the single-thread import', () => {
  it('a generated bundle (calls, processes with PID reuse, a log)', async () => {
    const b = writeBundle(path.join(work, 'gen'), { calls: 6000, processes: 500, logLines: 5000 });
    const r = await importBoth('gen-cases', [b.dir]);
    expect(r.inline.copied).toBe(1);
    expect(r.thread.copied).toBe(1);
    expect(r.off.copied).toBe(0);
    expect(r.thread.filesCopied).toBe(1); // processes.jsonl: its events taken from the worker too
    expect(r.thread.adopted).toBe(1); // and its process model (not built again here)
    expect(r.inline.adopted).toBe(1);
    expect(r.off.filesCopied).toBe(0);
    expect(r.off.rows.network!.length).toBe(6000);
    expect((r.off.rows.network as { process_id: number | null }[]).every((c) => c.process_id !== null)).toBe(true);
    expect(r.off.rows.findings!.length).toBeGreaterThan(0);
  });

  it('the fixture bundle (DNS fill, a process table, detections, files)', async () => {
    const r = await importBoth('fixture-cases', [FIXTURE_BUNDLE]);
    expect(r.thread.copied).toBe(1);
    expect((r.off.rows.network as { domain_origin: string | null }[]).some((c) => c.domain_origin === 'dns')).toBe(true);
  });

  it('bad lines, invisible characters, an unstorable time: the same warnings and accounting', async () => {
    const dir = path.join(work, 'bad');
    copyDir(FIXTURE_BUNDLE, dir);
    const good = fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl'), 'utf8');
    const bad = [
      '{"ts":"2026-10-14T09:20:00Z","pid":2002,"domain":"evil\u200b.example","ip":"203.0.113.9","port":443}',
      'not json at all',
      '{"ts":"2026-10-14T09:20:01Z","pid":2002,"port":443}',
      '{"ts":"9999-10-14T09:20:01Z","pid":2002,"ip":"203.0.113.9","port":443}',
      '',
      '{"ts":"2026-10-14T09:20:02Z","pid":2002,"ip":"203.0.113.10","port":70000}',
    ];
    fs.writeFileSync(path.join(dir, 'network.jsonl'), good + bad.join('\n') + '\n');
    const procs = fs.readFileSync(path.join(FIXTURE_BUNDLE, 'processes.jsonl'), 'utf8');
    // (the last: a time SQLite cannot store: skipped, not counted as stored, in every mode)
    fs.writeFileSync(path.join(dir, 'processes.jsonl'), procs + '{"ts":"2026-10-14T09:20:00Z","event":"exec"}\n[1,2]\n\n{"ts":"9999-10-14T09:20:00Z","event":"exec","pid":4242}\n');
    const r = await importBoth('bad-cases', [dir]);
    expect(r.thread.copied).toBe(1);
    expect(r.thread.filesCopied).toBe(1);
    const procWarned = (r.off.rows.warnings as { file: string }[]).filter((w) => w.file.endsWith('processes.jsonl'));
    expect(procWarned.length).toBeGreaterThanOrEqual(3);
    const proc = r.off.summary.files!.find((f) => f.path.endsWith('processes.jsonl'))!;
    expect(Object.keys(proc.skipped).filter((k) => k.includes('cannot be stored'))).toHaveLength(1);
    expect(proc.lines_stored + proc.lines_skipped).toBe(proc.lines);
    expect((r.off.rows.process_events as { pid: number }[]).some((e) => e.pid === 4242)).toBe(false);
    const warned = (r.off.rows.warnings as { file: string; line: number | null }[]).filter((w) => w.file.endsWith('network.jsonl'));
    expect(warned.length).toBeGreaterThanOrEqual(4);
    const net = r.off.summary.files!.find((f) => f.path.endsWith('network.jsonl'))!;
    expect(net.lines_stored + net.lines_skipped).toBe(net.lines);
  });

  it('process events the worker does not read (another format in the folder): read here, the same case', async () => {
    const dir = path.join(work, 'mixed');
    copyDir(FIXTURE_BUNDLE, dir);
    // read after processes.jsonl, before network.jsonl (read last): a process exec from Tetragon, no call
    const exec = path.join(__dirname, '../fixtures/formats/tetragon/book_nc_process_exec.json');
    fs.copyFileSync(exec, path.join(dir, 'z-exec.json'));
    const r = await importBoth('mixed-cases', [dir]);
    expect(r.off.rows.process_events!.length).toBeGreaterThan(15);
    expect(r.inline.copied).toBe(0); // the bases differ: the import read network.jsonl itself
    expect(r.thread.copied).toBe(0);
  });

  it('beyond what the worker indexes and hands over (memory): indexes after the load, model built here; the same case', async () => {
    process.env.RUNLENS_CALLS_INDEX_MAX = '2';
    process.env.RUNLENS_CALLS_MODEL_MAX = '2';
    try {
      const b = writeBundle(path.join(work, 'gen-big'), { calls: 3000, processes: 300, logLines: 2000 });
      const r = await importBoth('unindexed-cases', [b.dir]);
      expect(r.thread.copied).toBe(1);
      expect(r.inline.copied).toBe(1);
      expect(r.thread.adopted).toBe(0);
    } finally {
      delete process.env.RUNLENS_CALLS_INDEX_MAX;
      delete process.env.RUNLENS_CALLS_MODEL_MAX;
    }
  });

  it('an archive in the folder before the calls (their source id known only then), another input first', async () => {
    const dir = path.join(work, 'with-zip');
    copyDir(FIXTURE_BUNDLE, dir);
    await makeZip(path.join(dir, 'a-extra.zip'), [{ name: 'notes.txt', data: 'nothing to import\n' }]);
    const notes = path.join(work, 'notes.md');
    fs.writeFileSync(notes, 'an unknown file: a warning and a source before the bundle\n');
    const r = await importBoth('with-zip-cases', [notes, dir]);
    expect(r.thread.copied).toBe(1);
    expect(r.inline.copied).toBe(1);
    expect((r.off.rows.sources as { path: string }[]).some((s) => s.path.endsWith('notes.txt'))).toBe(true);
  });

  it('a worker that ended without calls (not a bundle) answers the log index ask with false, not never', async () => {
    const dir = path.join(work, 'not-a-bundle');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'no manifest here\n');
    const dbPath = path.join(work, 'not-a-bundle.calls');
    const side = CallsSide.start({ input: dir, dbPath, date: null, sourcesBefore: 0 }, 'thread', () => Promise.resolve(null), workerPath);
    try {
      expect(await side.result).toBeNull();
      await expect(side.buildFts(path.join(work, 'not-a-bundle.fts'))).resolves.toBe(false);
    } finally {
      await side.close();
    }
  });

  it('a cancel while the worker runs: no case, no private database left', async () => {
    const b = writeBundle(path.join(work, 'gen-cancel'), { calls: 40_000, processes: 500, logLines: 20_000 });
    const dir = path.join(work, 'cancel-cases');
    fs.mkdirSync(dir, { recursive: true });
    const controller = new AbortController();
    const casePath = path.join(dir, 'c.runlens');
    const err = await runImport({
      inputs: [b.dir],
      casePath,
      callsWorker: 'thread',
      callsWorkerPath: workerPath,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'reading' && p.file?.endsWith('.txt')) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportCancelledError);
    expect(fs.existsSync(casePath)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });
});
