/**
 * Attribution (bundle-format.md, "Attribution, findings and endpoints"). The runner's worker is the nearest
 * ancestor whose exe (or argv[0]) is `Runner.Worker`; the step's entry process is the worker's child in the chain.
 * - A process's step: the step whose window holds its entry's start; when its chain does not reach a worker, the
 *   step whose window holds its own start (a fallback kept apart in `entryStepId === null`).
 * - A call's step: its process's entry step; when the chain does not reach the worker, the step holding the call.
 * - A call's running step: the step whose window holds the call.
 */
import type { Proc } from './process-model';
import type { StepIndex } from './step-index';

/** Sets entry, entryStepId and stepId on every instance. `procs` may be in any order. */
export function attributeProcesses(procs: readonly Proc[], steps: StepIndex): void {
  // parents before children: by depth (a parent is one level up), bucketed rather than sorted (no O(n log n) sort of
  // 100k instances); the order within a depth does not matter, each instance reads only its parent
  const byDepth: Proc[][] = [];
  for (const p of procs) (byDepth[p.depth] ??= []).push(p);
  for (const level of byDepth) {
    if (!level) continue;
    for (const p of level) {
      const parent = p.parent;
      if (p.isWorker || !parent) p.entry = null;
      else if (parent.isWorker) p.entry = p;
      else p.entry = parent.entry;
      // an entry's descendants share its step: looked up once per entry (the entry, an ancestor, came first)
      p.entryStepId = p.entry === null ? null : p.entry === p ? steps.at(p.start ?? p.end) : p.entry.entryStepId;
      p.stepId = p.entry ? p.entryStepId : steps.at(p.start ?? p.end);
    }
  }
}

/** The step a call made at `ts` by `proc` (null when unknown) belongs to. */
export function callStep(proc: Proc | null, ts: bigint, steps: StepIndex): number | null {
  if (proc && proc.entry) return proc.entryStepId;
  return steps.at(ts);
}
