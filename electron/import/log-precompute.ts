/**
 * Each log line's step and depth, worked out by the writer while the line is inserted (written once), instead of
 * finalizeLogs reading every line back and rewriting it. Only where the outcome is already fixed at load time:
 * every log line's job has manifest steps written before its first line (a bundle: the container reads
 * manifest.json first), which beat any step a log file adds (finalize-logs.ts, step precedence); or the job has no
 * step yet and all its lines come from one job-level log, whose own `##[group]` steps then give every line its step
 * by number whatever the times (a job log read alone: the ids those steps will get are predicted, checked against
 * the steps written; 1M lines: the read-and-rewrite pass, ~4.5 s, skipped). While the load goes on, such a line's
 * step_id may name a step row not written yet (written when the step ends). On the way it
 * tracks what finalizeLogs' own checks would read back: the log jobs, and whether insert order is reading order.
 *
 * finalizeLogs uses the result only when nothing after the load changed its assumptions (no job renamed, no line
 * dropped or moved, the same steps per job: `stillValid`); otherwise it runs its full pass as before, with the
 * same StepAssigner, so both ways give the same rows.
 */
import type { Db } from '../db/open';
import { loadJobSteps, stepHead, StepAssigner, type JobSteps } from './gha/step-assigner';
import type { LogLineRecord } from '../../shared/model';
import { WatchedIds, type WatchedLines } from './watched-lines';

export interface LogHints {
  /** Every line got its step and depth at insert time (false: finalizeLogs must assign them). */
  readonly assigned: boolean;
  /** Jobs of the lines written. */
  readonly jobs: ReadonlySet<string>;
  /** Lines written in reading order (one job, all timed, never going back): no renumbering needed. */
  readonly inOrder: boolean;
  /** Lines stored. */
  readonly lines: number;
  /** Jobs with lines of both a step file and a job-level (or single) file (finalizeLogs drops the latter). */
  readonly mixedJobs: ReadonlySet<string>;
  /** The steps (ids in number order) each job's lines were assigned against. */
  readonly stepsUsed: ReadonlyMap<string, readonly number[]>;
  /** Jobs whose lines were assigned against the steps their own log's groups were to give (stillValid checks). */
  readonly predicted: ReadonlyMap<string, PredictedJob>;
  readonly unmatched: StepAssigner['unmatched'];
  /** The lines that may mention a host (gha/mentions.ts mayMention), found as they were written; null: unknown. */
  readonly mentionLines: WatchedLines | null;
  /**
   * Every line finalizeLogs' needle queries can match (`finalizeNeedle`: a superset; the queries still apply their
   * own conditions to these rows), found as they were written; null: unknown. Their ids hold until lines move.
   */
  readonly needleLines: WatchedLines | null;
  /** Sources with lines of a job-level or single log (file_kind job/single); null: unknown (a line was lost). */
  readonly jobLogSources: ReadonlySet<number> | null;
}

/**
 * The texts finalize-logs.ts looks for with `text LIKE '<prefix>%'` (resolveActionShas, nameSingleLogsByJob), lower
 * case: LIKE folds ASCII letters only.
 */
const NEEDLES = [
  'complete job name: ',
  'download action repository ',
  'download immutable action package ',
  '##[group]download immutable action package ',
  'source commit sha: ',
];
const NEEDLE_FIRST = new Set(NEEDLES.map((n) => n.charCodeAt(0)));

/** `s` starts with `lower` (ASCII letters in either case, as SQLite's LIKE compares them; anything else exactly). */
function startsWithAsciiCi(s: string, lower: string): boolean {
  if (s.length < lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = s.charCodeAt(i);
    const w = lower.charCodeAt(i);
    if (c !== w && !(w >= 0x61 && w <= 0x7a && c === w - 0x20)) return false;
  }
  return true;
}

/** True for every line a finalize needle query (`text LIKE '<needle>%'`) can match. */
export function finalizeNeedle(plain: string): boolean {
  if (plain.length < 19 || !NEEDLE_FIRST.has(plain.charCodeAt(0) | 0x20)) return false;
  for (const n of NEEDLES) if (startsWithAsciiCi(plain, n)) return true;
  return false;
}

