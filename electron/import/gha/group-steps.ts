/**
 * Steps read from a whole-job log (no manifest steps, no step files), per the bundle spec:
 * - the lines before the first `##[group]Run …` form step 1, `Set up job`;
 * - each `##[group]Run X` line opens the next step, named `Run X`, whose `uses` is X when X looks like an action
 *   reference (`owner/repo@ref`, `owner/repo/path@ref`, `docker://image`);
 * beyond the spec, following what GitHub writes at the end of a job:
 * - a `##[group]Post Run X` line opens a step `Post Run X` (same `uses` rule);
 * - a `Post job cleanup.` line (how every post step of an action begins) opens a step of that name;
 * - a `Cleaning up orphan processes` line (how GitHub's `Complete job` step begins) opens `Complete job`.
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
    return null;
  }
  if (marker === null) {
    if (plain === 'Post job cleanup.') return { name: plain, uses: null };
    if (plain === 'Cleaning up orphan processes') return { name: 'Complete job', uses: null };
  }
  return null;
}

export class GroupStepTracker {
  private current: StepStart | null = null;

  /** Feed the next line of the file; returns the step it belongs to and whether it opened that step. */
  feed(plain: string, marker: LogMarker | null, rest: string | null): { step: StepStart; opened: boolean } {
    const open = stepOpenedBy(plain, marker, rest);
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
