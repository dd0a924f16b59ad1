/**
 * The calls worker (scale, benchmark 1): a bundle folder's `network.jsonl` parsed, analysed and inserted on a thread
 * of its own, into a private database beside the partial case (`<partial>-calls`, the case's schema), while the
 * import's writer stores the job log. run-import takes the rows at the place in the import where it would have
 * read the file (calls-side.ts: `ATTACH` + `INSERT … SELECT`, no per-row JS), so ids and order are the
 * single-thread import's. No row crosses between threads: the worker is given paths and gives back counts.
 *
 * The network analysis of each call (network-live.ts) needs the process events, DNS answers, steps, run and policy
 * the case holds at its first call: the worker reads the bundle's files that give them (manifest, process events,
 * process table, DNS: small beside the calls) into its database first, in the container's order, through the same
 * importers and writer as the case. run-import uses its calls only if the case's basis (network-live.ts: a digest
 * of all of it) is the same at that point, and the file's SHA-256 the same as the container's; otherwise it reads
 * the file itself, as before.
 *
 * A job entry point (like worker.ts): it composes importing with the network analysis (eslint's layer rule).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import { slackNsOf } from '../analysis/finalize';
import { NetworkLive, type AdoptableLive } from '../analysis/network-live';
import Database from 'better-sqlite3';
import { createCase } from '../db/open';
import { sql as indexesSql } from '../db/migrations/002_indexes';
import { nativeBinding } from '../db/native-binding';
import { countLines, LineAccount, withAccount, type FileAccounting } from './accounting';
import { HEAD_BYTES, isGzipMagic, isTarHeader, isZipMagic, listFolderFiles } from './container';
import { manifestFirst, singleRoot } from './container/member-policy';
import { ImportCancelledError } from './errors';
import { flagInvisibleHosts } from './host-check';
import { pickImporter } from './registry';
import type { ImportContext, InputFile } from './types';
import { RunFacts } from './run-facts';
import { CaseWriter } from './writer';
import { buildFtsFile } from './log-fts';

export const CALLS_JOB = 'runlens-calls-worker';

/** The formats whose records the calls' analysis reads (besides the calls): read into the private database too. */
const BASIS_FORMATS = new Set(['bundle-manifest', 'bundle-processes', 'bundle-process-table', 'bundle-dns']);
/** The file the worker takes: the bundle's calls, read last by the container (member-policy.ts manifestFirst). */
export const CALLS_FILE = 'network.jsonl';
export const CALLS_FORMAT = 'bundle-network';

export interface CallsJob {
  mode: typeof CALLS_JOB;
  /** The folder input, as given to runImport. */
  input: string;
  /** The private database to create (removed by the caller, whatever happens). */
  dbPath: string;
  offsets?: Record<string, number>;
  /** `--date` (UTC midnight, ns), or null: the manifest's run start, as run-import does. */
  date: bigint | null;
  contextSeconds?: number;
  /** The case's sources before this input (its largest id): the worker numbers the calls' file as the case will. */
  sourcesBefore: number;
}

/**
 * Up to how many processes the worker's process model goes to the import with its result (structured clone; the
 * import adopts it instead of building its own). Beyond, the two copies side by side would raise the import's peak
 * memory (benchmark 9: 310k processes): the import builds its own once the worker is gone.
 */
const MODEL_TRANSFER_MAX_PROCS = 100_000;

/** The private database's page cache (KiB). */
const PRIVATE_CACHE_KIB = 16_384;

/**
 * The worker's reads of its files: 256 KiB instead of the stream's 64 KiB default (a quarter of the chunks through
 * the hash, the line count and the line reader: ~0.2 s CPU less on 100 MB; 1 MiB measured no better).
 */
const READ_CHUNK_BYTES = 256 * 1024;

/** Source ids of the worker's other files: apart from any id the case gives (the calls' file carries the case's). */
const OWN_IDS = 1_000_000_000;

/** A file the worker read into its database: the import may take its rows instead of reading it (calls-side.ts). */
export interface CallsFile {
  /** The file read: its display name (the container's). */
  file: string;
  /** Its source id in the private database (its rows and warnings carry it). */
  sourceId: number;
  acc: FileAccounting | null;
  records: number;
  /** The bytes read, hashed as read (compared with the container's hash of the same file). */
  sha256: string;
  bytes: number;
}