export class LogPrecompute implements LogHints {
  assigned = true;
  inOrder = true;
  lines = 0;
  readonly jobs = new Set<string>();
  readonly mixedJobs = new Set<string>();
  private readonly kinds = new Map<string, number>(); // job -> bits: 1 step file, 2 job or single file
  readonly stepsUsed = new Map<string, number[]>();
  readonly predicted = new Map<string, PredictedJob>();
  private readonly steps = new Map<string, JobSteps>();
  private readonly assigner = new StepAssigner(this.steps);
  // the line before (reading order check), and its job and kind
  private prevTs: bigint | null = null;
  private prevStep = 0;
  private prevSource = 0;
  private prevSeq = 0;
  private lastJob: string | null = null;
  private lastBit = 0;
  /** Filled by the writer: ids of the lines `mayMention` passed. */
  readonly mentionIds = new WatchedIds(true);
  /** Filled by the writer: ids of the lines `finalizeNeedle` passed. */
  readonly needleIds = new WatchedIds();
  private readonly jobLogs = new Set<number>();
  private lossless = true;
  private lastSource = -1;
  private lastKind = '';

  get mentionLines(): WatchedLines {
    return this.mentionIds.result(this.lines);
  }

  get needleLines(): WatchedLines {
    return this.needleIds.result(this.lines);
  }

  get jobLogSources(): ReadonlySet<number> | null {
    return this.lossless ? this.jobLogs : null;
  }

  constructor(private readonly db: Db) {}

  get unmatched(): StepAssigner['unmatched'] {
    return this.assigner.unmatched;
  }

  /** The next line (offset applied to `ts`), before it is inserted: its step and depth, or null when not known. */
  feed(r: LogLineRecord, ts: bigint | null, sourceId: number): { stepId: number | null; depth: number } | null {
    this.lines++;
    let fileChanged = false;
    if (sourceId !== this.lastSource || r.file_kind !== this.lastKind) {
      this.lastSource = sourceId;
      this.lastKind = r.file_kind;
      fileChanged = true;
      if (r.file_kind === 'job' || r.file_kind === 'single') this.jobLogs.add(sourceId);
    }
    const bit = r.file_kind === 'step' ? 1 : 2;
    // (the job and kind of the line before are nearly always this line's: the Map and Set are asked only on a change)
    if (r.job !== this.lastJob || bit !== this.lastBit) {
      this.lastJob = r.job;
      this.lastBit = bit;
      const had = this.kinds.get(r.job) ?? 0;
      if ((had & bit) === 0) {
        this.kinds.set(r.job, had | bit);
        if ((had | bit) === 3) this.mixedJobs.add(r.job);
      }
      if (!this.jobs.has(r.job)) {
        this.jobs.add(r.job);
        if (this.jobs.size > 1) this.inOrder = false;
        if (this.assigned) this.loadJob(r.job, r.file_kind, sourceId);
      } else fileChanged = true;
    }
    // a job whose steps its own log's groups give: only while all its lines come from that one job-level log
    if (fileChanged && this.assigned && this.predicted.size > 0) {
      const g = this.predicted.get(r.job);
      if (g && (g.source !== sourceId || (r.file_kind !== 'job' && r.file_kind !== 'single'))) this.assigned = false;
    }
    if (this.inOrder) {
      // finalize-logs.ts alreadyInReadingOrder: times never go back; equal times in (step, source, seq) order
      const step = r.step_number ?? -1;
      if (ts === null) this.inOrder = false;
      else if (this.prevTs !== null) {
        const p = this.prevTs;
        if (ts < p || (ts === p && (step < this.prevStep || (step === this.prevStep && (sourceId < this.prevSource || (sourceId === this.prevSource && r.seq < this.prevSeq)))))) {
          this.inOrder = false;
        }
      }
      this.prevTs = ts ?? 0n;
      this.prevStep = step;
      this.prevSource = sourceId;
      this.prevSeq = r.seq;
    }
    if (!this.assigned) return null;
    return this.assigner.feed({
      job: r.job,
      stepNumber: r.step_number,
      ts,
      marker: r.marker,
      fileKind: r.file_kind,
      sourceId,
      head: stepHead(r.marker, r.plain),
    });
  }

