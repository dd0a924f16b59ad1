/**
 * run-import's side of the calls worker (calls-worker.ts): start it when a folder input begins, and take its calls
 * where the import reaches the folder's `network.jsonl`, or fall back to reading the file as before.
 *
 * - Modes: 'thread' (a worker thread of the job entry point, import-worker.cjs, when it is built beside this code:
 *   the app, the CLI, the benchmark), 'inline' (the same job on this thread, interleaved with the import: the tests,
 *   which run the sources unbuilt), 'off' (the file is read by the import's writer, as before).
 * - Taking the calls: `ATTACH` the private database, `INSERT … SELECT` its calls and the file's warnings in id
 *   order (the ids the writer would have given them), `DETACH`. The case's own network analysis is started as at
 *   the first call and must have the worker's basis (network-live.ts), else the file is read here as before.
 * - The private database (`<partial case>-calls`, db/case-files.ts) is removed when the calls are taken, when they
 *   are not, and on failure or cancel (`close`); with the partial case wherever that is removed (removeCaseFiles:
 *   a worker-client that had to terminate the import); a killed process leaves it for partial-sweep.ts (a
 *   companion of the partial case).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportWarning } from '../../shared/model';
import { removeCaseFiles } from '../db/case-files';
import type { Db } from '../db/open';
import { buildFtsHere, CALLS_FILE, CALLS_JOB, callsClock, indexCalls, indexesInWorker, NETWORK_INDEXES, renumberCalls, type CallsFile, type CallsJob, type CallsResult } from './calls-worker';
import { defaultWorkerPath } from './worker-client';
import { NETWORK_COLUMNS, PROCESS_EVENT_COLUMNS } from './writer';

export type CallsWorkerMode = 'thread' | 'inline' | 'off';

/** The mode when the caller does not say: a thread when the worker is built beside this code, else inline. */
export function defaultCallsMode(workerPath?: string): CallsWorkerMode {
  try {
    return fs.existsSync(workerPath ?? defaultWorkerPath()) ? 'thread' : 'inline';
  } catch {
    return 'inline'; // no __dirname (the sources run as ES modules, unbuilt): no built worker beside them
  }
}

/**
 * Above this size of a bundle's `network.jsonl` the import reads its calls itself unless told otherwise: the worker
 * then neither hands over its process model nor builds the calls' indexes (the limits in calls-worker.ts, ~1M
 * calls), so the second core saves little, while its own model and parse garbage beside the import's raise the
 * import's peak memory (benchmark 9 `--huge`, 3.1M calls, the same code either way: 1005 MiB with the worker,
 * 917 MiB without, against a 1 GB goal). `RUNLENS_CALLS_WORKER_MAX_BYTES` lowers it (tests).
 */
export const CALLS_WORKER_MAX_BYTES = 256 * 1024 * 1024;

/** Whether the default mode takes a worker for this bundle folder: its calls file is not above the limit. */
export function callsWorkerSuits(folder: string): boolean {
  const max = Math.min(CALLS_WORKER_MAX_BYTES, Number(process.env.RUNLENS_CALLS_WORKER_MAX_BYTES ?? Infinity) || 0);
  const st = fs.statSync(path.join(folder, CALLS_FILE), { throwIfNoEntry: false });
  return !st || st.size <= max;
}

type InlineJob = (job: CallsJob, signal: AbortSignal, onFile: (f: CallsFile) => void) => Promise<CallsResult | null>;

export class CallsSide {
  /** The worker's result; null when it has none (not a bundle it applies to, failed, or stopped). */
  readonly result: Promise<CallsResult | null>;
  /** Why it has no result, when it failed (a note for tests; the import then reads the file itself). */
  failure: string | null = null;
  private worker: Worker | null = null;
  private readonly controller = new AbortController();
  private closed = false;
  /** Settled when the worker thread renumbered its calls (true) or stopped first (false). */
  private renumbered: ((ok: boolean) => void) | null = null;
  /** Settled when the worker thread built the log's full-text index asked for (true), failed or stopped (false). */
  private ftsBuilt: ((ok: boolean) => void) | null = null;
  /** The worker thread has ended (nothing asked of it is answered any more). */
  private exited = false;
  /** Settled when the worker thread has built its calls' indexes (true) or stopped first (false). */
  private readonly indexed: Promise<boolean>;
  private onIndexed: (ok: boolean) => void = () => {};
  /** Basis files the worker has read (calls-worker.ts TAKEN_BASIS_FORMATS), by display name; and who waits for one. */
  private readonly files = new Map<string, CallsFile>();
  private readonly waiting = new Map<string, (f: CallsFile | null) => void>();
  private ended = false;
  /** When each step of the worker and of the copy ended (callsClock ms), for `RUNLENS_CALLS_TIMES`. */
  private readonly times: [string, number][] = [['side start', callsClock()]];