/** Basis files whose rows the import takes too (its own reading of them is then not needed): process events. */
export const TAKEN_BASIS_FORMATS = new Set(['bundle-processes']);

export interface CallsResult extends CallsFile {
  calls: number;
  /** The network analysis: its basis (network-live.ts), statistics, model, and whether every call derived was stored. */
  live: AdoptableLive | null;
  /** The worker's source id of each file it read, by display name (its model names its events' sources by them). */
  sources: Record<string, number>;
  /** Where the worker's time went: the end of each step (`callsClock`, ms): `RUNLENS_CALLS_TIMES`. */
  times: [string, number][];
}

/** A clock both threads share (ms since the epoch, sub-millisecond): the worker's and the import's steps on one line. */
export const callsClock = (): number => performance.timeOrigin + performance.now();

export function isCallsJob(d: unknown): d is CallsJob {
  return typeof d === 'object' && d !== null && (d as { mode?: unknown }).mode === CALLS_JOB;
}


/** A clock offset in seconds from `offsets` by the first key that has one (run-import's rule). */
export function offsetSeconds(offsets: Record<string, number> | undefined, keys: string[]): number {
  if (!offsets) return 0;
  for (const k of keys) {
    const v = offsets[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return 0;
}

export const secondsToNs = (s: number): bigint => BigInt(Math.round(s * 1e9));

function readHead(abs: string): Buffer {
  const fd = fs.openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes of a stream, hashed as they pass. */
function hashing(src: Readable, out: { sha256: string; bytes: number }): Transform {
  const h = createHash('sha256');
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      out.bytes += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      out.sha256 = h.digest('hex');
      cb();
    },
  });
  src.on('error', (e) => t.destroy(e));
  return src.pipe(t);
}

/**
 * The job: the folder's basis files, then its `network.jsonl`, into a new database at `job.dbPath`. Null when the
 * folder is not a bundle this applies to (no manifest first, no `network.jsonl` of the bundle's format).
 */
