/**
 * The comparison of a case with baseline runs (`runlens compare`, `compare.run`): what is new, gone or changed in
 * the case against the union of the baselines (seen in any baseline = known). Plain JSON; every list sorted, so
 * the same cases always give the same document (it holds no time of its own).
 */

export interface RunRef {
  /** The case file compared. */
  file: string;
  /** `repository`, `run_id`, `run_attempt`, `job`, … from the case's meta.run (null: none known). */
  run: Record<string, unknown> | null;
  /** The case's top-level inputs with their hashes: the comparison is reproducible from these alone. */
  inputs: { path: string; sha256: string; bytes: number }[];
}

export interface EndpointNew {
  endpoint: string;
  calls: number;
  first_seen: string | null;
  /** ids of the calls in the case's `network` table. */
  call_ids: number[];
  steps: string[];
  processes: string[];
}
export interface EndpointGone {
  endpoint: string;
  /** Number of baselines that called it. */
  baselines: number;
  baseline_calls: number;
}

/** Called / run before, but now (also) from a step in which no baseline did. */
export interface MovedToStep {
  /** Steps (labels `job #n name`) of the case in which no baseline run did it. */
  steps: string[];
  /** Steps in which the baselines did it. */
  baseline_steps: string[];
}
export interface EndpointChanged extends MovedToStep {
  endpoint: string;
  calls: number;
}

export interface ProcessShape {
  exe: string;
  /** The arguments with what varies from run to run (numbers, hashes, uuids, temp names) replaced by <n>, <hex>, <uuid>. */
  args_shape: string[];
}
export interface ProcessNew extends ProcessShape {
  count: number;
  pids: number[];
  /** Process ids in the case's `processes` table. */
  process_ids: number[];
  steps: string[];
}
export interface ProcessGone extends ProcessShape {
  baselines: number;
}
export interface ProcessChanged extends ProcessShape, MovedToStep {
  count: number;
  process_ids: number[];
}

export interface StepRef2 {
  job: string;
  /** The step's name with an action's @ref left out (a new commit is an action change, not a new step). */
  name: string;
  number: number | null;
}
export interface StepChanged extends StepRef2 {
  field: 'conclusion';
  value: string | null;
  baseline_values: (string | null)[];
}

export interface ActionNew {
  action: string;
  refs: string[];
  steps: string[];
}
export interface ActionGone {
  action: string;
  baseline_refs: string[];
}
export interface ActionChanged {
  action: string;
  /** Refs (commits) the case used that no baseline used. */
  refs: string[];
  baseline_refs: string[];
  steps: string[];
}

export interface Comparison {
  case: RunRef;
  baselines: RunRef[];
  /** changed: called from a step (by job and name) from which no baseline called it. */
  endpoints: { new: EndpointNew[]; gone: EndpointGone[]; changed: EndpointChanged[] };
  /** changed: run in a step (by job and name) in which no baseline ran it. */
  processes: { new: ProcessNew[]; gone: ProcessGone[]; changed: ProcessChanged[] };
  steps: { new: StepRef2[]; gone: StepRef2[]; changed: StepChanged[] };
  actions: { new: ActionNew[]; gone: ActionGone[]; changed: ActionChanged[] };
}

/** The finding kind for calls to an endpoint that no baseline run called. */
export const NEW_ENDPOINT_KIND = 'new-endpoint-vs-baseline';