  private constructor(
    readonly job: CallsJob,
    mode: 'thread' | 'inline',
    workerPath: string | undefined,
    inline: InlineJob,
  ) {
    this.indexed = new Promise((resolve) => (this.onIndexed = resolve));
    if (mode === 'thread') {
      const w = new Worker(workerPath ?? defaultWorkerPath(), { workerData: job });
      this.worker = w;
      this.result = new Promise((resolve) => {
        w.on('message', (m: { type: string; result?: CallsResult | null; file?: CallsFile; message?: string; at?: number; ok?: boolean }) => {
          if (m.type === 'file') this.fileRead(m.file!);
          else if (m.type === 'done') resolve(m.result ?? null);
          else if (m.type === 'indexed') {
            this.times.push(['worker indexed', m.at ?? callsClock()], ['import told', callsClock()]);
            this.onIndexed(true);
          } else if (m.type === 'renumbered') {
            this.times.push(['worker renumbered', m.at ?? callsClock()]);
            this.renumbered?.(true);
          } else if (m.type === 'fts') {
            this.times.push(['worker built the log index', m.at ?? callsClock()]);
            if (!m.ok && m.message) this.failure = m.message;
            this.ftsBuilt?.(m.ok === true);
            this.ftsBuilt = null;
          }
          else {
            this.failure = m.message ?? 'failed';
            resolve(null);
            this.stopped();
          }
        });
        w.on('error', (e) => {
          this.failure = e.message;
          resolve(null);
          this.stopped();
        });
        w.on('exit', () => {
          this.exited = true;
          resolve(null);
          this.stopped();
        });
      });
    } else {
      this.result = inline(job, this.controller.signal, (f) => this.fileRead(f)).catch((e: unknown) => {
        this.failure = e instanceof Error ? e.message : String(e);
        return null;
      });
    }
    // once the worker has its result (or none), no other file will come
    void this.result.then((r) => {
      if (r) this.times.push(...r.times, ['import has the result', callsClock()]);
      this.ended = true;
      for (const w of this.waiting.values()) w(null);
      this.waiting.clear();
    });
  }

  private stopped(): void {
    this.onIndexed(false);
    this.renumbered?.(false);
    this.ftsBuilt?.(false);
    this.ftsBuilt = null;
  }

  /**
   * The log's full-text index built in `path` (staged by the import: log-fts.ts stageFtsText) on the worker thread,
   * once its own job and indexes are done (inline: here, now). True when built; false when it failed or the worker
   * stopped (the import then builds the index itself). One at a time.
   */
  buildFts(path: string): Promise<boolean> {
    this.times.push(['import asks for the log index', callsClock()]);
    if (!this.worker) {
      try {
        buildFtsHere(path);
        return Promise.resolve(true);
      } catch (e) {
        this.failure = e instanceof Error ? e.message : String(e);
        return Promise.resolve(false);
      }
    }
    if (this.closed || this.exited) return Promise.resolve(false); // (a thread that ended answers nothing)
    const done = new Promise<boolean>((resolve) => (this.ftsBuilt = resolve));
    this.worker.postMessage({ type: 'fts', path });
    return done;
  }

  private fileRead(f: CallsFile): void {
    this.files.set(f.file, f);
    this.waiting.get(f.file)?.(f);
    this.waiting.delete(f.file);
  }

  /** The worker's reading of a basis file (by display name), once it is in its database; null if it has none. */
  fileResult(name: string): Promise<CallsFile | null> {
    const f = this.files.get(name);
    if (f || this.ended) return Promise.resolve(f ?? null);
    return new Promise((resolve) => this.waiting.set(name, resolve));
  }

  /**
   * Copy a basis file's process events and warnings (source id `sourceId` in the case) into the case, in id order,
   * numbered by the case. The worker may be writing its database meanwhile (its commits wait for this read).
   */
  copyFile(db: Db, f: CallsFile, sourceId: number): ImportWarning[] {
    this.times.push([`import copies ${path.basename(f.file)}`, callsClock()]);
    db.prepare('ATTACH DATABASE ? AS calls_side').run(this.job.dbPath);
    try {
      const cols = PROCESS_EVENT_COLUMNS.join(', ');
      const values = PROCESS_EVENT_COLUMNS.map((c) => (c === 'source_id' ? '?' : c)).join(', ');
      const warningsOf = 'FROM calls_side.warnings WHERE source_id = ? ORDER BY id';
      let warned: ImportWarning[] = [];
      db.transaction(() => {
        db.prepare(`INSERT INTO main.process_events (${cols}) SELECT ${values} FROM calls_side.process_events WHERE source_id = ? ORDER BY id`).run(sourceId, f.sourceId);
        db.prepare(`INSERT INTO main.warnings (source_id, file, line, message) SELECT ?, file, line, message ${warningsOf}`).run(sourceId, f.sourceId);
        warned = db.prepare(`SELECT file, line, message ${warningsOf}`).all(f.sourceId) as ImportWarning[];
      })();
      return warned;
    } finally {
      db.exec('DETACH DATABASE calls_side');
      this.times.push([`import copied ${path.basename(f.file)}`, callsClock()]);
    }
  }

