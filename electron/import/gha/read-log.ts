/**
 * Streams one GitHub Actions log file into log-line and step records.
 * - A physical line that starts with a timestamp starts a log line; a line without one continues the line before
 *   (joined with '\n', `line_end` advanced). Lines before the first timestamp stay untimed, one record each.
 * - `text` keeps ANSI (timestamp removed); `plain` is stripped per physical line and joined the same way.
 * - Markers come from the first physical line's plain text, so ANSI in front of `##[group]` does not hide them.
 * - Step files give one step (origin 'files'); job and single files give steps from their `##[group]Run` lines
 *   (origin 'groups', see group-steps.ts).
 * - Every log line (each physical line of a continued one) is shown to the embedded-agent scanner.
 * Memory: one pending log line, capped (a runaway continuation is split with a warning).
 * Warnings: every problem, where it happens (the one policy: the writer stores the first ones per file and counts
 * the rest; importers never cap their own).
 */
import type { Readable } from 'node:stream';
import type { LogLineRecord, LogMarker, StepRecord } from '../../../shared/model';
import { stripAnsi } from '../../../shared/ansi';
import { TimeError, type Nanos } from '../../../shared/time';
import { readLineBatches, DEFAULT_MAX_LINE_BYTES } from '../lines';
import type { ImportContext, InputFile, RecordSink } from '../types';
import { scanLogLine } from '../formats/log-embedded';
import { parseMarker } from './markers';
import { placeLogFile } from './paths';
import { actionMark, containerBuildStep, GroupStepTracker, usesFromTitle, type StepStart } from './group-steps';
import { StampParser } from './timestamp';

/** A continued log line is split into a new record beyond this many characters or physical lines. */
export const MAX_JOINED_CHARS = 1 << 20;
export const MAX_JOINED_LINES = 10_000;

/** The log line being read: its first physical line's text and plain text, the others' (if any) in arrays. */
interface Pending {
  ts: Nanos | null;
  text: string;
  plain: string;
  /** Every physical line's text, once a second one came (most log lines have one: no array for them). */
  texts: string[] | null;
  plains: string[] | null;
  line: number;
  lineEnd: number;
  chars: number;
}

const pendingLine = (ts: Nanos | null, text: string, line: number): Pending => ({
  ts,
  text,
  plain: stripAnsi(text),
  texts: null,
  plains: null,
  line,
  lineEnd: line,
  chars: text.length,
});

interface OpenStep extends StepStart {
  line: number;
  raw: string;
  first: Nanos | null;
  last: Nanos | null;
  failed: boolean;
  cancelled: boolean;
  /** Its last line so far is an `##[error]` that is neither the runner's exit-code line nor a cancel. */
  endsInError: boolean;
}

/** `##[error]Process completed with exit code N.`: the runner's verdict on the step that just ran. */
const EXIT_CODE = /^Process completed with exit code (-?\d+)\.?$/;
/**
 * `##[error]The process '/usr/bin/cargo' failed with exit code 101`: the error @actions/exec throws when a tool
 * fails, which a JavaScript action reports with core.setFailed (that prints it as `##[error]` and fails the step).
 */
const EXEC_FAILED = /^The process '[^']*' failed with exit code (-?\d+)$/;
/**
 * `gh run view --log` (GitHub CLI) prints every line of a run's logs as `<job name>\t<step name>\t<line>` (`UNKNOWN
 * STEP` when it reads the job-level log), jobs one after the other.
 */
const GH_PREFIX = /^([^\t]{1,256})\t([^\t]{0,512})\t/;
/**
 * The runner's first line of a job-preparation log. GitHub has named those files two ways: `-2147483648_<job>.txt`
 * (a negative index, paths.ts) and, in 2020-2023 archives, like the job log itself: `1_<job> (1).txt` beside
 * `1_<job>.txt` (the archive's second file of that name), or `1_<job>.txt` for a matrix whose jobs are
 * `1_<job> (<value>).txt` (real examples: SOURCES.md, kristina157, sesion5, calculatr). So a root log that opens
 * with this line is a preparation log whatever its name; its job is the name without GitHub's ` (1)`.
 */
