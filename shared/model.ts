/**
 * Normalized records: what every importer emits, whatever its source format. Times are nanoseconds (bigint).
 * `line` is the 1-based line in the source file where the record starts (null where no line applies) and `raw`
 * the record's source text, kept so the investigator can always see exactly what the evidence said.
 */
import type { Nanos } from './time';

export interface Provenance {
  line: number | null;
  /** Last physical line of a record that spans several (a multi-line CSV row, a continued log line). */
  line_end?: number | null;
  raw: string;
}

export interface RunInfo {
  repository?: string;
  workflow?: string;
  workflow_path?: string;
  run_id?: number | string;
  run_attempt?: number;
  job?: string;
  job_id?: number | string;
  head_sha?: string;
  ref?: string;
  event?: string;
  runner?: { os?: string; image?: string; name?: string };
  started_at?: string;
  completed_at?: string;
  producer?: { name?: string; version?: string };
  [extra: string]: unknown;
}

export interface Policy {
  egress_policy: 'audit' | 'block' | string;
  allowed_endpoints: string[];
  /** Where the policy came from: manifest, harden-runner config, … */
  origin?: string;
}

export interface StepRecord extends Provenance {
  job: string;
  number: number;
  name: string;
  uses: string | null;
  started_at: Nanos | null;
  completed_at: Nanos | null;
  conclusion: string | null;
  /** manifest beats step files beats `##[group]Run` lines, per job. */
  origin: 'manifest' | 'files' | 'groups';
}

export type LogMarker =
  | 'group'
  | 'endgroup'
  | 'error'
  | 'warning'
  | 'notice'
  | 'debug'
  | 'command'
  | 'section';

export interface LogLineRecord extends Provenance {
  job: string;
  /** Step number when the file says it (a step file); null when it comes from a job-level file. */
  step_number: number | null;
  /** Order of the line within its file (0-based), used to keep untimed lines in order. */
  seq: number;
  ts: Nanos | null;
  /** Text with ANSI kept, timestamp prefix removed, continuation lines joined with '\n'. `raw` is the same. */
  text: string;
  /** Text with every ANSI / control sequence stripped. */
  plain: string;
  marker: LogMarker | null;
  /** Last physical line of the record (continuation lines), 1-based. */
  line_end: number | null;
  /** 'step' for `<job>/<n>_<step>.txt`, 'job' for `<n>_<job>.txt`, 'system' for `<job>/system.txt`, 'prep' for the
   * negative-index preparation log `-<n>_<job>.txt`, 'single' for a lone log file. */
  file_kind: 'step' | 'job' | 'single' | 'system' | 'prep';
}

export interface ProcessEventRecord extends Provenance {
  ts: Nanos;
  event: 'exec' | 'exit';
  pid: number;
  ppid?: number | null;
  exe?: string | null;
  args?: string[] | null;
  cwd?: string | null;
  uid?: number | null;
  exit_code?: number | null;
  /** Producer-given identity (Tetragon exec_id, Tracee entity id): preferred over pid+time when both sides have it. */
  key?: string | null;
  parent_key?: string | null;
  /** 'events' for exec/exit event streams, 'table' for a row of a process table (start/end). */
  origin: 'events' | 'table';
}

export interface HttpInfo {
  method?: string | null;
  host?: string | null;
  path?: string | null;
  status_code?: number | null;
}

export interface NetworkRecord extends Provenance {
  ts: Nanos;
  pid: number | null;
  process: string | null;
  domain: string | null;
  ip: string | null;
  port: number;
  /** `tcp`, `udp`, …; '' when the source does not say (no protocol is asserted for it). */
  protocol: 'tcp' | 'udp' | string;
  status: 'allowed' | 'blocked' | string;
  http: HttpInfo | null;
  policy: { matched?: string; reason?: string } | null;
  tool: { name?: string; sha256?: string } | null;
  /** Producer's extra view of the calling process when it has no process events (Bullfrog commandLine, …). */
  command_line?: string | null;
  exe?: string | null;
}

export interface DnsRecord extends Provenance {
  ts: Nanos;
  domain: string;
  type: string | null;
  answers: string[];
  pid: number | null;
}

export type FileOp = 'write' | 'overwrite' | 'delete' | 'chmod' | 'read' | string;

export interface FileEventRecord extends Provenance {
  ts: Nanos;
  pid: number | null;
  exe: string | null;
  path: string;
  op: FileOp;
  sha256: string | null;
}

export interface DetectionRecord extends Provenance {
  det_id: string | null;
  kind: string;
  severity: string | null;
  title: string | null;
  ts: Nanos | null;
  endpoint: string | null;
  pid: number | null;
}

export interface ImportWarning {
  /** Display name of the file (input path, or `archive!/member`); null for the import as a whole. */
  file: string | null;
  line: number | null;
  message: string;
}