export async function runCallsJob(job: CallsJob, signal: AbortSignal, onFile?: (f: CallsFile) => void): Promise<CallsResult | null> {
  const times: [string, number][] = [];
  const mark = (what: string) => times.push([what, callsClock()]);
  mark('job start');
  const files = await listFolderFiles(job.input);
  const root = singleRoot(files.map((f) => f.rel));
  const relOf = (rel: string) => (root ? rel.slice(root.length + 1) : rel);
  const ordered = manifestFirst(files, (f) => relOf(f.rel));
  const last = ordered[ordered.length - 1];
  if (!last || relOf(last.rel) !== CALLS_FILE) return null;
  const db = createCase(job.dbPath, { bulkLoad: true });
  db.pragma(`cache_size = -${PRIVATE_CACHE_KIB}`); // appends only: a small cache, beside the import's own (memory)
  try {
    const writer = new CaseWriter(db);
    const ctx: ImportContext = { date: job.date, signal };
    const facts = new RunFacts(ctx);
    let manifest = false;
    // The calls' file's source id in the case: the folder is the input's first source, then every file in order
    // (container/folder.ts), unless an archive among them adds its members (then known only later: renumberCalls).
    let archives = false;
    const sources: Record<string, number> = {};
    writer.startNetwork = () => {
      writer.setMeta('run', facts.run);
      writer.setMeta('policy', facts.policy);
      mark('calls begin');
      const live = NetworkLive.start(db, slackNsOf(job.contextSeconds));
      mark('model');
      return live;
    };
    for (const f of ordered) {
      if (signal.aborted) throw new ImportCancelledError();
      const relPath = relOf(f.rel);
      const file: InputFile = { name: f.abs, relPath, bytes: f.size, head: readHead(f.abs) };
      if (isZipMagic(file.head) || isGzipMagic(file.head) || isTarHeader(file.head)) archives = true;
      const pick = pickImporter(file);
      const format = pick?.importer.format ?? null;
      const isCalls = f === last;
      if (f === ordered[0] && format !== 'bundle-manifest') return null; // run-import's date and run come from it
      if (isCalls ? format !== CALLS_FORMAT : format === null || !BASIS_FORMATS.has(format)) continue;
      if (format === 'bundle-manifest') {
        if (manifest) continue; // run-import reads the first manifest of an input only
        manifest = true;
      }
      const caseId = archives ? 0 : job.sourcesBefore + 2 + ordered.indexOf(f);
      const sourceId = writer.addSource({ id: isCalls ? caseId : OWN_IDS + ordered.indexOf(f), parentId: null, path: f.abs, member: f.rel });
      sources[f.abs] = sourceId;
      const offNs = secondsToNs(offsetSeconds(job.offsets, [job.input, path.resolve(job.input), f.abs, relPath, format!]));
      writer.setSourceFormat(sourceId, format!, offNs);
      const digest = { sha256: '', bytes: 0 };
      const src = fs.createReadStream(f.abs, { highWaterMark: READ_CHUNK_BYTES });
      const hashed = hashing(src, digest);
      const account = new LineAccount();
      const stream = countLines(hashed, account);
      const sink = flagInvisibleHosts(
        writer.sinkFor(sourceId, f.abs, offNs, {
          run: (info) => facts.takeRun(format, info),
          policy: (p) => facts.takePolicy(p),
        }, account),
      );
      try {
        await withAccount(account, () => pick!.importer.read(file, stream, sink, ctx));
      } catch (e) {
        if (signal.aborted) throw new ImportCancelledError();
        sink.warn(null, `${format}: cannot read the rest of the file: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        if (!signal.aborted) {
          stream.resume();
          await finished(stream).catch(() => undefined);
        } else {
          src.destroy();
          stream.destroy();
        }
      }
      const acc = sink.finish();
      mark(`read ${relPath}`);
      if (signal.aborted) throw new ImportCancelledError();
      // the file's SHA-256 as the container gives it to the case (the basis names each file by it: network-live.ts)
      writer.setSourceHash(sourceId, digest.sha256, digest.bytes);
      if (format === 'bundle-manifest') {
        writer.setMeta('run', facts.run);
        writer.setMeta('policy', facts.policy);
      }
      if (!isCalls) {
        if (TAKEN_BASIS_FORMATS.has(format!) && digest.bytes === f.size) {
          writer.commit(); // readable by the import (its connection attaches this file) from now on
          onFile?.({ file: f.abs, sourceId, acc, records: acc?.records ?? 0, sha256: digest.sha256, bytes: digest.bytes });
        }
        continue;
      }
      writer.commit();
      mark('commit');
      // the whole file, as the container hashes it (a read error above leaves a digest that cannot match)
      if (digest.sha256 === '' || digest.bytes !== f.size) return null;
      const live = writer.networkLive;
      return {
        file: f.abs,
        sourceId,
        acc,
        calls: sink.counts.network,
        records: acc?.records ?? 0,
        sha256: digest.sha256,
        bytes: digest.bytes,
        live: live ? live.transferable(live.model.procs.length <= Math.min(MODEL_TRANSFER_MAX_PROCS, Number(process.env.RUNLENS_CALLS_MODEL_MAX ?? Infinity) || 0)) : null,
        sources,
        times,
      };
    }
    return null;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

/**
 * The calls as the case numbers their file: its source id in the case (known only when the import reaches it) on
 * every call and warning of the file, so that the import copies the calls table as it is (SQLite's transfer of
 * whole records: no row decoded). Run by the worker while the import checks the basis and reads the file's hash.
 */
export function renumberCalls(dbPath: string, from: number, to: number): void {
  const db = openBulk(dbPath);
  try {
    db.transaction(() => {
      db.prepare('UPDATE network SET source_id = ?').run(to);
      db.prepare('UPDATE warnings SET source_id = ? WHERE source_id = ?').run(to, from);
    })();
  } finally {
    db.close();
  }
}

/**
 * The case's indexes of the calls (migration 2's, as written there: `IF NOT EXISTS`). Built by the worker in its
 * database once its calls are written; the import creates them on its empty calls table before the copy, which
 * then copies them whole too (SQLite's transfer optimization: no sort on the import's thread).
 */
export const NETWORK_INDEXES: readonly string[] = indexesSql
  .split(';')
  .map((q) => q.trim())
  .filter((q) => /^CREATE INDEX IF NOT EXISTS \w+ ON network\(/.test(q));

/**
 * Up to how many calls the worker builds their indexes (SQLite sorts each index's keys in memory, temp_store
 * MEMORY: nothing written outside the case's folder). Beyond, the sort would add to the import's own memory at its
 * peak (benchmark 9: 3.1M calls); the import then builds them after the load, when the worker is gone, as before.
 */
export const INDEX_IN_WORKER_MAX_CALLS = 1_000_000;

/** (`RUNLENS_CALLS_INDEX_MAX` lowers it for tests; worker threads share the environment.) */
export const indexesInWorker = (calls: number): boolean =>
  calls <= Math.min(INDEX_IN_WORKER_MAX_CALLS, Number(process.env.RUNLENS_CALLS_INDEX_MAX ?? Infinity) || 0);

/** Build the calls' indexes in the worker's database (before it is told the source id: while the import reads on). */
export function indexCalls(dbPath: string): void {
  const db = openBulk(dbPath);
  try {
    for (const q of NETWORK_INDEXES) db.exec(q);
  } finally {
    db.close();
  }
}

/** The log's full-text index built in the file the import staged (log-fts.ts), on this thread. */
export function buildFtsHere(path: string): void {
  buildFtsFile(openBulk, path);
}

/** The private database again (made by this job, just closed by it: no user's file, nothing to check). */
function openBulk(dbPath: string): Database.Database {
  const db = new Database(dbPath, { fileMustExist: true, nativeBinding: nativeBinding() });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF'); // as the case is loaded (createCase): the sources are the case's
  return db;
}

/**
 * The worker thread's side (electron/worker.ts dispatches here): run the job, post its result (or error), build
 * the calls' indexes (`{type: 'indexed'}`), then do what the import asks until it stops this thread: renumber the
 * calls if told their source id differs from the one foreseen (`{type: 'source', from, to}` -> `{type:
 * 'renumbered'}`), build the log's full-text index in a file the import staged (`{type: 'fts', path}` -> `{type:
 * 'fts', ok}`, log-fts.ts; asked while the job runs, done after it and the indexes), or stop (`'cancel'`).
 */
export async function callsWorkerMain(job: CallsJob): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the calls worker must run as a worker thread');
  const controller = new AbortController();
  type Ask = { type: 'source'; from: number; to: number } | { type: 'fts'; path: string } | { type: 'cancel' };
  const asks: Ask[] = [];
  let wake: (() => void) | null = null;
  port.on('message', (m: unknown) => {
    if (m === 'cancel') {
      controller.abort();
      asks.push({ type: 'cancel' });
    } else if (typeof m === 'object' && m !== null) {
      const t = (m as { type?: unknown }).type;
      if (t === 'source' || t === 'fts') asks.push(m as Ask);
    }
    wake?.();
  });
  const next = async (): Promise<Ask> => {
    while (asks.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    return asks.shift()!;
  };
  try {
    const result = await runCallsJob(job, controller.signal, (file) => port.postMessage({ type: 'file', file }));
    port.postMessage({ type: 'done', result });
    if (result) {
      if (indexesInWorker(result.calls)) indexCalls(job.dbPath);
      port.postMessage({ type: 'indexed', at: callsClock() });
      for (;;) {
        const ask = await next();
        if (ask.type === 'cancel') break;
        if (ask.type === 'source') {
          renumberCalls(job.dbPath, ask.from, ask.to);
          port.postMessage({ type: 'renumbered', at: callsClock() });
        } else {
          let failure: string | null = null;
          try {
            buildFtsHere(ask.path);
          } catch (e) {
            failure = e instanceof Error ? e.message : String(e);
          }
          port.postMessage({ type: 'fts', ok: failure === null, message: failure, at: callsClock() });
        }
      }
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    port.close();
  }
}
