/**
 * One import, start to end: open each input (container.ts), offer every file to the importers (registry.ts),
 * write records (writer.ts) into a new case file, run the analysis (finalizeCase), and move the case into place.
 *
 * - The case is built in `<casePath>.partial-<random>` and renamed over `casePath` only on success; an existing
 *   case is replaced only with `force`. On failure or cancel the partial file (and its -wal/-shm) is removed.
 * - `meta` holds `run` (the manifest's run, merged with what other sources told), `policy` (the manifest's, else
 *   the first one given), `inputs` ([{path, sha256, bytes}]) and `import` (date, offsets, time of import).
 * - Nothing recognised at all: ImportError. Unknown files: warnings. Every warning is stored in `warnings` and
 *   returned in the summary.
 */
import { callsDbPath, ftsDbPath, removeCaseFiles } from '../db/case-files';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportWarning } from '../../shared/model';
import { formatNanos } from '../../shared/time';
import { finalizeCase, slackNsOf } from '../analysis/finalize';
import { NetworkLive } from '../analysis/network-live';
import { createCase, finishBulkLoad, migrate, type Db } from '../db/open';
import { listFolderFiles, openContainer, type ContainerOptions } from './container';
import { flagInvisibleHosts } from './host-check';
import { partialPathFor, sweepStalePartials } from './partial-sweep';
import { notRecognisedMessage, pickImporter } from './registry';
import { ImportCancelledError } from './errors';
import { ImportError, type ImportContext } from './types';
import { RunFacts, utcMidnight } from './run-facts';
import { IMPORT_STATE, testPause } from './partial-case';
import { CaseWriter, MAX_WARNINGS_PER_SOURCE } from './writer';
import type { WatchedLines } from './watched-lines';
import { countLines, LineAccount, withAccount } from './accounting';
import { fileAccounting } from '../queries/case-info';
import { finished } from 'node:stream/promises';
import type { CaseInfo } from '../../shared/api';
import type { StoredRules } from '../analysis/detections/rules-file';
import { BUILTIN_LOG_SCANS } from '../analysis/detections/index';
import type { LogCandidates } from '../analysis/detections/log-scan';
import { CallsSide, callsWorkerSuits, defaultCallsMode, type CallsWorkerMode } from './calls-side';
import { CALLS_FILE, CALLS_FORMAT, offsetSeconds, runCallsJob, secondsToNs, TAKEN_BASIS_FORMATS } from './calls-worker';
import { timed, timedAsync, type SpanSink } from './spans';
import { LOG_INDEXES, prepareLogsEarly, type EarlyLogs } from './gha/finalize-logs';
import { rebuildFts, removeFtsFile, takeFtsFile } from './log-fts';

export type ImportPhase = 'hashing' | 'reading' | 'finalizing' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  file?: string;
  bytesDone: number;
  bytesTotal: number;
  /**
   * First screen first: set (on this and every later report) once the case being built is readable — its first
   * log lines and steps committed. The path of the partial file: open it read-only, without migrating or locking it
   * (partial-case.ts); its `meta.import_state` says how far the import is ('loading', 'analysing'), and it is
   * renamed to the case path only when complete.
   */
  partial?: string;
}

/** What `runlens import` counts: the case's counts (shared/api.ts) less the findings derived from them. */
export type ImportCounts = Omit<CaseInfo['counts'], 'findings'>;

export interface ImportSummary {
  case: string;
  inputs: { path: string; sha256: string; bytes: number }[];
  counts: ImportCounts;
  warnings: ImportWarning[];
  /** Every file an importer read: bytes and lines read, records stored, lines stored and skipped (with reasons). */
  files?: ReturnType<typeof fileAccounting>;
  /** Information about the import as a whole, not problems (e.g. no manifest: normal for logs alone). */
  notes?: string[];
}

