/**
 * Which step each log line belongs to and its `##[group]` depth, line by line in reading order: the rules of
 * finalize-logs.ts (5 and 6 there), in one place so that the two users give identical results:
 * - finalizeLogs walks every stored line after the load (any case, any input order);
 * - the writer (log-precompute.ts) runs it while the lines are inserted, when the job's final steps are already
 *   known (a bundle's manifest comes first), so a big log is written once with its step and depth instead of
 *   being read back and rewritten; finalizeLogs then checks that nothing changed that assumption and skips its pass.
 */
import type { Db } from '../../db/open';
import type { LogMarker } from '../../../shared/model';
import { parseMarker } from './markers';
import { actionMark, END_ACTION, GroupStepTracker, START_ACTION } from './group-steps';

interface StepRow {
  id: bigint;
  job: string;
  number: bigint;
  origin: string;
  started_at: bigint | null;
  completed_at: bigint | null;
}

interface Window {
  id: number;
  start: bigint;
  end: bigint | null;
}

export interface JobSteps {
  origin: string;
  byNumber: Map<number, number>;
  /** Step ids in number order (for group ordinals when no step has a time). */
  ordered: number[];
  windows: Window[];
  windowById: Map<number, Window>;
}

/** Steps per job, in (job, number, id) order; `job` limits it to one job. */
export function loadJobSteps(db: Db, job?: string): Map<string, JobSteps> {
  const rows = (
    job === undefined
      ? db.prepare(`SELECT id, job, number, origin, started_at, completed_at FROM steps ORDER BY job, number, id`).safeIntegers(true).all()
      : db
          .prepare(`SELECT id, job, number, origin, started_at, completed_at FROM steps WHERE job = ? ORDER BY number, id`)
          .safeIntegers(true)
          .all(job)
  ) as StepRow[];
  const jobs = new Map<string, JobSteps>();
  for (const r of rows) {
    let js = jobs.get(r.job);
    if (!js) {
      js = { origin: r.origin, byNumber: new Map(), ordered: [], windows: [], windowById: new Map() };
      jobs.set(r.job, js);
    }
    const id = Number(r.id);
    const n = Number(r.number);
    if (!js.byNumber.has(n)) js.byNumber.set(n, id);
    js.ordered.push(id);
    if (r.started_at !== null) {
      const w = { id, start: r.started_at, end: r.completed_at };
      js.windows.push(w);
      js.windowById.set(id, w);
    }
  }
  for (const js of jobs.values()) js.windows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return jobs;
}

/** The step whose window holds `ts`: the latest started at or before it (the first step for earlier lines). */
function stepAt(js: JobSteps, ts: bigint, current: number | null): number | null {
  const ws = js.windows;
  if (ws.length === 0) return null;
  if (current !== null) {
    const w = js.windowById.get(current);
    if (w && w.start <= ts && w.end !== null && ts <= w.end) return current;
  }
  let lo = 0;
  let hi = ws.length - 1;
  if (ts < ws[0]!.start) return ws[0]!.id;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ws[mid]!.start <= ts) lo = mid;
    else hi = mid - 1;
  }
  return ws[lo]!.id;
}

/** Enough of a line's plain text to recognise step boundaries (all of its first line when that is short). */
export const HEAD_CHARS = 96;
/** The unmarked lines that open a step (group-steps.ts, stepOpenedBy), and those that open and close a composite
 * action's inner step (`##[start-action …]`, `##[end-action …]`). */
export const POST_JOB = 'Post job cleanup.';
export const ORPHANS = 'Cleaning up orphan processes';
export { START_ACTION, END_ACTION };

/** The first `n` characters (code points, as SQLite's substr counts them) of `s`. */
function codePointHead(s: string, n: number): string {
  const units = s.length > 2 * n ? s.slice(0, 2 * n) : s;
  if (!/[\uD800-\uDFFF]/.test(units)) return s.slice(0, n);
  return Array.from(units).slice(0, n).join('');
}

/**
 * The head of a line's plain text where the tracker can open a step with it: a `##[group]` line, or an unmarked
 * line beginning with one of the two boundary texts; null for any other line (it opens no step whatever its text).
 * HEAD_CHARS + 1 characters: one more than HEAD_CHARS says the text goes on. finalizeLogs reads the same in SQL.
 */
export function stepHead(marker: LogMarker | null, plain: string): string | null {
  if (marker !== 'group' && marker !== null) return null;
  // (most lines: their first character is none of the boundary texts' `P`, `C`, `#`)
  const c = plain.charCodeAt(0);
  if (marker === null && c !== 0x50 && c !== 0x43 && c !== 0x23) return null;
  if (
    marker === 'group' ||
    plain.startsWith(POST_JOB) ||
    plain.startsWith(ORPHANS) ||
    plain.startsWith(START_ACTION) ||
    plain.startsWith(END_ACTION)
  ) {
    return codePointHead(plain, HEAD_CHARS + 1);
  }
  return null;
}

function firstLineOf(head: string, truncated: boolean): string {
  const nl = head.indexOf('\n');
  if (nl !== -1) return head.slice(0, nl);
  // truncated: add a character so the text cannot equal a short boundary line
  return truncated ? head + '\u2026' : head;
}

