/**
 * Case queries off the thread that answers requests (serve) and draws windows (desktop main), each with a time
 * limit. A small pool of query processes (the one worker entry point run as a process: api/query-worker.ts); a
 * query waits in line here, runs in a free process, and one that runs past the limit is answered with a clear error
 * while its process is killed (a SQLite statement cannot be interrupted from outside, and a thread stuck in one
 * cannot even be terminated) and replaced on demand. So a crafted case (a recursive view, a pathological query
 * plan) costs one query, never the server or the window. The time counts from when the process starts the query.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { ApiError, parseParams, type MethodName } from '../../shared/api';
import { openCaseReadOnly } from '../db/open';
import { LATEST_VERSION } from '../db/migrations';
import { expectedSchema } from '../db/schema-trust';
import { defaultWorkerPath } from '../import/worker-client';
import { CaseConnections, inThreadQueries, type QueryEngine } from './query-engine';
import { answerQuery, type QueryContext } from './dispatch';
import { trace } from './trace';
import type { QueryAnswer, QueryRequest } from './query-worker';

/** A query on a legitimate case answers in milliseconds; this much is a case built to hang. */
export const QUERY_TIME_LIMIT_MS = 15_000;

/** One query process as the pool drives it. */
export interface QueryProcess {
  send(m: QueryRequest): void;
  onMessage(cb: (m: QueryAnswer) => void): void;
  onExit(cb: (why: string) => void): void;
  kill(): void;
}
export type QueryProcessSpawner = (workerPath: string) => QueryProcess;

/** A Node child process (serve, the CLI, tests). The desktop passes Electron's utility process instead. */
export const nodeQueryProcess: QueryProcessSpawner = (workerPath) => {
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return {
    send: (m) => void child.send(m),
    onMessage: (cb) => void child.on('message', (m) => cb(m as QueryAnswer)),
    onExit: (cb) => {
      child.on('exit', (code, signal) => cb(signal ? `signal ${signal}` : `exit code ${code}`));
      child.on('error', (e) => cb(e.message));
    },
    kill: () => void child.kill('SIGKILL'),
  };
};

interface Pending {
  casePath: string;
  method: string;
  params: unknown;
  ctx?: QueryContext;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  proc: QueryProcess | null;
  ready: boolean;
  busy: (Pending & { id: number; timer: NodeJS.Timeout }) | null;
  /** Runs only the first screen's queries (FIRST_SCREEN_METHODS): never stuck behind heavier ones. */
  light?: boolean;
}

export interface PoolOptions {
  size?: number;
  timeLimitMs?: number;
  workerPath?: string;
  spawn?: QueryProcessSpawner;
  /** Start the query processes before the first query: `true` with the pool; `'on-open'` (serve) when a case is
   *  about to be opened (`prepare`: an import's case has its name) or is opened, the first-screen lane's process
   *  first and the others once it has answered a log window (or a heavier query waits for them): each start costs
   *  ~0.15 s of CPU, which on two cores the import's start and the page's first rows need more. */
  prestart?: boolean | 'on-open';
  /** One more process, for the first screen's queries only (serve: the log is drawn while the page's heavier
   *  queries, asked at the same moment, still run in the others). */
  firstScreenLane?: boolean;
  /**
   * serve: the first screen of a case this server's own import is building (FIRST_SCREEN_METHODS of a partial case
   * while it holds at most HERE_MAX_ROWS log lines and calls) is answered in this thread, so no query process
   * starts on the first screen's path (each start costs ~0.15 s of CPU that the import and the page need then, and
   * the page would wait for it); a partial case opened does not start the pool, a query that needs it does. Only
   * the file our import writes, only while small: those reads take milliseconds (the time limit guards against
   * crafted cases, which this is not), and a read the importer's commit holds up (busy past HERE_BUSY_MS) goes
   * to the pool instead.
   */
  firstScreenHere?: boolean | { maxRows: number };
}

/** The most log lines plus calls a partial case may hold for its first-screen reads to run in this thread (their
 *  scans — steps, outline, counts; a partial case has no indexes yet — take ~30 ms per 100k lines on a quiet core). */
export const HERE_MAX_ROWS = 60_000;
/** How long a read in this thread waits for the importer's commit before the pool takes it. */
export const HERE_BUSY_MS = 25;