export interface RunImportOptions {
  inputs: string[];
  casePath: string;
  force?: boolean;
  /** Day for time-of-day sources (ns; any time of that UTC day). Default: the manifest's run start. */
  date?: bigint | null;
  /** Clock offsets in seconds, keyed by input path (as given), a file's display name, or a format name. */
  offsets?: Record<string, number>;
  contextSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** User rules and IOC lists (read and checked by the caller: detections/rules-file.ts), kept in `meta.rules`. */
  rules?: StoredRules | null;
  /** Where spooled archives go (default: the OS temp dir). */
  tempRoot?: string;
  /** Where the case is built before it is renamed into place (default: a fresh `<casePath>.partial-*`). The
   *  worker's client names it, so it can remove it after stopping a worker that did not stop by itself. */
  partialPath?: string;
  /**
   * A bundle folder's calls (`network.jsonl`) parsed, analysed and written on a worker thread while the log is
   * stored (calls-side.ts). Default: 'thread' when the worker is built beside the code, else 'inline' (the same
   * job on this thread); 'off': read by the writer like every other file. The case is the same every way.
   */
  callsWorker?: CallsWorkerMode;
  /** The built job worker for 'thread' (default: import-worker.cjs beside this code). */
  callsWorkerPath?: string;
  /** The case's own path when it is known only after the import started (`runlens serve` and the app name a case by
   *  its inputs' hashes, computed beside the import: api/import-runner.ts). `casePath` then only says the folder and
   *  the partial file's name; this is what `meta.import.case_file` records and where the case is renamed to.
   *  Rejected: the import fails with its error. */
  finalCasePath?: Promise<string>;
  /** Where this thread's time goes, finer than `onProgress` (the benchmark's phase table): named spans (spans.ts). */
  onSpan?: SpanSink;
  /** Container safety limits (tests lower them). */
  limits?: Pick<ContainerOptions, 'maxTotalBytes' | 'maxRatio' | 'ratioMinBytes' | 'maxDepth' | 'maxEntries'>;
}

export { ImportCancelledError };


function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}