  static start(job: Omit<CallsJob, 'mode'>, mode: 'thread' | 'inline', inline: InlineJob, workerPath?: string): CallsSide {
    removeCaseFiles(job.dbPath); // an earlier input's, if its removal failed: the job creates a new database
    return new CallsSide({ ...job, mode: CALLS_JOB }, mode, workerPath, inline);
  }

  /** Stop the worker (if still running) and remove its private database. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.controller.abort();
    if (this.worker) await this.worker.terminate();
    await this.result;
    removeCaseFiles(this.job.dbPath);
    if (process.env.RUNLENS_CALLS_TIMES) this.printTimes();
  }

  /** The worker's and the copy's steps, each with its end since the side started and its own length (stderr). */
  private printTimes(): void {
    const t = this.times.sort((a, b) => a[1] - b[1]);
    const start = t[0]![1];
    const lines = t.map(([what, at], i) => `  ${what.padEnd(28)} ${((at - start) / 1000).toFixed(2).padStart(6)} s  +${((at - (t[i - 1]?.[1] ?? at)) / 1000).toFixed(2)} s`);
    process.stderr.write(`calls worker (${path.basename(this.job.input)}):\n${lines.join('\n')}\n`);
  }

  /**
   * The worker's calls ready to copy: their indexes built, and the calls and the file's warnings carrying the
   * file's source id in the case (foreseen by the worker; else `renumberCalls`). On the worker thread, while this
   * one goes on. False if the worker stopped first.
   */
  ready(r: CallsResult, sourceId: number): Promise<boolean> {
    this.times.push(['import asks ready', callsClock()]);
    if (!this.worker) {
      if (r.sourceId !== sourceId) renumberCalls(this.job.dbPath, r.sourceId, sourceId);
      if (indexesInWorker(r.calls)) indexCalls(this.job.dbPath);
      this.times.push(['inline indexed', callsClock()]);
      return Promise.resolve(true);
    }
    if (r.sourceId === sourceId) return this.indexed;
    const done = new Promise<boolean>((resolve) => (this.renumbered = resolve));
    this.worker.postMessage({ type: 'source', from: r.sourceId, to: sourceId });
    return done;
  }

  /**
   * Copy the worker's calls (renumbered: `renumber`) and the file's warnings into the case, in id order. Into an
   * empty calls table (the case's first calls) the table as it is, ids included (SQLite's transfer optimization:
   * records copied whole); else renumbered by the case. The writer's transaction must be committed (ATTACH is
   * refused inside one). Returns the file's stored warnings.
   */
  copyInto(db: Db, r: CallsResult, sourceId: number): ImportWarning[] {
    this.times.push(['import copies the calls', callsClock()]);
    // the case's first calls: its calls' indexes (built by the worker) are copied with them, not built after the load
    const empty = db.prepare('SELECT 1 FROM main.network LIMIT 1').get() === undefined;
    if (empty && indexesInWorker(r.calls)) for (const q of NETWORK_INDEXES) db.exec(q);
    db.prepare('ATTACH DATABASE ? AS calls_side').run(this.job.dbPath);
    try {
      const cols = NETWORK_COLUMNS.join(', ');
      const warningsOf = 'FROM calls_side.warnings WHERE source_id = ? ORDER BY id';
      db.transaction(() => {
        if (empty) db.exec('INSERT INTO main.network SELECT * FROM calls_side.network');
        else db.exec(`INSERT INTO main.network (${cols}) SELECT ${cols} FROM calls_side.network ORDER BY id`);
        db.prepare(`INSERT INTO main.warnings (source_id, file, line, message) SELECT source_id, file, line, message ${warningsOf}`).run(sourceId);
      })();
      return db.prepare(`SELECT file, line, message ${warningsOf}`).all(sourceId) as ImportWarning[];
    } finally {
      db.exec('DETACH DATABASE calls_side');
      this.times.push(['import copied the calls', callsClock()]);
    }
  }
}