/**
 * What the first screen of a case needs (the log's outline and window — the log pane draws rows once it has both —,
 * the steps, the case's state): these go ahead of the heavier queries waiting in line (timeline density, calls…),
 * so the log is drawn first even when the page asks for everything at once. Order within each lane is kept.
 */
export const FIRST_SCREEN_METHODS: ReadonlySet<string> = new Set(['log.outline', 'log.window', 'steps.list', 'case.info', 'case.status']);

const lightIndex = (queue: readonly { method: string }[]): number => queue.findIndex((j) => FIRST_SCREEN_METHODS.has(j.method));

/** The next job to run: the first light one in line, else the first. */
function nextIndex(queue: readonly { method: string }[]): number {
  const i = lightIndex(queue);
  return i < 0 ? 0 : i;
}

export function queryWorkerPool(opts: PoolOptions = {}): QueryEngine {
  const limit = opts.timeLimitMs ?? QUERY_TIME_LIMIT_MS;
  const workerPath = opts.workerPath ?? defaultWorkerPath();
  const spawnProcess = opts.spawn ?? nodeQueryProcess;
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.size ?? 2) }, () => ({ proc: null, ready: false, busy: null }));
  if (opts.firstScreenLane) slots.unshift({ proc: null, ready: false, busy: null, light: true });
  const queue: Pending[] = [];
  /** firstScreenHere: read-only connections in this thread (partial cases only). */
  const here = opts.firstScreenHere ? new CaseConnections(HERE_BUSY_MS) : null;
  /** Partial cases past their first screen (too big to read here): the pool reads them from then on. */
  const pastFirstScreen = new Set<string>();
  /** Staged start (`prestart: 'on-open'` with a lane): whether the lane has answered its first log window. */
  let laneDone = false;
  const lanesFirst = () => opts.prestart === 'on-open' && !!opts.firstScreenLane && !laneDone;
  /** Open cases, and whether each is a partial case (its import still running). */
  const open = new Map<string, boolean>();
  let nextId = 1;
  let disposed = false;

  const start = (slot: Slot): void => {
    const p = spawnProcess(workerPath);
    slot.proc = p;
    slot.ready = false;
    p.onMessage((a) => {
      if (slot.proc !== p) return;
      if ('ready' in a) {
        slot.ready = true;
        return pump();
      }
      const job = slot.busy;
      if (!job || job.id !== a.id) return; // an answer after its time limit: already refused
      clearTimeout(job.timer);
      slot.busy = null;
      if (a.ok) job.resolve(a.value);
      else job.reject(new ApiError(a.error));
      if (!laneDone && slot.light && job.method === 'log.window') {
        laneDone = true; // the first screen's log is on its way to the page: the other processes may start now
        warm();
      }
      pump();
    });
    p.onExit((why) => {
      if (slot.proc !== p) return;
      slot.proc = null;
      slot.ready = false;
      const job = slot.busy;
      slot.busy = null;
      if (job) {
        clearTimeout(job.timer);
        job.reject(new ApiError(`${job.method}: the query process stopped (${why})`));
      }
      pump();
    });
  };

  const pump = (): void => {
    if (disposed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.light && lightIndex(queue) < 0) continue;
      if (!slot.proc) {
        // Staged start: the first screen's queries wait for the lane, not for other processes to start beside it.
        if (!slot.light && lanesFirst() && queue.every((j) => FIRST_SCREEN_METHODS.has(j.method))) continue;
        try {
          start(slot);
        } catch (e) {
          const job = queue.shift()!;
          job.reject(new Error(`cannot start a query process: ${e instanceof Error ? e.message : String(e)}`));
        }
        continue;
      }
      if (!slot.ready || slot.busy) continue;
      const job = queue.splice(slot.light ? lightIndex(queue) : nextIndex(queue), 1)[0]!;
      if (!open.has(job.casePath)) {
        job.reject(new ApiError('the case was closed'));
        continue;
      }
      const p = slot.proc;
      const id = nextId++;
      const timer = setTimeout(() => {
        if (slot.busy?.id !== id) return;
        slot.busy = null;
        slot.proc = null;
        slot.ready = false;
        p.kill();
        job.reject(
          new ApiError(
            `${job.method}: stopped after ${limit / 1000} s, the time limit for one query (the case may be crafted to make it endless)`,
          ),
        );
        pump();
      }, limit);
      timer.unref();
      slot.busy = { ...job, id, timer };
      p.send({ id, op: 'run', casePath: job.casePath, partial: open.get(job.casePath), method: job.method, params: job.params, ctx: job.ctx });
    }
  };

  /** Start every slot's process that is not running (best effort: a failure shows at the next query); staged
   *  (`'on-open'`): only the first-screen lane's until it has answered a log window. */
  const warm = (): void => {
    if (disposed) return;
    for (const slot of slots) {
      if (slot.proc || (lanesFirst() && !slot.light)) continue;
      try {
        start(slot);
      } catch {
        /* pump() starts it again on demand and reports why it cannot */
      }
    }
  };
  if (opts.prestart === true) warm();

  /** firstScreenHere: the answer from this thread, or `undefined` when the pool must answer (see PoolOptions). */
  const answerHere = (casePath: string, method: string, params: unknown, ctx?: QueryContext): { value: unknown } | undefined => {
    if (!here || open.get(casePath) !== true || !FIRST_SCREEN_METHODS.has(method) || pastFirstScreen.has(casePath)) return undefined;
    try {
      const db = here.get(casePath, true);
      const rows = (t: string) => Number((db.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${t}`).get() as { n: number }).n);
      const max = typeof opts.firstScreenHere === 'object' ? opts.firstScreenHere.maxRows : HERE_MAX_ROWS;
      if (rows('log_lines') + rows('network') > max) {
        here.close(casePath); // past its first screen: the pool from now on
        pastFirstScreen.add(casePath);
        return undefined;
      }
      trace(`query here: ${method}`);
      const value = answerQuery(db, method, params, ctx);
      trace(`query here: ${method} answered`);
      return { value };
    } catch (e) {
      // Busy (the importer commits), or the file between two states of the import: the pool reads it.
      here.close(casePath);
      trace(`query here: ${method} passed to the pool (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  };

  return {
    prepare() {
      if (opts.prestart && !here) warm();
      // A partial case's first read here checks its schema against the migrations' (schema-trust.ts builds that
      // once per version, ~35 ms): built now, while the import starts, not when the page waits for its rows.
      // Likewise the first check of each first-screen method's parameters (zod compiles a fast path for a schema at
      // its first use).
      if (here)
        setImmediate(() => {
          [1, LATEST_VERSION].forEach((v) => expectedSchema(v));
          for (const m of FIRST_SCREEN_METHODS) parseParams(m as MethodName, m === 'log.window' ? { offset: 0, limit: 500 } : {});
        });
    },
    open(casePath, o = {}) {
      // Checked here, at once: a file that is not a case is a one-line error to whoever opens it. Not a partial case:
      // the file our own import is writing, checked by each query process as it opens it (checking it here would hold
      // this thread — the one answering the page — for as long as the importer commits, up to its busy timeout).
      if (!o.partial) openCaseReadOnly(casePath).close();
      open.set(casePath, !!o.partial);
      // Queries follow an open: a process killed at a time limit is back before them. A partial case's first
      // screen is read here (firstScreenHere): the pool starts when a query needs it.
      if (opts.prestart && !(here && o.partial)) warm();
    },
    run(casePath, method, params, ctx) {
      if (disposed) return Promise.reject(new ApiError('the server is closing'));
      if (!open.has(casePath)) return Promise.reject(new ApiError(`the case is not open: ${casePath}`));
      const local = answerHere(casePath, method, params, ctx);
      if (local) return Promise.resolve(local.value);
      return new Promise((resolve, reject) => {
        queue.push({ casePath, method, params, ctx, resolve, reject });
        pump();
      });
    },
    close(casePath) {
      open.delete(casePath);
      here?.close(casePath);
      pastFirstScreen.delete(casePath);
      for (const s of slots) if (s.proc && s.ready) s.proc.send({ id: 0, op: 'close', casePath });
    },
    dispose() {
      disposed = true;
      here?.closeAll();
      for (const p of queue.splice(0)) p.reject(new ApiError('the server is closing'));
      for (const s of slots) {
        if (s.busy) {
          clearTimeout(s.busy.timer);
          s.busy.reject(new ApiError('the server is closing'));
          s.busy = null;
        }
        const p = s.proc;
        s.proc = null;
        p?.kill();
      }
    },
  };
}

/** What hosts use: the query processes when the worker is built (the app, `runlens serve`), else this thread. */
export function defaultQueryEngine(opts: PoolOptions = {}): QueryEngine {
  return fs.existsSync(opts.workerPath ?? defaultWorkerPath()) ? queryWorkerPool(opts) : inThreadQueries();
}