function syncFile(p: string): void {
  const fd = fs.openSync(p, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Write the partial file's pages out to disk in the background (libuv's thread pool) while this thread goes on:
 * the sync before the rename (syncFile) then has only the pages written since. Nothing depends on it (the last
 * sync is the one that counts); its failure is ignored.
 */
function flushAhead(p: string): Promise<void> {
  return new Promise((resolve) => {
    fs.open(p, 'r', (e, fd) => {
      if (e) return resolve();
      fs.fdatasync(fd, () => fs.close(fd, () => resolve()));
    });
  });
}

async function inputSize(p: string): Promise<number> {
  try {
    const st = fs.statSync(p);
    if (st.isDirectory()) return (await listFolderFiles(p)).reduce((s, f) => s + f.size, 0);
    return st.size;
  } catch {
    return 0;
  }
}

export async function runImport(opts: RunImportOptions): Promise<ImportSummary> {
  if (!opts.inputs.length) throw new ImportError('no input given');
  const casePath = path.resolve(opts.casePath);
  if (fs.existsSync(casePath) && !opts.force) {
    throw new ImportError(`case file already exists: ${casePath} (use --force to replace it)`);
  }
  const signal = opts.signal ?? new AbortController().signal;
  if (signal.aborted) throw new ImportCancelledError();
  for (const input of opts.inputs) {
    const abs = path.resolve(input);
    if (abs === casePath) throw new ImportError(`the case file cannot be one of the inputs: ${input}`);
    if (casePath.startsWith(abs + path.sep) && fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ImportError(`the case file cannot be inside an input folder (evidence is never written to): ${casePath}`);
    }
  }

  fs.mkdirSync(path.dirname(casePath), { recursive: true });
  const swept = sweepStalePartials(path.dirname(casePath)); // leftovers of killed imports (partial-sweep.ts)
  const partial = opts.partialPath ?? partialPathFor(casePath);
  let db: Db | null = null;
  const sides: CallsSide[] = []; // the calls workers started (calls-side.ts): stopped and removed whatever happens
  try {
    // A private partial file, deleted on any failure: loaded without journal or syncs (see createCase).
    db = createCase(partial, { bulkLoad: true });
    // The log lines' indexes before the load, not after: lines come in time order nearly always (a job's log), so
    // both indexes grow at their end as the lines are written (1M lines: +0.23 s of CPU on the insert, where
    // building them afterwards takes 0.56 s), and the first screen's reads of the partial case have them.
    // finalizeLogs suspends them where it rewrites every line (renumberLines, assignStepsAndDepth).
    for (const q of LOG_INDEXES) db.exec(q);
    const progressTotal = { bytes: 0 };
    const flushes: Promise<void>[] = [];
    const summary = await load(db, opts, opts.finalCasePath ?? casePath, partial, signal, progressTotal, swept, sides, () => flushes.push(flushAhead(partial)));
    for (const side of sides) await side.close();
    await timedAsync(opts.onSpan, 'end: wait for the background flush', () => Promise.all(flushes));
    const d = db;
    timed(opts.onSpan, 'end: finishBulkLoad', () => finishBulkLoad(d)); // one self-contained file with a normal journal, readable read-only
    timed(opts.onSpan, 'end: close', () => d.close());
    db = null;
    timed(opts.onSpan, 'end: fsync', () => syncFile(partial)); // the load never synced: the case is on disk before it is renamed into place
    if (signal.aborted) throw new ImportCancelledError();
    const target = summary.case;
    if (fs.existsSync(target)) {
      if (!opts.force) throw new ImportError(`case file already exists: ${target} (use --force to replace it)`);
      for (const f of [`${target}-wal`, `${target}-shm`]) fs.rmSync(f, { force: true });
    }
    fs.renameSync(partial, target);
    opts.onProgress?.({ phase: 'done', bytesDone: progressTotal.bytes, bytesTotal: progressTotal.bytes });
    return summary;
  } catch (e) {
    if (db) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      } catch {
        /* closing a broken db is best effort */
      }
    }
    for (const side of sides) await side.close().catch(() => undefined);
    removeCaseFiles(partial);
    if (signal.aborted && !(e instanceof ImportCancelledError)) throw new ImportCancelledError();
    throw e;
  }
}

