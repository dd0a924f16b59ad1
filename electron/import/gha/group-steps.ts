/**
 * Steps read from a whole-job log (no manifest steps, no step files), per the bundle spec:
 * - the lines before the first `##[group]Run …` form step 1, `Set up job`;
 * - each `##[group]Run X` line opens the next step, named `Run X`, whose `uses` is X when X looks like an action
 *   reference (`owner/repo@ref`, `owner/repo/path@ref`, `docker://image`);
 * beyond the spec, following what GitHub writes at the end of a job:
 * - a `##[group]Post Run X` line opens a step `Post Run X` (same `uses` rule);
 * - a `Post job cleanup.` line (how every post step of an action begins) opens a step of that name;
 * - a `Cleaning up orphan processes` line (how GitHub's `Complete job` step begins) opens `Complete job`;
 * - a `##[group]Build container for action use: '…/_actions/owner/repo/ref/Dockerfile'.` line opens `Build
 *   owner/repo@ref` (a Docker action's image build, a step of its own in GitHub's archive: containerBuildStep).
 * Composite actions: runners from 2.335 (seen in July 2026 logs) write `##[start-action display=…;id=…]` before
 * each inner step of a composite action and `##[end-action id=…;outcome=…;conclusion=…;duration_ms=…]` after it (actions/runner
 * CompositeActionHandler; it escapes the same text in user output as `##[\start-action`, so these lines are the
 * runner's own). Between the two, a `##[group]Run …` is an inner step of the composite step that is open, never a
 * step of its own; the count of open actions is reset when a step opens (a marker without its end cannot swallow
 * the rest of the job past the next post or `Complete job` step). Older logs carry no such marker: there an inner
 * `##[group]Run …` still opens a step (docs/formats.md, "What is lost").
 * The importer and finalizeLogs both run this tracker over a file's lines, so they number steps identically.
 */
import type { LogMarker } from '../../../shared/model';

const ACTION_REF = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^\s@]+)?@[^\s@]+$/;
const DOCKER_REF = /^docker:\/\/\S+$/;

export function usesFromTitle(x: string): string | null {
  const t = x.trim();
  if (t.length > 512) return null;
  return ACTION_REF.test(t) || DOCKER_REF.test(t) ? t : null;
}

/**
 * `##[group]Build container for action use: '/home/runner/work/_actions/appleboy/scp-action/v0.1.7/Dockerfile'.`: the
 * runner building a Docker container action's image before the job's first step. GitHub shows (and an archive
 * files) it as a step of its own, `Build appleboy/scp-action@v0.1.7` (real example: SOURCES.md, mimos), so a job
 * log read alone opens that step too. The action is `owner/repo[/path]@ref` from the path under `_actions/` (a ref
 * holding `/` is read as ref + path: the path does not say which). Else null.
 */
const CONTAINER_BUILD_TITLE = "Build container for action use: '";
const CONTAINER_BUILD = /^Build container for action use: '[^']*\/_actions\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/([^/']+)\/(?:([^']*)\/)?Dockerfile'\.?$/;
export function containerBuildStep(rest: string): { name: string; uses: string } | null {
  const m = CONTAINER_BUILD.exec(rest.trim());
  if (!m) return null;
  const uses = `${m[1]}/${m[2]}${m[4] ? `/${m[4]}` : ''}@${m[3]}`;
  return { name: `Build ${uses}`, uses };
}

export interface StepStart {
  number: number;
  name: string;
  uses: string | null;
}

/** What a line means for step boundaries: a StepStart when it opens a new step, else null. */
export function stepOpenedBy(
  plain: string,
  marker: LogMarker | null,
  rest: string | null,
): Omit<StepStart, 'number'> | null {
  if (marker === 'group' && rest !== null) {
    if (rest.startsWith('Run ')) return { name: rest, uses: usesFromTitle(rest.slice(4)) };
    if (rest.startsWith('Post Run ')) return { name: rest, uses: usesFromTitle(rest.slice(9)) };
    // opened on the title's start alone: finalize's step assigner sees only a line's first 96 characters
    if (rest.startsWith(CONTAINER_BUILD_TITLE)) return containerBuildStep(rest) ?? { name: rest.trim(), uses: null };
    return null;
  }
  if (marker === null) {
    if (plain === 'Post job cleanup.') return { name: plain, uses: null };
    if (plain === 'Cleaning up orphan processes') return { name: 'Complete job', uses: null };
  }
  return null;
}

export const START_ACTION = '##[start-action ';
export const END_ACTION = '##[end-action ';

/** +1 for the runner's `##[start-action …]` line, -1 for its `##[end-action …]` line, else 0. */
export function actionMark(plain: string, marker: LogMarker | null): 1 | -1 | 0 {
  if (marker !== null || !plain.startsWith('##[')) return 0;
  if (plain.startsWith(START_ACTION)) return 1;
  if (plain.startsWith(END_ACTION)) return -1;
  return 0;
}

export class GroupStepTracker {
  private current: StepStart | null = null;
  /** Composite actions' inner steps open now (`##[start-action` minus `##[end-action` since the step opened). */
  private inner = 0;

  /** Composite actions' inner steps open after the last line fed (0: the step's own level). */
  get innerDepth(): number {
    return this.inner;
  }

  /** Feed the next line of the file; returns the step it belongs to and whether it opened that step. */
  feed(plain: string, marker: LogMarker | null, rest: string | null): { step: StepStart; opened: boolean } {
    const mark = actionMark(plain, marker);
    if (mark !== 0) this.inner = Math.max(0, this.inner + mark);
    // inside an inner step of a composite action, its `##[group]Run …` belongs to the composite's step
    const open = this.inner > 0 && marker === 'group' ? null : stepOpenedBy(plain, marker, rest);
    if (open) this.inner = 0;
    if (open && this.current) {
      this.current = { number: this.current.number + 1, ...open };
      return { step: this.current, opened: true };
    }
    if (!this.current) {
      // First line of the file: step 1 `Set up job`, unless the file starts right away with a step line.
      this.current = open ? { number: 1, ...open } : { number: 1, name: 'Set up job', uses: null };
      return { step: this.current, opened: true };
    }
    return { step: this.current, opened: false };
  }
}
