/**
 * The import's only writer: `sources`, `warnings`, `meta` and every evidence table. Rows go through prepared
 * statements inside batched transactions (`batchSize` rows per COMMIT). `sinkFor` gives each source file its
 * RecordSink: it applies the source's clock offset to every time, writes JSON arrays as JSON text, writes DNS
 * answers also into `dns_answers`, counts rows, and reports warnings under the file's display name.
 */
import type { Statement } from 'better-sqlite3';
import type {
  DetectionRecord,
  DnsRecord,
  FileEventRecord,
  ImportWarning,
  LogLineRecord,
  NetworkRecord,
  Policy,
  ProcessEventRecord,
  RunInfo,
  StepRecord,
} from '../../shared/model';
import type { Nanos } from '../../shared/time';
import type { Db } from '../db/open';
import type { NetworkLive } from '../analysis/network-live';
import { finalizeNeedle, LogPrecompute, type LogHints } from './log-precompute';
import { RowBatch } from './row-batch';
import { mayMention } from './gha/mentions';
import { WatchedIds, type WatchedLines } from './watched-lines';
import type { RecordSink } from './types';
import type { FileAccounting, LineAccount } from './accounting';

// (the sinks below write each row's values by position in these orders)
const LOG_COLUMNS = ['job', 'step_number', 'seq', 'ts', 'raw', 'text', 'marker', 'file_kind', 'source_id', 'line', 'line_end', 'step_id', 'depth'];
export const NETWORK_COLUMNS = [
  'ts', 'pid', 'process_name', 'domain', 'domain_origin', 'ip', 'port', 'protocol', 'status', 'http_method', 'http_host',
  'http_path', 'http_status', 'policy_matched', 'policy_reason', 'tool_name', 'tool_sha256', 'command_line', 'exe',
  'source_id', 'line', 'raw', 'process_id', 'endpoint', 'verdict', 'step_id', 'running_step_id',
];

/** The process events' columns the writer fills (calls-side.ts copies them from the calls worker's database). */
export const PROCESS_EVENT_COLUMNS = ['ts', 'event', 'pid', 'ppid', 'exe', 'args', 'cwd', 'uid', 'exit_code', 'key', 'parent_key', 'origin', 'source_id', 'line', 'raw'];

export const DEFAULT_BATCH_SIZE = 5000;
/** First screen first (benchmark 7): the first COMMIT holding log lines comes after this many rows, the next ones
 *  every batch (an import without log lines commits every batch from the start): the partial case is readable sooner
 *  (the first rows run cold code: ~20 ms per 500 rows on a quiet core, more while the page loads beside it). 500: the
 *  log pane's first page (renderer/src/api.ts, public/first-screen.js: `log.window` limit 500); the page shows a few
 *  dozen lines of it. */
export const FIRST_SCREEN_BATCH = 500;
/** Warnings stored per source file; beyond it they are only counted (one summary warning at the end). */
export const MAX_WARNINGS_PER_SOURCE = 1000;

export interface RecordCounts {
  steps: number;
  log_lines: number;
  process_events: number;
  network: number;
  dns: number;
  file_events: number;
  detections: number;
}

export const emptyCounts = (): RecordCounts => ({ steps: 0, log_lines: 0, process_events: 0, network: 0, dns: 0, file_events: 0, detections: 0 });

export function totalRecords(c: RecordCounts): number {
  return c.steps + c.log_lines + c.process_events + c.network + c.dns + c.file_events + c.detections;
}

export interface SinkHooks {
  run?: (info: RunInfo) => void;
  policy?: (p: Policy) => void;
  /** Every warning, after it is stored (or suppressed: then `stored` is false). */
  warning?: (w: ImportWarning, stored: boolean) => void;
}

/** A RecordSink for one source file, with its counts. Call `finish()` when the file is done. */
export interface FileSink extends RecordSink {
  readonly counts: RecordCounts;
  readonly warnings: number;
  /** Ends the file: stores the summary warning and, with an account, the file's accounting in `sources`. */
  finish(): FileAccounting | null;
}