async function load(
  db: Db,
  opts: RunImportOptions,
  /** The case's path (a promise: known only after the load started, RunImportOptions.finalCasePath). */
  caseFile: string | Promise<string>,
  partialPath: string,
  signal: AbortSignal,
  total: { bytes: number },
  swept: { removed: string[]; bytes: number },
  sides: CallsSide[],
  /** The pages written so far out to disk in the background (flushAhead), before this thread goes on alone. */
  flush: () => void,
): Promise<ImportSummary> {
  const writer = new CaseWriter(db);
  // the lines the detection rules read, found while the log is written (no scan of the log after the load)
  writer.logWatch = BUILTIN_LOG_SCANS;
  // The partial file says what it is from its first commit (partial-case.ts); 'complete' only at the very end.
  writer.setMeta(IMPORT_STATE, 'loading');
  writer.commit();
  let readable = false;
  const warnings: ImportWarning[] = [];
  const ctx: ImportContext = { date: opts.date == null ? null : utcMidnight(opts.date), signal };
  const facts = new RunFacts(ctx);
  let recognised = 0;
  let records = 0;
  const emptyFiles: string[] = [];
  let manifestSeen = false;
  const inputs: ImportSummary['inputs'] = [];

  // The network analysis while the calls are written, from what the case holds at the first call (network-live.ts;
  // finalizeCase checks it still holds, else runs its pass). It reads the run job and policy from meta.
  writer.startNetwork = () => {
    writer.setMeta('run', facts.run);
    writer.setMeta('policy', facts.policy);
    return NetworkLive.start(db, slackNsOf(opts.contextSeconds));
  };

  let bytesTotal = 0;
  for (const input of opts.inputs) bytesTotal += await inputSize(input);
  total.bytes = bytesTotal;
  let bytesBefore = 0; // of earlier inputs
  let lastProgress = 0;
  let lastDone = 0;
  const progress = (phase: ImportPhase, done: number, file?: string, force = false) => {
    lastDone = done;
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    opts.onProgress({ phase, ...(file ? { file } : {}), bytesDone: Math.min(done, bytesTotal), bytesTotal, ...(readable ? { partial: partialPath } : {}) });
  };
  // First screen: once log lines are committed the partial case is worth opening (the log, its steps, the timeline).
  writer.onCommit = () => {
    if (readable || writer.logHints.lines === 0) return;
    readable = true;
    progress('reading', lastDone, undefined, true);
    testPause('first-screen'); // tests only (RUNLENS_TEST_PAUSE_DIR): hold the import at its first screen
  };

  // Warnings from the container and the registry (unknown files, skipped members), capped per input; importers'
  // own warnings are capped per file by the writer.
  let inputWarnings = 0;
  const addWarning = (sourceId: number | null, w: ImportWarning, capped = false) => {
    if (capped && ++inputWarnings > MAX_WARNINGS_PER_SOURCE) return;
    warnings.push(w);
    writer.warning(sourceId, w);
  };

  if (swept.removed.length) {
    addWarning(null, {
      file: null,
      line: null,
      message: `removed ${swept.removed.length} leftover file(s) of killed imports (${Math.round(swept.bytes / 1024)} KiB) beside the case: ${swept.removed.join(', ')}`,
    });
  }

  let earlyLogs: EarlyLogs | null = null;
  /** The log's full-text index being built by the calls worker (log-fts.ts), taken after the analysis. */
  // (set by a callback: `as` keeps the type from narrowing to null)
  let ftsJob = null as { side: CallsSide; path: string; built: Promise<boolean> } | null;
  const callsModeGiven = opts.callsWorker ?? envCallsMode();
  const callsMode = callsModeGiven ?? defaultCallsMode(opts.callsWorkerPath);
  for (const input of opts.inputs) {
    if (signal.aborted) throw new ImportCancelledError();
    const keyToSource = new Map<number, number>();
    // A bundle folder's calls on a worker thread while this one stores the rest (calls-side.ts), taken below at
    // the place of `network.jsonl`; only while no call is in the case yet (the analysis starts at the first call).
    let side: CallsSide | null = null;
    if (
      callsMode !== 'off' &&
      !writer.networkStarted &&
      fs.statSync(input, { throwIfNoEntry: false })?.isDirectory() &&
      (callsModeGiven !== null || callsWorkerSuits(input))
    ) {
      side = CallsSide.start(
        { input, dbPath: callsDbPath(partialPath), offsets: opts.offsets, date: ctx.date, contextSeconds: opts.contextSeconds, sourcesBefore: writer.lastSourceId() },
        callsMode,
        runCallsJob,
        opts.callsWorkerPath,
      );
      sides.push(side);
    }
    // files whose rows were taken from the worker: the container's hash of each is checked against the worker's
    const taken: { key: number; sha256: string; file: string }[] = [];
    const hashOf = new Map<number, string>();
    const fileSources = new Map<string, number>(); // this input's files read so far: display name -> source id
    // One archive, one run: the first manifest read is the run's; a later one is refused (not mixed into it).
    let inputManifest: string | null = null;
    let topKey: number | null = null;
    let currentFile: string | undefined;
    const size = await inputSize(input);
    const container = openContainer(input, {
      signal,
      tempRoot: opts.tempRoot,
      ...opts.limits,
      onSource: (node) => {
        const parentId = node.parentKey === null ? null : (keyToSource.get(node.parentKey) ?? null);
        const id = writer.addSource({ parentId, path: node.name, member: node.member });
        keyToSource.set(node.key, id);
        if (node.parentKey === null) topKey = node.key;
      },
      onHashed: (key, sha256, bytes) => {
        hashOf.set(key, sha256);
        const id = keyToSource.get(key);
        if (id !== undefined) writer.setSourceHash(id, sha256, bytes);
        if (key === topKey) inputs.push({ path: input, sha256, bytes });
      },
      onWarning: (w) => addWarning(null, w, true),
      onBytes: (phase, n) => progress(phase, bytesBefore + Math.min(n, size), currentFile),
    });
    for await (const entry of container) {
      if (signal.aborted) break;
      currentFile = entry.file.name;
      progress('reading', lastDone, currentFile, true);
      const pick = pickImporter(entry.file, undefined, (imp, e) =>
        addWarning(keyToSource.get(entry.key) ?? null, { file: entry.file.name, line: null, message: `${imp.format}: sniff failed: ${errMsg(e)}` }),
      );
      const sourceId = keyToSource.get(entry.key) ?? null;
      if (!pick) {
        addWarning(sourceId, { file: entry.file.name, line: null, message: notRecognisedMessage(entry.file) }, true);
        continue;
      }
      const format = pick.importer.format;
      if (format === 'bundle-manifest') {
        if (inputManifest !== null) {
          addWarning(sourceId, {
            file: entry.file.name,
            line: null,
            message: `a second run manifest in this input (the first: ${inputManifest}): not read, so two runs are not mixed; run info, steps and policy come from the first (import each bundle on its own to see the other)`,
          });
          continue;
        }
        inputManifest = entry.file.name;
      }
      const offSec = offsetSeconds(opts.offsets, [input, path.resolve(input), entry.file.name, entry.file.relPath, format]);
      const offNs = secondsToNs(offSec);
      if (sourceId !== null) writer.setSourceFormat(sourceId, format, offNs);
      if (sourceId !== null) fileSources.set(entry.file.name, sourceId);
      const sideNow = side;
      const basisFile =
        sideNow && sourceId !== null && TAKEN_BASIS_FORMATS.has(format)
          ? await timedAsync(opts.onSpan, `${format}: wait for the calls worker`, () => sideNow.fileResult(entry.file.name))
          : null;
      if (side && basisFile && sourceId !== null) {
        // a file the calls worker read for its analysis (the process events): its rows, as this writer would write them
        if (entry.takeDigest) {
          // read once, by the worker: the rows taken come from exactly the bytes it hashed (as for the calls below)
          entry.takeDigest(basisFile.sha256, basisFile.bytes);
        } else {
          entry.stream.resume();
          await finished(entry.stream).catch(() => undefined);
        }
        if (signal.aborted) break;
        writer.commit();
        for (const w of timed(opts.onSpan, `${format}: copy from the calls worker`, () => side!.copyFile(db, basisFile, sourceId))) warnings.push(w);
        const acc = basisFile.acc;
        if (acc) writer.addAccounting(sourceId, acc);
        records += basisFile.records;
        if (acc && acc.lines > 0 && acc.records === 0) emptyFiles.push(`${entry.file.name}: ${firstReason(acc.skipped, warnings, entry.file.name)}`);
        taken.push({ key: entry.key, sha256: basisFile.sha256, file: entry.file.name });
        recognised++;
        continue;
      }
      if (side && sourceId !== null && format === CALLS_FORMAT && entry.file.relPath === CALLS_FILE) {
        const s = side;
        side = null;
        // the last file of the last input: no log line comes after it. While the worker still works, this thread
        // does the log finalize's work that needs only the log (finalize-logs.ts prepareLogsEarly): it is not left
        // for after the worker
        if (input === opts.inputs[opts.inputs.length - 1] && earlyLogs === null && earlyLogsWanted()) {
          writer.commit();
          // the full-text index (the longest of that work) by the worker once its calls are written, while this
          // thread takes them and runs the analysis: the lines' texts staged for it (log-fts.ts)
          const ftsPath = ftsWorkerWanted() ? ftsDbPath(partialPath) : undefined;
          const staged = ftsPath === undefined ? undefined : { path: ftsPath, staged: () => (ftsJob = { side: s, path: ftsPath, built: s.buildFts(ftsPath) }) };
          earlyLogs = prepareLogsEarly(db, writer.logHints, opts.onSpan, staged);
          flush(); // the log and its indexes, while this thread waits for the worker
        }
        const r = await timedAsync(opts.onSpan, 'calls: wait for the calls worker', () => s.result);
        // the worker's calls, if it read this file on the basis the case has now (else: read below, as before)
        const takeable = r !== null && r.file === entry.file.name && !writer.networkStarted;
        let same = takeable && r.live === null; // no call derived there: none to start here either
        let buildAfter = false; // the analysis started here once the worker is gone (its memory freed)
        if (takeable && r.live) {
          // the network analysis as at the case's first call: the worker's (its model, no second build) if the case
          // has its basis now (network-live.ts); else started here, and the calls taken only on the same basis
          const mine = new Map<number, number>();
          for (const [name, id] of Object.entries(r.sources)) {
            const caseId = fileSources.get(name);
            if (caseId !== undefined) mine.set(id, caseId);
          }
          writer.setMeta('run', facts.run);
          writer.setMeta('policy', facts.policy);
          const slackNs = slackNsOf(opts.contextSeconds);
          const adopted = r.live.model ? timed(opts.onSpan, 'calls: adopt the process model', () => writer.adoptNetwork(() => NetworkLive.adopt(db, slackNs, r.live!, mine))) : null;
          if (adopted) same = true;
          else if (!r.live.model) same = buildAfter = NetworkLive.basisNow(db, slackNs) === r.live.basis; // a big model
          else {
            const live = writer.liveNetwork();
            same = live?.basis === r.live.basis;
            if (same) live!.take(r.live.stats, r.live.ok);
          }
        }
        if (r && same) {
          const ready = s.ready(r, sourceId); // on the worker thread
          if (entry.takeDigest) {
            // the file is read once, by the worker: the rows taken come from exactly the bytes it hashed, which the
            // container records as the file's digest (no second read, so nothing can change in between)
            entry.takeDigest(r.sha256, r.bytes);
          } else {
            entry.stream.resume(); // read to its end for the container's hash (compared with the worker's below)
            await timedAsync(opts.onSpan, 'calls: hash the file', () => finished(entry.stream).catch(() => undefined));
            if (signal.aborted) break;
          }
          if (!(await timedAsync(opts.onSpan, 'calls: wait for the worker\'s indexes', () => ready))) throw new ImportError(`${entry.file.name}: the calls worker stopped unexpectedly (${s.failure ?? 'no reason given'}); import again`);
          writer.commit();
          for (const w of timed(opts.onSpan, 'calls: copy from the calls worker', () => s.copyInto(db, r, sourceId))) warnings.push(w);
          // (kept while it builds the log's full-text index: stopped once that is taken)
          if (ftsJob?.side !== s) await timedAsync(opts.onSpan, 'calls: stop the worker', () => s.close());
          flush(); // the calls, while the analysis runs
          if (buildAfter) writer.liveNetwork()!.take(r.live!.stats, r.live!.ok); // the same basis: only calls added
          if (r.acc) writer.addAccounting(sourceId, r.acc);
          records += r.records;
          if (r.acc && r.acc.lines > 0 && r.acc.records === 0) emptyFiles.push(`${entry.file.name}: ${firstReason(r.acc.skipped, warnings, entry.file.name)}`);
          taken.push({ key: entry.key, sha256: r.sha256, file: entry.file.name });
          recognised++;
          continue;
        }
        await s.close();
      }
      const account = new LineAccount();
      const stream = countLines(entry.stream, account);
      const sink = flagInvisibleHosts(writer.sinkFor(sourceId ?? 0, entry.file.name, offNs, {
        run: (info) => facts.takeRun(format, info),
        policy: (p) => facts.takePolicy(p),
        warning: (w, stored) => {
          if (stored) warnings.push(w);
        },
      }, account));
      try {
        await withAccount(account, () => pick.importer.read(entry.file, stream, sink, ctx));
      } catch (e) {
        if (signal.aborted) break;
        sink.warn(null, `${format}: cannot read the rest of the file: ${errMsg(e)}`);
      } finally {
        // The rest of a file its importer did not read is still counted (and reported skipped, never lost silently).
        if (!signal.aborted) {
          stream.resume();
          await finished(stream).catch(() => undefined);
        } else {
          // cancelled: the counting stream is piped from the entry's, and an importer that stopped reading destroys
          // only the former; unpipe and end both, or the container waits for the entry's stream forever
          entry.stream.unpipe(stream);
          stream.destroy();
          entry.stream.destroy();
        }
        const acc = sink.finish();
        if (acc) records += acc.records;
        if (acc && acc.lines > 0 && acc.records === 0) emptyFiles.push(`${entry.file.name}: ${firstReason(acc.skipped, warnings, entry.file.name)}`);
      }
      recognised++;
      if (format === 'bundle-manifest') {
        manifestSeen = true;
        // First screen first: the run (repository, job…) and policy are known now; say them in the partial case.
        writer.setMeta('run', facts.run);
        writer.setMeta('policy', facts.policy);
      }
    }
    if (signal.aborted) {
      await container.return(undefined);
      throw new ImportCancelledError();
    }
    if (side) await side.close(); // not used: the input had no calls file it could take
    for (const t of taken) {
      // read twice (here for its hash, by the calls worker for its rows): the evidence changed in between (a calls
      // file the worker read alone has the worker's digest: takeDigest)
      if (hashOf.get(t.key) !== t.sha256) {
        throw new ImportError(`${t.file}: its content changed while it was being imported (two reads gave different SHA-256); import it again from a copy that does not change`);
      }
    }
    if (inputWarnings > MAX_WARNINGS_PER_SOURCE) {
      addWarning(null, { file: input, line: null, message: `${inputWarnings - MAX_WARNINGS_PER_SOURCE} further warning(s) about files in this input not shown (${inputWarnings} in all)` });
    }
    inputWarnings = 0;
    bytesBefore += size;
    lastDone = bytesBefore;
  }

  if (recognised === 0) {
    const why = warnings.slice(0, 5).map((w) => `${w.file ?? ''}${w.line ? `:${w.line}` : ''}: ${w.message}`);
    throw new ImportError(
      `nothing recognised in ${opts.inputs.join(', ')}: not a run bundle, a GitHub Actions log or a known telemetry format` +
        (why.length ? `\n  ${why.join('\n  ')}` : ''),
    );
  }
  if (records === 0 && facts.run === null && facts.policy === null) {
    // Files were recognised but none gave a record: an empty case would look like a clean run. Say why, in one line.
    throw new ImportError(`nothing imported from ${opts.inputs.join(', ')}: ${emptyFiles[0] ?? 'no file gave a record'}`);
  }
  // Normal for logs or telemetry given on their own: information, said once, not a warning about the input.
  const notes = manifestSeen ? [] : ['no manifest.json (normal for logs or telemetry given alone): run info, steps and policy come only from the other files'];

  writer.setMeta('run', facts.run);
  writer.setMeta('policy', facts.policy);
  writer.setMeta('inputs', inputs);
  if (opts.rules) writer.setMeta('rules', opts.rules);
  writer.setMeta('import', {
    date: ctx.date === null ? null : formatNanos(ctx.date).slice(0, 10),
    date_origin: facts.dateGiven ? 'option' : ctx.date === null ? null : 'manifest',
    offsets: opts.offsets ?? {},
    imported_at: new Date().toISOString(),
    notes,
    case_file: await caseFile,
  });
  writer.commit();

  // Analysis. Its warnings are stored after it (it runs its own transactions).
  writer.setMeta(IMPORT_STATE, 'analysing');
  writer.commit();
  readable = true; // a case without log lines: its first screen is the finished load
  progress('finalizing', bytesTotal, undefined, true);
  testPause('analysing'); // tests only (RUNLENS_TEST_PAUSE_DIR)
  const late: ImportWarning[] = [];
  timed(opts.onSpan, 'finalize: migrate', () => migrate(db)); // the accounting columns (migration 3) before the log finalizer moves duplicates to skipped
  writer.storeAccounting();
  finalizeCase(db, {
    onSpan: opts.onSpan,
    contextSeconds: opts.contextSeconds,
    logHints: writer.logHints,
    networkLive: writer.networkLive,
    logCandidates: candidatesOf(writer.watchedLines),
    earlyLogs,
    warn: (w) => late.push(w),
    onProgress: (phase) => progress('finalizing', bytesTotal, phase, true),
  });
  if (signal.aborted) throw new ImportCancelledError();
  if (ftsJob) {
    // the log's full-text index the calls worker built, when the lines are still the ones staged for it (the log
    // finalize then left it to this: EarlyLogs.ftsElsewhere); else, or if the worker failed, built here
    const job = ftsJob;
    if (earlyLogs?.ftsElsewhere?.held) {
      progress('finalizing', bytesTotal, 'full-text index', true);
      const built = await timedAsync(opts.onSpan, 'fts: wait for the calls worker', () => job.built);
      if (signal.aborted) throw new ImportCancelledError();
      const taken = built && timed(opts.onSpan, 'fts: copy from the calls worker', () => takeFtsFile(db, job.path, writer.logHints.lines));
      if (!taken) timed(opts.onSpan, 'fts: full-text index', () => db.transaction(() => rebuildFts(db))());
    }
    await timedAsync(opts.onSpan, 'fts: stop the worker', () => job.side.close());
    removeFtsFile(job.path);
  }
  const idOf = db.prepare('SELECT id FROM sources WHERE path = ? ORDER BY id LIMIT 1');
  for (const w of late) {
    const r = w.file === null ? undefined : (idOf.get(w.file) as { id: number } | undefined);
    addWarning(r ? Number(r.id) : null, w);
  }
  writer.setMeta(IMPORT_STATE, 'complete');
  writer.commit();

  const count = (table: string) => Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  const counts: ImportCounts = {
    network: count('network'),
    dns: count('dns'),
    processes: count('processes'),
    process_events: count('process_events'),
    log_lines: count('log_lines'),
    steps: count('steps'),
    files: count('file_events'),
  };
  return { case: path.resolve(await caseFile), inputs, counts, warnings, files: fileAccounting(db), ...(notes.length ? { notes } : {}) };
}