const PREPARE_JOB = /^##\[section\]Starting: Prepare job\b/;
const PREP_COPY_SUFFIX = / \(\d{1,3}\)$/;
export const GH_LOG_LINE = /^[^\t]{1,256}\t[^\t]{0,512}\t\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z /;
/** `Job defined at: owner/repo/.github/workflows/ci.yml@refs/heads/main` (system.txt, or the head of older job logs). */
const JOB_DEFINED_AT = /^Job defined at: ([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/(\.github\/workflows\/[^@\s]+)@(\S+)$/;

/** What the log says about the run: the repository, workflow and job (docs/formats.md, "log-derived facts"). */
export function runInfoFromLine(plain: string): Record<string, string> | null {
  if (plain.startsWith('Complete job name: ')) {
    const job = plain.slice('Complete job name: '.length).trim();
    return job ? { job } : null;
  }
  const m = JOB_DEFINED_AT.exec(plain);
  if (m) return { repository: m[1]!, workflow_path: m[2]!, ref: m[3]! };
  if (plain.includes('/actions/runs/')) {
    // Harden-Runner's insights link (`https://app.stepsecurity.io/github/owner/repo/actions/runs/123`), or a run URL
    const r = RUN_LINK.exec(plain);
    if (r) return { repository: `${r[1]}/${r[2]}`, run_id: r[3]! };
  }
  return null;
}

const RUN_LINK = /(?:\bgithub\.com|\bapp\.stepsecurity\.io\/github)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/actions\/runs\/(\d{1,20})\b/;

/** True for a step's failure line: the runner's (`##[error]Process completed with exit code 1.`) or an action's
 * failed tool (`##[error]The process '…' failed with exit code 101`). */
export function isStepFailure(marker: LogMarker | null, rest: string | null): boolean {
  if (marker !== 'error' || rest === null) return false;
  const t = rest.trim();
  return EXIT_CODE.test(t) || EXEC_FAILED.test(t);
}

/**
 * An action's failure that names no exit code: a JavaScript action that fails calls core.setFailed, which prints
 * `##[error]<message>` and ends the step; the runner adds nothing (`##[error]buildx failed with: ERROR: …` in a real
 * job log, SOURCES.md anthroshim, and then `Post job cleanup.`). So a step running an action (`uses`) whose LAST line
 * is an `##[error]` failed. Not when the action printed anything after its error (it carried on: core.error), and
 * never for a `run:` step (its shell's exit code says it, above).
 */

/**
 * `##[error]The operation was canceled.`: the runner stopped the step (the run was cancelled, or a matrix job's
 * sibling failed under fail-fast: real example SOURCES.md, calculatr `build (Release)`). The step did not fail on
 * its own and did not succeed: its conclusion is `cancelled`.
 */
export function isStepCancelled(marker: LogMarker | null, rest: string | null): boolean {
  return marker === 'error' && rest !== null && rest.trim() === 'The operation was canceled.';
}

/**
 * A composite action's inner step that failed: the runner's `##[end-action id=…;outcome=failure;conclusion=failure;…]`
 * (`conclusion` is after continue-on-error: `outcome=failure;conclusion=success` did not fail). A composite stops at
 * its first failed inner step and fails with it.
 */
export function isInnerStepFailure(marker: LogMarker | null, plain: string): boolean {
  return marker === null && plain.startsWith('##[end-action ') && /;conclusion=failure(?:;|\])/.test(plain);
}

/**
 * A step file's name as the log writes it: GitHub's file names drop or replace the `/` of an action reference
 * (`2_Run actionscheckout@v3.txt`, `2_Run actions_checkout@v4.txt`); the step's own `##[group]Run actions/checkout@v3`
 * line says it right. The log's title is taken only when it is the file's name with its `/` restored.
 */
export function stepNameFromLog(fileName: string, groupTitle: string | null): string {
  if (!groupTitle) return fileName;
  const flat = (s: string, r: string) => s.replace(/\//g, r);
  if (flat(groupTitle, '') === fileName || flat(groupTitle, '_') === fileName) return groupTitle;
  return fileName;
}

export interface ReadGhaOptions {
  maxLineBytes?: number;
}

export async function readGhaLog(
  file: InputFile,
  stream: Readable,
  sink: RecordSink,
  ctx: ImportContext,
  opts: ReadGhaOptions = {},
): Promise<void> {
  let place = placeLogFile(file.relPath);
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const parser = new StampParser();
  let tracker = place.kind === 'job' || place.kind === 'single' ? new GroupStepTracker() : null;
  /** `gh run view --log` output (each line `<job>\t<step>\t<log line>`): decided on the first line; the job now read. */
  let ghMode: boolean | null = null;
  let ghJob: string | null = null;
  let fileGroupTitle: string | null = null;
  let fileFailed = false;
  let fileCancelled = false;
  let fileEndsInError = false;
  let fileInner = 0;

  let pending: Pending | null = null;
  let seq = 0;
  let physical = 0;
  let sawStamp = false;
  let untimedBeforeFirst = 0;
  let firstTs: Nanos | null = null;
  let lastTs: Nanos | null = null;
  let open: OpenStep | null = null;

  const closeStep = () => {
    if (!open) return;
    if (open.uses && open.endsInError) open.failed = true; // an action's core.setFailed (actionFailedLast)
    const rec: StepRecord = {
      job: place.job,
      number: open.number,
      name: open.name,
      uses: open.uses,
      started_at: open.first,
      completed_at: open.last,
      conclusion: open.failed ? 'failure' : open.cancelled ? 'cancelled' : null,
      origin: 'groups',
      line: open.line,
      raw: open.raw,
    };
    sink.step(rec);
    open = null;
  };

  const emit = (p: Pending) => {
    const text = p.texts === null ? p.text : p.texts.join('\n');
    const plain = p.plains === null ? p.plain : p.plains.join('\n');
    const firstPlain = p.plain;
    const parsed = parseMarker(firstPlain);
    const marker: LogMarker | null = parsed ? parsed.marker : null;
    const rec: LogLineRecord = {
      job: place.job,
      step_number: place.kind === 'step' ? place.stepNumber : null,
      seq: seq++,
      ts: p.ts,
      text,
      plain,
      marker,
      line: p.line,
      line_end: p.lineEnd,
      raw: text,
      file_kind: place.kind,
    };
    const info = runInfoFromLine(firstPlain);
    if (info) sink.run(info);
    const failure = isStepFailure(marker, parsed ? parsed.rest : null);
    const cancelled = isStepCancelled(marker, parsed ? parsed.rest : null);
    // an inner step's failure counts when it ends a direct inner step of the step (a nested composite's own
    // continue-on-error is then already in its conclusion)
    const innerFailure = isInnerStepFailure(marker, firstPlain);
    const mark = actionMark(firstPlain, marker);
    if (place.kind === 'step') {
      if (fileGroupTitle === null && marker === 'group' && parsed) {
        if (/^(Post )?Run /.test(parsed.rest)) fileGroupTitle = parsed.rest.trim();
        else fileGroupTitle = containerBuildStep(parsed.rest)?.name ?? null;
      }
      if (mark !== 0) fileInner = Math.max(0, fileInner + mark);
      if (failure || (innerFailure && fileInner === 0)) fileFailed = true;
      if (cancelled) fileCancelled = true;
      fileEndsInError = marker === 'error' && !failure && !cancelled;
    }
    if (tracker) {
      const r = tracker.feed(firstPlain, marker, parsed ? parsed.rest : null);
      if (r.opened) {
        closeStep();
        open = { ...r.step, line: p.line, raw: text, first: null, last: null, failed: false, cancelled: false, endsInError: false };
      }
      if (open) open.endsInError = marker === 'error' && !failure && !cancelled;
      if ((failure || (innerFailure && tracker.innerDepth === 0)) && open) open.failed = true;
      if (cancelled && open) open.cancelled = true;
      if (p.ts !== null && open) {
        if (open.first === null || p.ts < open.first) open.first = p.ts;
        if (open.last === null || p.ts > open.last) open.last = p.ts;
      }
    }
    sink.logLine(rec);
    if (p.plains === null) scanLogLine(plain, p.line, p.ts, sink);
    else p.plains.forEach((pl, k) => scanLogLine(pl, p.line + k, p.ts, sink));
  };

  // (one array of lines per chunk read: no promise per line)
  outer: for await (const batch of readLineBatches(stream, { maxLineBytes, signal: ctx.signal })) {
    for (const ln of batch) {
      physical = ln.no;
      if ((ln.no & 0x3ff) === 0 && ctx.signal.aborted) break outer;
      if (ln.tooLong) {
        sink.warn(ln.no, `line longer than ${maxLineBytes} bytes: skipped`);
        continue;
      }
      if (ln.badUtf8) sink.warn(ln.no, 'invalid UTF-8: bad bytes replaced with U+FFFD');
      let lineText = ln.text;
      if (ghMode === null && lineText.trim() !== '') ghMode = place.kind === 'single' && GH_LOG_LINE.test(lineText);
      if (ghMode) {
        const g = GH_PREFIX.exec(lineText);
        if (g) {
          lineText = lineText.slice(g[0].length);
          if (lineText.charCodeAt(0) === 0xfeff) lineText = lineText.slice(1); // each of GitHub's log files starts with one
          if (g[1] !== ghJob) {
            // the next job of the run: the previous one ends here (gh prints the jobs one after the other)
            if (pending) emit(pending);
            pending = null;
            closeStep();
            ghJob = g[1]!;
            place = { kind: 'single', job: ghJob, stepNumber: null, stepName: null };
            tracker = new GroupStepTracker();
          }
        }
      }
      let stamp = null;
      try {
        stamp = parser.parse(lineText);
      } catch (e) {
        if (!(e instanceof TimeError)) throw e;
        sink.warn(ln.no, `${e.message}: line read as a continuation`);
      }
      if (stamp) {
        if (pending) emit(pending);
        const body = lineText.slice(stamp.prefixLength);
        if (!sawStamp && seq === 0 && place.kind === 'job' && PREPARE_JOB.test(stripAnsi(body))) {
          place = { kind: 'prep', job: place.job.replace(PREP_COPY_SUFFIX, ''), stepNumber: null, stepName: null };
          tracker = null;
        }
        pending = pendingLine(stamp.ns, body, ln.no);
        sawStamp = true;
        if (firstTs === null || stamp.ns < firstTs) firstTs = stamp.ns;
        if (lastTs === null || stamp.ns > lastTs) lastTs = stamp.ns;
        continue;
      }
      if (pending) {
        if (pending.chars + lineText.length > MAX_JOINED_CHARS || (pending.texts?.length ?? 1) >= MAX_JOINED_LINES) {
          sink.warn(
            ln.no,
            `continuation of line ${pending.line} too long (over ${MAX_JOINED_LINES} lines or ${MAX_JOINED_CHARS} characters): split into several log lines`,
          );
          const ts: Nanos | null = pending.ts;
          emit(pending);
          pending = pendingLine(ts, lineText, ln.no);
          continue;
        }
        if (pending.texts === null || pending.plains === null) {
          pending.texts = [pending.text];
          pending.plains = [pending.plain];
        }
        pending.texts.push(lineText);
        pending.plains.push(stripAnsi(lineText));
        pending.lineEnd = ln.no;
        pending.chars += lineText.length + 1;
        continue;
      }
      // No timestamp seen yet: an untimed line of its own.
      untimedBeforeFirst++;
      emit(pendingLine(null, lineText, ln.no));
    }
  }
  if (pending) emit(pending);
  closeStep();

  if (!sawStamp && untimedBeforeFirst > 0) {
    sink.warn(
      null,
      `no timestamps in this log: ${plural(untimedBeforeFirst, 'line')} imported without times, in file order`,
    );
  } else if (untimedBeforeFirst > 0) {
    sink.warn(
      1,
      `${plural(untimedBeforeFirst, 'line')} before the first timestamped line ${untimedBeforeFirst === 1 ? 'has' : 'have'} no time`,
    );
  }
  if (physical === 0) sink.warn(null, 'empty log file');

  if (place.kind === 'step' && place.stepNumber !== null) {
    const name = stepNameFromLog(place.stepName ?? `Step ${place.stepNumber}`, fileGroupTitle);
    const uses = stepFileUses(fileGroupTitle) ?? stepFileUses(name);
    sink.step({
      job: place.job,
      number: place.stepNumber,
      name,
      uses,
      started_at: firstTs,
      completed_at: lastTs,
      conclusion: fileFailed || (fileEndsInError && uses !== null) ? 'failure' : fileCancelled ? 'cancelled' : null,
      origin: 'files',
      line: null,
      raw: file.relPath,
    });
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** A step file named `Run owner/repo@ref` (when GitHub kept the slash) names its action. */
function stepFileUses(name: string | null): string | null {
  if (!name) return null;
  if (name.startsWith('Run ')) return usesFromTitle(name.slice(4));
  if (name.startsWith('Post Run ')) return usesFromTitle(name.slice(9));
  if (name.startsWith('Build ')) return usesFromTitle(name.slice(6)); // a Docker action's image build (group-steps.ts)
  return null;
}
