/**
 * The one interface every local detection implements. A rule looks at what the case holds (through
 * `DetectionInput`, read after the process, network and step passes of the analysis) and returns hits; the runner
 * (index.ts) turns each hit into a finding (origin `viewer`, `rule` = the rule's id) with its evidence rows.
 * Recipe for a new finding kind: docs/architecture.md ("New finding kind").
 */
import type { CasePolicy } from '../case-context';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Evidence tables a finding may point into (all keep source_id + line + raw). */
export type EvidenceTable = 'network' | 'processes' | 'log_lines' | 'file_events' | 'dns' | 'detections';
export interface EvidenceRef {
  table: EvidenceTable;
  id: number;
}

export interface Hit {
  /** Default: the rule's kind. */
  kind?: string;
  /** Default: the rule's severity. */
  severity?: Severity;
  title: string;
  endpoint?: string | null;
  processId?: number | null;
  stepId?: number | null;
  first: bigint | null;
  last?: bigint | null;
  /** At least one row; the first is what selecting the finding selects. */
  evidence: EvidenceRef[];
}

export interface ProcessView {
  id: number;
  pid: number;
  exe: string | null;
  args: string[];
  /** exe base name (or argv[0]'s). */
  name: string;
  /** The arguments joined by spaces (what a shell would have run). */
  cmd: string;
  start: bigint | null;
  stepId: number | null;
  isWorker: boolean;
}

export interface CallView {
  id: number;
  ts: bigint;
  endpoint: string | null;
  domain: string | null;
  ip: string | null;
  port: number;
  httpMethod: string | null;
  httpPath: string | null;
  toolSha256: string | null;
  verdict: string | null;
  processId: number | null;
  stepId: number | null;
}

export interface FileView {
  id: number;
  ts: bigint;
  path: string;
  op: string;
  sha256: string | null;
  processId: number | null;
  exe: string | null;
  sourceId: number | null;
  line: number | null;
}

export interface LogView {
  id: number;
  ts: bigint | null;
  stepId: number | null;
  text: string;
}

export interface StepView {
  id: number;
  number: number;
  name: string;
  uses: string | null;
  start: bigint | null;
  end: bigint | null;
}

export interface DetectionInput {
  policy: CasePolicy | null;
  steps: readonly StepView[];
  /** Every process (each one's args parsed: on a big case, prefer the narrower reads below). */
  processes(): readonly ProcessView[];
  /**
   * The processes whose command line (`cmd`) contains at least one of `needles` (exact, case-sensitive substrings;
   * '' = every process), in id order: `processes()` filtered so, with only the few candidates' args parsed.
   */
  processesWith(needles: readonly string[]): readonly ProcessView[];
  /** The processes whose `name` is exactly `name`, in id order. */
  processesNamed(name: string): readonly ProcessView[];
  /** The runner's worker processes (`isWorker`), in id order. */
  workers(): readonly ProcessView[];
  calls(): readonly CallView[];
  /** Only the calls outside the allow-list (a filter in SQL: most calls of a big case are allowed). */
  outsideCalls(): readonly CallView[];
  files(): readonly FileView[];
  /**
   * Log lines whose plain text contains at least one of `needles` (exact, case-sensitive substrings; '' = every
   * line) and passes `keep`. Lines are streamed and only the kept ones held.
   */
  logLinesWith(needles: readonly string[], keep?: (text: string) => boolean): LogView[];
  /** DNS resolutions: id, time, domain, answers. */
  resolutions(): readonly { id: number; ts: bigint; domain: string; answers: string[]; processId: number | null }[];
  stepOf(processId: number | null): number | null;
}

/** One `logLinesWith(needles, keep)` call a rule makes (see `DetectionRule.logScans`). */
export interface LogScan {
  needles: readonly string[];
  /** The very function the rule passes as `keep` (the import tests it on lines holding a needle). */
  keep?: (text: string) => boolean;
}

export interface DetectionRule {
  id: string;
  kind: string;
  severity: Severity;
  /** One line: what it detects (docs, `runlens findings --help`). */
  describe: string;
  /**
   * The literal substrings this rule's log lines contain (as it passes them to `logLinesWith`): the runner reads
   * the log once for every rule's needles together instead of once per rule.
   */
  logNeedles?: readonly string[];
  /**
   * Further `logLinesWith` calls of the rule that pass a `keep` the import may apply too (e.g. `://` lines only when
   * they may hold a password): declared, the lines they select are found while the log is written, not by a scan.
   */
  logScans?: readonly LogScan[];
  /**
   * The needles this rule passes to `processesWith` / `processesNamed`: the input finds the processes that may hold
   * any rule's needle in one pass over the processes, and each rule's call then looks at those few only.
   */
  processNeedles?: readonly string[];
  run(input: DetectionInput): Hit[];
}