const j = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
const shift = (t: Nanos | null | undefined, off: bigint): Nanos | null => (t === null || t === undefined ? null : off === 0n ? t : t + off);

export class CaseWriter {
  private pending = 0;
  private readonly st: Record<string, Statement>;
  /** Files' accounting, stored by `storeAccounting` once the case schema has its columns (migration 3). */
  private readonly accounted: [number, FileAccounting][] = [];
  /** Log lines' step and depth worked out as they are written (finalizeLogs then skips its pass). */
  private readonly logPre: LogPrecompute;
  /** The two big tables are written by multi-row INSERTs (row-batch.ts); flushed before every COMMIT. */
  private readonly logs: RowBatch<LogLineRecord>;
  private readonly calls: RowBatch<NetworkRecord>;

  constructor(
    readonly db: Db,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.logPre = new LogPrecompute(db);
    this.logs = new RowBatch(db, 'log_lines', LOG_COLUMNS);
    this.calls = new RowBatch(db, 'network', NETWORK_COLUMNS);
    this.st = {
      source: p('INSERT INTO sources (id, parent_id, path, member, format, sha256, bytes, offset_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      sourceHash: p('UPDATE sources SET sha256 = ?, bytes = ? WHERE id = ?'),
      sourceFormat: p('UPDATE sources SET format = ?, offset_ns = ? WHERE id = ?'),
      warning: p('INSERT INTO warnings (source_id, file, line, message) VALUES (?, ?, ?, ?)'),
      meta: p('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      step: p(
        'INSERT INTO steps (job, number, name, uses, started_at, completed_at, conclusion, origin, source_id, line, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      proc: p(`INSERT INTO process_events (${PROCESS_EVENT_COLUMNS.join(', ')}) VALUES (${PROCESS_EVENT_COLUMNS.map(() => '?').join(', ')})`),
      dns: p('INSERT INTO dns (ts, domain, type, answers, pid, source_id, line, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      dnsAnswer: p('INSERT INTO dns_answers (dns_id, ip, ts, domain) VALUES (?, ?, ?, ?)'),
      file: p('INSERT INTO file_events (ts, pid, exe, path, op, sha256, source_id, line, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      det: p('INSERT INTO detections (det_id, kind, severity, title, ts, endpoint, pid, source_id, line, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  /**
   * Called at the first call written: the network analysis to run on each call as it is written (network-live.ts),
   * or null to leave every call to the pass after the load.
   */
  startNetwork: (() => NetworkLive | null) | null = null;
  private netStarted = false;
  private netLive: NetworkLive | null = null;

  /** The network analysis done while writing, if any (finalizeCase checks that it still holds). */
  get networkLive(): NetworkLive | null {
    return this.netLive;
  }

  /**
   * Use a network analysis made elsewhere (network-live.ts `adopt`: the calls worker's, for calls copied in whole)
   * as the one started at the first call, if `make` gives one and none was started. Returns it, or null.
   */
  adoptNetwork(make: () => NetworkLive | null): NetworkLive | null {
    if (this.netStarted) return null;
    const live = make();
    if (live) {
      this.netStarted = true;
      this.netLive = live;
    }
    return live;
  }

  /** Whether the network analysis was started (at the first call written, or by `liveNetwork`). */
  get networkStarted(): boolean {
    return this.netStarted;
  }

  /**
   * Start the network analysis now, as the first call would (run-import: before taking the calls of the calls
   * worker, calls-side.ts, whose first call this is in the case).
   */
  liveNetwork(): NetworkLive | null {
    if (!this.netStarted) {
      this.netStarted = true;
      this.netLive = this.startNetwork?.() ?? null;
    }
    return this.netLive;
  }

  /**
   * A test each log line's plain text goes through as it is written (run-import.ts: the lines the detection rules
   * read, analysis/detections/log-scan.ts); the lines that pass are collected (`watchedLines`) so the analysis does
   * not scan the log for them again. Set before the first line is written, or not at all.
   */
  logWatch: { test(text: string): boolean } | null = null;
  private readonly watched = new WatchedIds();

  /** The lines `logWatch` passed (null without a watch). */
  get watchedLines(): WatchedLines | null {
    return this.logWatch ? this.watched.result(this.logPre.lines) : null;
  }

  /** What the writer learnt about the log lines it wrote, for finalizeLogs. */
  get logHints(): LogHints {
    return this.logPre;
  }

  /** Count one row; opens a transaction when none is open and commits every `batchSize` rows. */
  private row(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    if (++this.pending >= (this.logCommitted || this.logPre.lines === 0 ? this.batchSize : Math.min(this.batchSize, FIRST_SCREEN_BATCH))) this.commit();
  }

  /** Write the rows still buffered (each file's sink does at its end; COMMIT does). */
  flush(): void {
    this.logs.flush();
    this.calls.flush();
  }

  /** Called after each COMMIT of the writer's rows (runImport: the first screen is readable after the first). */
  onCommit: (() => void) | null = null;
  /** Whether a COMMIT has held log lines yet (the first comes after FIRST_SCREEN_BATCH rows). */
  private logCommitted = false;

  commit(): void {
    this.flush();
    const open = this.db.inTransaction;
    if (open) this.db.exec('COMMIT');
    if (open && this.logPre.lines > 0) this.logCommitted = true;
    this.pending = 0;
    if (open) this.onCommit?.();
  }

  rollback(): void {
    this.logs.clear();
    this.calls.clear();
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.pending = 0;
  }

  /** A source row; `id` only for a private database that must number its files as the case will (calls-worker.ts). */
  addSource(s: { id?: number; parentId: number | null; path: string; member: string | null; format?: string | null; sha256?: string; bytes?: number; offsetNs?: bigint }): number {
    this.row();
    const r = this.st.source!.run(s.id ?? null, s.parentId, s.path, s.member, s.format ?? null, s.sha256 ?? '', s.bytes ?? 0, s.offsetNs ?? 0n);
    return Number(r.lastInsertRowid);
  }

  /** The largest source id so far (0: none). */
  lastSourceId(): number {
    return Number((this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM sources').get() as { n: number }).n);
  }

  setSourceHash(id: number, sha256: string, bytes: number): void {
    this.row();
    this.st.sourceHash!.run(sha256, bytes, id);
  }

  setSourceFormat(id: number, format: string, offsetNs: bigint): void {
    this.row();
    this.st.sourceFormat!.run(format, offsetNs, id);
  }

  warning(sourceId: number | null, w: ImportWarning): void {
    this.row();
    this.st.warning!.run(sourceId, w.file, w.line, w.message);
  }

  setMeta(key: string, value: unknown): void {
    this.row();
    this.st.meta!.run(key, JSON.stringify(value));
  }

  /** The sink for one source file. `offsetNs` is added to every time it writes. */
  /** Write the files' accounting into `sources` (call after the case is migrated to its latest schema). */
  storeAccounting(): void {
    const upd = this.db.prepare(
      'UPDATE sources SET bytes_read = ?, lines = ?, records = ?, lines_stored = ?, lines_skipped = ?, skipped = ? WHERE id = ?',
    );
    this.db.transaction(() => {
      for (const [id, a] of this.accounted) upd.run(a.bytes, a.lines, a.records, a.lines_stored, a.lines_skipped, JSON.stringify(a.skipped), id);
    })();
    this.accounted.length = 0;
  }

  /** A file read elsewhere (the calls worker, calls-side.ts): its accounting, stored with the others'. */
  addAccounting(sourceId: number, acc: FileAccounting): void {
    this.accounted.push([sourceId, acc]);
  }

  sinkFor(sourceId: number, displayName: string, offsetNs: bigint, hooks: SinkHooks = {}, account: LineAccount | null = null): FileSink {
    const st = this.st;
    const accounted = this.accounted;
    const pre = this.logPre;
    const storeWarning = (w: ImportWarning) => this.warning(sourceId, w);
    const counts = emptyCounts();
    let warnings = 0;
    const off = offsetNs;
    const row = () => this.row();
    const warn = (line: number | null, message: string) => {
      account?.warn(line, message);
      warnings++;
      const w: ImportWarning = { file: displayName, line, message };
      if (warnings <= MAX_WARNINGS_PER_SOURCE) {
        this.warning(sourceId, w);
        hooks.warning?.(w, true);
      } else hooks.warning?.(w, false);
    };
    // A value SQLite cannot bind (a time beyond the 64-bit nanosecond range, years before 1677 or after 2262; a
    // non-scalar) is that record's problem: a warning for its line, and the rest of the file still loads.
    const skipped = (line: number | null, e: Error) =>
      warn(line, `record skipped: a value cannot be stored (${e.message}; a time before 1677 or after 2262?)`);
    const guard = <R extends { line: number | null }>(write: (r: R) => void) => (r: R) => {
      try {
        write(r);
        account?.cover(r.line, (r as { line_end?: number | null }).line_end);
      } catch (e) {
        if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
        skipped(r.line, e);
      }
    };
    const logs = this.logs;
    const calls = this.calls;
    const watch = this.logWatch;
    const watched = this.watched;
    const mentioning = pre.mentionIds;
    const needles = pre.needleIds;
    // a row refused when its batch is written is taken back (one handler per file, the record as its context)
    const logFailed = (r: LogLineRecord, e: Error) => {
      counts.log_lines--;
      pre.lost();
      skipped(r.line, e);
    };
    const callFailed = (r: NetworkRecord, e: Error) => {
      counts.network--;
      this.netLive?.lost();
      skipped(r.line, e);
    };
    const sink: FileSink = {
      counts,
      get warnings() {
        return warnings;
      },
      run(info: RunInfo) {
        if (account) account.meta = true;
        hooks.run?.(info);
      },
      policy(p: Policy) {
        if (account) account.meta = true;
        hooks.policy?.(p);
      },
      step: guard((r: StepRecord) => {
        row();
        st.step!.run(r.job, r.number, r.name, r.uses, shift(r.started_at, off), shift(r.completed_at, off), r.conclusion, r.origin, sourceId, r.line, r.raw);
        counts.steps++;
      }),
      // batched: a row refused when its batch is written is taken back through its onFail
      logLine: guard((r: LogLineRecord) => {
        row();
        const ts = shift(r.ts, off);
        const a = pre.feed(r, ts, sourceId);
        // the row's values straight into the batch's parameter array, in LOG_COLUMNS order (no array per line)
        const v = logs.buffer;
        const at = logs.next;
        v[at] = r.job;
        v[at + 1] = r.step_number;
        v[at + 2] = r.seq;
        v[at + 3] = ts;
        v[at + 4] = r.text;
        v[at + 5] = r.plain;
        v[at + 6] = r.marker;
        v[at + 7] = r.file_kind;
        v[at + 8] = sourceId;
        v[at + 9] = r.line;
        v[at + 10] = r.line_end;
        v[at + 11] = a?.stepId ?? null;
        v[at + 12] = a?.depth ?? 0;
        counts.log_lines++;
        // lines a pass after the load wants (watched-lines.ts): their ids, learnt when their batch is written
        const forRules = watch !== null && watch.test(r.plain);
        const mentions = mayMention(r.plain);
        const needle = finalizeNeedle(r.plain);
        const seq = r.seq;
        const plain = r.plain;
        logs.push(
          r,
          logFailed,
          forRules || mentions || needle
            ? (id) => {
                if (forRules) watched.note(id, sourceId, seq);
                if (mentions) mentioning.note(id, sourceId, seq, plain);
                if (needle) needles.note(id, sourceId, seq);
              }
            : undefined,
        );
      }),
      processEvent: guard((r: ProcessEventRecord) => {
        row();
        st.proc!.run(
          r.ts + off,
          r.event,
          r.pid,
          r.ppid ?? null,
          r.exe ?? null,
          j(r.args),
          r.cwd ?? null,
          r.uid ?? null,
          r.exit_code ?? null,
          r.key ?? null,
          r.parent_key ?? null,
          r.origin,
          sourceId,
          r.line,
          r.raw,
        );
        counts.process_events++;
      }),
      network: guard((r: NetworkRecord) => {
        row();
        const ts = off === 0n ? r.ts : r.ts + off;
        const recOrigin = r.domain ? 'record' : null;
        const status = r.status || 'allowed';
        const httpHost = r.http?.host ?? null;
        const live = this.liveNetwork();
        const d = live ? live.derive(ts, r.pid, r.domain, recOrigin, r.ip, r.port, status, httpHost) : null;
        // the row's values straight into the batch's parameter array, in NETWORK_COLUMNS order (no array per call)
        const v = calls.buffer;
        const at = calls.next;
        v[at] = ts;
        v[at + 1] = r.pid;
        v[at + 2] = r.process;
        v[at + 3] = d ? d[1] : r.domain;
        v[at + 4] = d ? d[2] : recOrigin;
        v[at + 5] = r.ip;
        v[at + 6] = r.port;
        v[at + 7] = r.protocol ?? 'tcp' /* '' = the source did not say: never asserted */;
        v[at + 8] = status;
        v[at + 9] = r.http?.method ?? null;
        v[at + 10] = httpHost;
        v[at + 11] = r.http?.path ?? null;
        v[at + 12] = r.http?.status_code ?? null;
        v[at + 13] = r.policy?.matched ?? null;
        v[at + 14] = r.policy?.reason ?? null;
        v[at + 15] = r.tool?.name ?? null;
        v[at + 16] = r.tool?.sha256 ?? null;
        v[at + 17] = r.command_line ?? null;
        v[at + 18] = r.exe ?? null;
        v[at + 19] = sourceId;
        v[at + 20] = r.line;
        v[at + 21] = r.raw;
        v[at + 22] = d ? d[0] : null;
        v[at + 23] = d ? d[3] : null;
        v[at + 24] = d ? d[4] : null;
        v[at + 25] = d ? d[5] : null;
        v[at + 26] = d ? d[6] : null;
        counts.network++;
        calls.push(r, callFailed);
      }),
      dns: guard((r: DnsRecord) => {
        row();
        const ts = r.ts + off;
        const id = st.dns!.run(ts, r.domain, r.type, JSON.stringify(r.answers), r.pid, sourceId, r.line, r.raw).lastInsertRowid;
        for (const ip of r.answers) {
          row();
          st.dnsAnswer!.run(id, ip, ts, r.domain);
        }
        counts.dns++;
      }),
      fileEvent: guard((r: FileEventRecord) => {
        row();
        st.file!.run(r.ts + off, r.pid, r.exe, r.path, r.op, r.sha256, sourceId, r.line, r.raw);
        counts.file_events++;
      }),
      detection: guard((r: DetectionRecord) => {
        row();
        st.det!.run(r.det_id, r.kind, r.severity, r.title, shift(r.ts, off), r.endpoint, r.pid, sourceId, r.line, r.raw);
        counts.detections++;
      }),
      warn,
      finish() {
        logs.flush();
        calls.flush();
        const acc: FileAccounting | null = account && account.counted ? account.result() : null;
        if (acc) accounted.push([sourceId, acc]);
        if (warnings > MAX_WARNINGS_PER_SOURCE) {
          const w: ImportWarning = {
            file: displayName,
            line: null,
            message: `${warnings - MAX_WARNINGS_PER_SOURCE} further warning(s) for this file not shown (${warnings} in all)`,
          };
          storeWarning(w);
          hooks.warning?.(w, true);
        }
        return acc;
      },
    };
    return sink;
  }
}