/** `RUNLENS_EARLY_LOGS=off`: no log finalize work while waiting for the calls worker (comparisons, measurements). */
function earlyLogsWanted(): boolean {
  return process.env.RUNLENS_EARLY_LOGS !== 'off';
}

/** `RUNLENS_FTS_WORKER=off`: the log's full-text index built on the import's thread, not the calls worker's (comparisons). */
function ftsWorkerWanted(): boolean {
  return process.env.RUNLENS_FTS_WORKER !== 'off';
}

/** `RUNLENS_CALLS_WORKER=off|inline|thread`: the calls worker's mode when the caller does not say (comparisons). */
function envCallsMode(): CallsWorkerMode | null {
  const v = process.env.RUNLENS_CALLS_WORKER;
  return v === 'off' || v === 'inline' || v === 'thread' ? v : null;
}

function candidatesOf(w: WatchedLines | null): LogCandidates | null {
  return w ? { set: BUILTIN_LOG_SCANS, ...w } : null;
}

/** Why a file gave nothing: its first warning, else its main skip reason. */
function firstReason(skipped: Record<string, number>, warnings: ImportWarning[], file: string): string {
  const w = warnings.find((x) => x.file === file);
  if (w) return `${w.line ? `line ${w.line}: ` : ''}${w.message}`;
  const top = Object.entries(skipped).sort((a, b) => b[1] - a[1])[0];
  return top ? `${top[1]} line(s) skipped: ${top[0]}` : 'empty';
}