  /** A line that was fed but could not be stored: the assignment of the lines after it may differ. */
  lost(): void {
    this.lines--;
    this.assigned = false;
    this.lossless = false;
  }

  /**
   * A job with no steps yet whose first line is a job-level log's: its steps will be that log's `##[group]` steps
   * (origin 'groups'), every line's step the one its group tracker is in (step-assigner.ts), whatever the times. The
   * ids are predicted; finalizeLogs uses the lines' step ids only if the steps written have them (`stillValid`).
   */
  private predictGroupSteps(job: string, sourceId: number): void {
    const max = this.db.prepare(`SELECT coalesce(max(id), 0) FROM steps`).pluck().get() as number;
    const ids = new PredictedIds(max);
    this.predicted.set(job, { source: sourceId, base: max, ids });
    this.steps.set(job, { origin: 'groups', byNumber: ids, ordered: [], windows: [], windowById: new Map() });
  }

  private loadJob(job: string, kind: string, sourceId: number): void {
    // Only manifest steps are final before the load ends (they beat every other origin); a job without them, or
    // with steps of another origin already, is left to finalizeLogs.
    const js = loadJobSteps(this.db, job).get(job);
    const others = this.db.prepare(`SELECT 1 FROM steps WHERE job = ? AND origin <> 'manifest' LIMIT 1`).get(job);
    if (!js && (kind === 'job' || kind === 'single')) {
      this.predictGroupSteps(job, sourceId);
      return;
    }
    if (!js || js.origin !== 'manifest' || others !== undefined) {
      this.assigned = false;
      return;
    }
    // duplicates of a number: step precedence keeps the first row (byNumber holds it)
    const keep = new Set(js.byNumber.values());
    js.ordered = js.ordered.filter((id) => keep.has(id));
    js.windows = js.windows.filter((w) => keep.has(w.id));
    for (const id of [...js.windowById.keys()]) if (!keep.has(id)) js.windowById.delete(id);
    this.steps.set(job, js);
    this.stepsUsed.set(job, js.ordered);
  }
}

/** True when the lines' steps and depths assigned at load time are still those finalizeLogs would assign. */
export function stillValid(db: Db, h: LogHints, renamed?: ReadonlyMap<string, string>): boolean {
  if (!h.assigned) return false;
  const now = loadJobSteps(db);
  for (const [job, used] of h.stepsUsed) {
    const js = now.get(job);
    if (!js || js.ordered.length !== used.length || js.ordered.some((id, i) => id !== used[i])) return false;
  }
  // jobs whose steps come from their own log's groups: the steps written are exactly the ones predicted
  const rows = db.prepare(`SELECT id, number, origin, source_id FROM steps WHERE job = ? ORDER BY number, id`).raw(true);
  for (const [written, g] of h.predicted) {
    const job = renamed?.get(written) ?? written; // (a lone log renamed by its `Complete job name:`)
    const js = now.get(job);
    if (!js || js.origin !== 'groups') return false;
    let expect = 1;
    for (const [id, number, origin, source] of rows.all(job) as [number, number, string, number | null][]) {
      if (origin !== 'groups' || source !== g.source) return false;
      if (number === expect - 1) continue; // a later row of a number (byNumber keeps the first)
      if (number !== expect || id !== g.base + number) return false;
      expect++;
    }
    // every number a line was given has its step
    if (g.ids.maxAsked >= expect) return false;
  }
  return true;
}

/**
 * The ids the steps of a job's own `##[group]` lines will get (readGhaLog writes them in number order as each
 * ends, after the steps already there: `base` + number); `maxAsked`: the highest number a line was given.
 * Checked against the rows written by `stillValid`.
 */
class PredictedIds extends Map<number, number> {
  maxAsked = 0;
  constructor(private readonly base: number) {
    super();
  }
  override get(n: number): number {
    if (n > this.maxAsked) this.maxAsked = n;
    return this.base + n;
  }
  override has(): boolean {
    return true;
  }
}

export interface PredictedJob {
  source: number;
  base: number;
  ids: PredictedIds;
}