interface FileState {
  depth: number;
  /** Composite actions' inner steps open in this file: their lines are drawn one level deeper per open action. */
  inner: number;
  tracker: GroupStepTracker | null;
  stepId: number | null;
}

export interface LineFacts {
  /** The line's id (reading order): needed only with step boundaries (finalize-logs.ts). */
  id?: number;
  job: string;
  stepNumber: number | null;
  ts: bigint | null;
  marker: LogMarker | null;
  fileKind: string;
  sourceId: number | null;
  /** stepHead() of the line's plain text. */
  head: string | null;
}

export class StepAssigner {
  private readonly files = new Map<string, FileState>();
  private last: FileState | null = null;
  private lastSource: number | null = null;
  private lastJob = '';
  private lastKind = '';
  private lastNumber: number | null = null;
  /** Step files whose number has no step: one warning each (job + number). */
  readonly unmatched = new Map<string, { sourceId: number | null; job: string; number: number }>();

  /**
   * `bounds`: per job, the job-log line id where each step file's step begins (finalize-logs.ts stepBoundaries):
   * a job-level log's lines then belong to the step whose boundary is the last at or before them.
   */
  constructor(
    private readonly jobs: Map<string, JobSteps>,
    private readonly bounds: ReadonlyMap<string, { id: number; stepId: number }[]> = new Map(),
  ) {}

  /** The next line in reading order: its step id and depth. */
  feed(l: LineFacts): { stepId: number | null; depth: number } {
    // (the file of the line before is nearly always this line's: the key string and the Map only on a change)
    let st = this.last;
    if (st === null || l.sourceId !== this.lastSource || l.job !== this.lastJob || l.fileKind !== this.lastKind || l.stepNumber !== this.lastNumber) {
      const key = `${l.sourceId ?? ''}|${l.job}|${l.fileKind}|${l.stepNumber ?? ''}`;
      st = this.files.get(key) ?? null;
      if (!st) {
        // only whole-job logs open steps with their `##[group]Run` lines; step files, system.txt and the
        // preparation log do not
        st = { depth: 0, inner: 0, tracker: l.fileKind === 'job' || l.fileKind === 'single' ? new GroupStepTracker() : null, stepId: null };
        this.files.set(key, st);
      }
      this.last = st;
      this.lastSource = l.sourceId;
      this.lastJob = l.job;
      this.lastKind = l.fileKind;
      this.lastNumber = l.stepNumber;
    }
    let fed: ReturnType<GroupStepTracker['feed']> | null = null;
    if (st.tracker) {
      const head = l.head;
      let firstPlain = '';
      if (head !== null) {
        const cut = codePointHead(head, HEAD_CHARS);
        firstPlain = firstLineOf(cut, cut.length < head.length);
      }
      const parsed = l.marker !== null ? parseMarker(firstPlain) : null;
      fed = st.tracker.feed(firstPlain, l.marker, parsed ? parsed.rest : null);
      if (fed.opened) st.depth = st.inner = 0;
    }

    // a composite action's inner step (between the runner's start-action and end-action lines) is drawn one level
    // deeper than the step that runs it; the marker lines themselves at the step's level
    const mark = l.head !== null ? actionMark(firstLineOf(l.head, false), l.marker) : 0;
    if (mark === -1) st.inner = Math.max(0, st.inner - 1);
    let depth = st.depth + st.inner;
    if (mark === 1) st.inner = Math.min(st.inner + 1, 100);
    if (l.marker === 'group') st.depth = Math.min(st.depth + 1, 1000);
    else if (l.marker === 'endgroup') depth = (st.depth = Math.max(0, st.depth - 1)) + st.inner;

    const js = this.jobs.get(l.job);
    let stepId: number | null = null;
    const jb = (l.fileKind === 'job' || l.fileKind === 'single') && l.id !== undefined ? this.bounds.get(l.job) : undefined;
    if (l.fileKind === 'system' || l.fileKind === 'prep') {
      // the runner's own lines (system.txt, the preparation log): outside every step
    } else if (jb && jb.length > 0) {
      stepId = boundaryStep(jb, l.id!);
    } else if (js) {
      const n = l.stepNumber;
      if (l.fileKind === 'step' && n !== null && js.byNumber.has(n)) {
        stepId = js.byNumber.get(n)!;
      } else if (fed && js.origin === 'groups') {
        stepId = js.byNumber.get(fed.step.number) ?? null;
      } else if (js.windows.length > 0) {
        stepId = l.ts !== null ? stepAt(js, l.ts, st.stepId) : st.stepId;
      } else if (fed) {
        stepId = js.ordered[fed.step.number - 1] ?? null;
      }
      if (l.fileKind === 'step' && n !== null && !js.byNumber.has(n)) {
        const k = `${l.job}\u0000${n}`;
        if (!this.unmatched.has(k)) this.unmatched.set(k, { sourceId: l.sourceId, job: l.job, number: n });
      }
    }
    st.stepId = stepId;
    return { stepId, depth };
  }
}

/** The step whose boundary (job-log line id) is the last at or before `id`; the first step for earlier lines. */
function boundaryStep(list: { id: number; stepId: number }[], id: number): number {
  let lo = 0;
  let hi = list.length - 1;
  if (id < list[0]!.id) return list[0]!.stepId;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.id <= id) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!.stepId;
}
