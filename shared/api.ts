/**
 * The one API contract: method name -> params schema (validated at every boundary) -> result type.
 * Every call names its case in the call itself, never in a method's params: a transport moves
 * `{ case, method, params }`. Two tables, each declared once here:
 *   - `methods` (+ `Results`): case methods, answered from the case the call names (`case` = a case id);
 *   - `appMethods` (+ `AppResults`): case-less methods (`case` = null): the cases list, opening a known case,
 *     import jobs.
 * The Electron preload bridge and `runlens serve` move exactly these calls; the renderer calls them through
 * `createClient(transport, caseId)` / `createAppClient(transport)` and never knows which transport it runs on.
 * Times are RFC 3339 strings (9 digits, Z).
 */
import { z } from 'zod';
import type { Comparison } from './compare';
import { ApiError, noteVerdicts, type Call, type NoteVerdict } from './api-client';

// ---------- result shapes ----------
export interface StepRef {
  id: number;
  job: string;
  number: number;
  name: string;
  uses: string | null;
}
export interface StepOut extends StepRef {
  started_at: string | null;
  completed_at: string | null;
  conclusion: string | null;
  log_lines: number;
}
export interface ProcessRef {
  id: number;
  pid: number;
  exe: string | null;
  args: string[];
}
export interface ProcessOut extends ProcessRef {
  ppid: number | null;
  parent_id: number | null;
  cwd: string | null;
  uid: number | null;
  start: string | null;
  end: string | null;
  exit_code: number | null;
  step: StepRef | null;
  root_reason: string | null;
}
export interface LogRef {
  id: number;
  ts: string | null;
  step: number | null;
  text: string;
}
export interface HttpOut {
  method: string | null;
  host: string | null;
  path: string | null;
  status_code: number | null;
}
export interface SourceRef {
  file: string;
  line: number | null;
}
export type Verdict = 'allowed' | 'outside-policy' | 'blocked' | 'no-policy';

export interface NetworkRow {
  id: number;
  ts: string;
  pid: number | null;
  process_id: number | null;
  process_name: string | null;
  domain: string | null;
  /** Where the domain comes from: the record itself, or a DNS answer for the IP (derived). */
  domain_origin?: string | null;
  ip: string | null;
  port: number;
  protocol: string;
  status: string;
  endpoint: string;
  http_method: string | null;
  http_path: string | null;
  http_status: number | null;
  verdict: Verdict;
  finding_id: number | null;
  finding_kind: string | null;
  step_number: number | null;
  running_step_number: number | null;
}

/** Everything `runlens explain` says about one call, plus ids for the app. */
export interface CallExplanation {
  id: number;
  ts: string;
  domain: string | null;
  /** Where the domain comes from: the record itself, or a DNS answer for the IP (derived). */
  domain_origin?: string | null;
  ip: string | null;
  port: number;
  endpoint: string;
  protocol: string;
  status: string;
  verdict: Verdict;
  policy: { matched: string | null; reason: string | null; allowed_by: string | null } | null;
  http: HttpOut | null;
  tool: { name: string | null; sha256: string | null } | null;
  pid: number | null;
  process_name: string | null;
  process: (ProcessRef & { cwd: string | null; start: string | null; end: string | null }) | null;
  /** Nearest parent first. */
  ancestors: ProcessRef[];
  step: StepRef | null;
  running_step: StepRef | null;
  finding: { id: number; kind: string; kinds: string[]; severity: string } | null;
  log_context: LogRef[];
  log_mentions: LogRef[];
  source: SourceRef;
}

/** Tables a finding's evidence rows live in (all keep source file, line and raw text). */
export type EvidenceTable = 'network' | 'processes' | 'log_lines' | 'file_events' | 'dns' | 'detections';
/** One evidence row of a finding, with where it came from. `text`: a one-line summary (secrets masked). */
export interface EvidenceOut {
  table: EvidenceTable;
  id: number;
  ts: string | null;
  file: string | null;
  line: number | null;
  text: string;
  /** The process of this row, when it has one (a file event's, a call's). */
  process_id: number | null;
}
/** What selecting a finding selects in every pane (the first evidence row that a pane can show). */
export interface SelectionRef {
  kind: 'call' | 'process' | 'log';
  id: number;
}
/** One finding merged into a listed row: who raised it and what they said. */
export interface FindingSource {
  id: number;
  origin: 'viewer' | 'producer';
  /** "Runlens", "Runlens (rules file)", "producer det-0002", "producer (harden-runner-agent-log)". */
  by: string;
  kind: string;
  severity: string;
  title: string | null;
  rule: string | null;
  detection_id: string | null;
}
export interface FindingOut {
  /** Id of the row's primary finding (the most severe of those merged). */
  id: number;
  kind: string;
  kinds: string[];
  severity: string;
  origin: 'viewer' | 'producer';
  title: string | null;
  endpoint: string | null;
  calls: number;
  first_seen: string | null;
  last_seen: string | null;
  processes: { id: number; pid: number; exe: string | null }[];
  steps: { id: number; number: number; name: string }[];
  detection_id: string | null;
  /** The local rule of the primary finding (null: the allow-list finding or a producer detection). */
  rule: string | null;
  /** Who raised it: every distinct `by` of `sources`. */
  by: string[];
  /** Every finding merged into this row (same endpoint; or same process / same source line), primary first. */
  sources: FindingSource[];
  target: SelectionRef | null;
  /** The first evidence rows (at most 50), and how many there are. */
  evidence: EvidenceOut[];
  evidence_total: number;
}

// ---------- notes, bookmarks and the action log (kept in the case's sidecar, never in the case) ----------
// The verdicts, the envelope, calls, ApiError and the clients live in api-client.ts (no zod: the page loads it).
export { ApiError, createAppClient, createClient, noteVerdicts, type Call, type Envelope, type NoteVerdict, type Transport } from './api-client';
export const noteTargetKinds = ['call', 'process', 'log', 'step', 'range', 'finding'] as const;
/** What a note is about: a row of the case (`id`), or a time range (`start`/`end`, RFC 3339). */
export interface NoteTarget {
  kind: (typeof noteTargetKinds)[number];
  id?: number;
  start?: string;
  end?: string;
}
export interface NoteOut {
  id: number;
  target: NoteTarget;
  /** What the target was when the note was made (secrets masked). */
  label: string | null;
  verdict: NoteVerdict | null;
  text: string;
  created_at: string;
  updated_at: string;
}
/** A note with the moment of its target (resolved in the query layer), for the timeline's note markers. */
export interface NoteMark {
  id: number;
  target: NoteTarget;
  verdict: NoteVerdict | null;
  label: string | null;
  text: string;
  /** The target's time: a call's, a process's start, a log line's, a step's start, a finding's first call, a range's start. */
  ts: string | null;
  /** What clicking the marker selects (a finding: its first call); null for a step or a range (their moment). */
  select: SelectionRef | null;
}
export const recordableActions = ['select-finding', 'reveal-secrets', 'hide-secrets', 'export-report'] as const;
export interface ActionOut {
  id: number;
  at: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface CaseInfo {
  title: string;
  case_file: string;
  run: Record<string, unknown> | null;
  policy: { egress_policy: string; allowed_endpoints: string[]; origin?: string } | null;
  counts: {
    network: number;
    dns: number;
    processes: number;
    process_events: number;
    log_lines: number;
    steps: number;
    files: number;
    findings: number;
  };
  /**
   * `offset_seconds`: the clock offset in force for the input's times (for a folder or archive: its members' when
   * they all share one). `id`: the input's source id, for `case.reoffset` (added by the clock-offsets task).
   */
  inputs: { id: number; path: string; sha256: string; bytes: number; format: string | null; offset_seconds: number }[];
  /** Every input and every file read inside one (those with a format), with the offset in force for its times. */
  sources: CaseSource[];
  warnings: { file: string | null; line: number | null; message: string }[];
  /** Earliest and latest time of any event, log line or step. */
  time_range: { start: string; end: string } | null;
  jobs: string[];
  /** How far the import that builds this case is (`case.status` says more): 'complete' for every finished case. */
  import_state: CaseImportState;
}

/**
 * First screen first: a case is readable while its import goes on. 'loading': rows still arriving (no indexes,
 * full-text search or analysis yet); 'analysing': every row loaded, indexes, search, attribution and findings being
 * built; 'complete'; 'interrupted': the import stopped (cancelled, failed, killed) before the case was complete —
 * nothing of it is kept and its calls are refused.
 */
export type CaseImportState = 'loading' | 'analysing' | 'complete' | 'interrupted';

/** `case.status`: cheap enough to poll while an import runs. */
export interface CaseStatus {
  import_state: CaseImportState;
  /** Rows so far (for a complete case: all of them). */
  log_lines: number;
  calls: number;
  /** The job building the case, while it runs here. */
  job: { id: string; phase: string | null; fraction: number | null } | null;
  /** Why an interrupted case is incomplete; what is not ready yet while importing. */
  message: string | null;
}

/** A source of the case: an input, or a file read inside one (`parent_id` -> the input or archive holding it). */
export interface CaseSource {
  id: number;
  parent_id: number | null;
  path: string;
  /** Path inside the input (NULL for an input itself). */
  member: string | null;
  /** The importer that read it (NULL: a folder or archive). */
  format: string | null;
  /** Clock offset in force: added to every time of this source's records (0 when none). */
  offset_seconds: number;
  /** What was read from it and what became of it (files an importer read; null otherwise). lines = stored + skipped. */
  accounting?: SourceAccounting | null;
}

/** Per file: physical lines read, records stored, the lines they cover, lines skipped and why ({reason: lines}). */
export interface SourceAccounting {
  bytes: number;
  lines: number;
  records: number;
  lines_stored: number;
  lines_skipped: number;
  skipped: Record<string, number>;
}

export interface LogRow {
  index: number;
  id: number;
  job: string;
  ts: string | null;
  step_id: number | null;
  step_number: number | null;
  raw: string;
  marker: string | null;
  depth: number;
}

// ---------- workbench lists (process list, DNS, file events) ----------
export interface ProcessListRow {
  id: number;
  pid: number;
  ppid: number | null;
  parent_id: number | null;
  name: string;
  exe: string | null;
  args: string[];
  start: string | null;
  end: string | null;
  lifetime_ms: number | null;
  exit_code: number | null;
  step_number: number | null;
  step_name: string | null;
  calls: number;
  findings: number;
}
export interface DnsRow {
  id: number;
  ts: string;
  domain: string;
  type: string | null;
  answers: string[];
  pid: number | null;
  process_id: number | null;
  /** Calls to this domain, and those among them whose domain was derived from this resolution's answers. */
  calls: number;
  named_calls: number;
}
export interface FileEventRow {
  id: number;
  ts: string;
  pid: number | null;
  process_id: number | null;
  exe: string | null;
  path: string;
  op: string;
  sha256: string | null;
}

// ---------- mentioned in the log (log_mentions: what the log SAYS, never an observed call) ----------
/** A step whose log lines mention a host: how many lines, and the first of them (reading order). */
export interface MentionStep {
  /** Null: lines outside any step (the runner's own, preparation). */
  step_id: number | null;
  step_number: number | null;
  step_name: string | null;
  lines: number;
  first_line_id: number;
}
/** One host or IP address written in log lines (URLs counted under their host). */
export interface MentionRow {
  host: string;
  /** How it was written: 'host', 'url', 'ip' (distinct, sorted). */
  kinds: string[];
  /** Mentions (one line may mention a host twice, e.g. two URLs) and distinct lines. */
  mentions: number;
  lines: number;
  first_line_id: number;
  first_ts: string | null;
  /** The steps whose lines mention it, in reading order (at most 50; `step_count` says how many in all). */
  steps: MentionStep[];
  step_count: number;
}

// ---------- timeline and process tree (added by the timeline/process-tree task) ----------
/** Event kinds the timeline counts per time bucket. */
export const timelineSeries = ['network', 'findings', 'exec', 'exit', 'files', 'logs', 'dns'] as const;
export type TimelineSeries = (typeof timelineSeries)[number];
/** Sparse counts: bucket `b[i]` (0-based from `start`, each 2^bucket_log2 ns wide) holds `n[i]` events. */
export interface DensitySeries {
  b: number[];
  n: number[];
}
export interface TimelineDensity {
  start: string;
  bucket_log2: number;
  buckets: number;
  series: Partial<Record<TimelineSeries, DensitySeries>>;
}
export interface TimelineStep {
  id: number;
  job: string;
  number: number;
  name: string;
  uses: string | null;
  start: string | null;
  end: string | null;
  conclusion: string | null;
}
export interface TimelineFinding {
  id: number;
  kind: string;
  severity: string;
  endpoint: string | null;
  title: string | null;
  calls: number;
  first_seen: string | null;
  last_seen: string | null;
  /** The finding's earliest call (null for a producer detection without a call). */
  first_call_id: number | null;
}
export interface TimelineOverview {
  /** Earliest and latest time of any event, log line or step; null for an empty case. */
  range: { start: string; end: string } | null;
  steps: TimelineStep[];
  findings: TimelineFinding[];
}
export interface ProcessCall {
  id: number;
  ts: string;
  finding_id: number | null;
}
export interface ProcessTreeNode {
  id: number;
  pid: number;
  /** Executable base name (or the first arg, or the exe path) for the label. */
  name: string;
  exe: string | null;
  parent_id: number | null;
  start: string | null;
  end: string | null;
  step_number: number | null;
  depth: number;
  /** Direct children in the case. */
  child_count: number;
  /** Every process below this one. */
  descendants: number;
  calls: number;
  findings: number;
  /** Calls / finding calls of this process and everything below it. */
  subtree_calls: number;
  subtree_findings: number;
  /** Null when collapsed; when expanded, the ids of the children returned (see `hidden_children`). */
  children: number[] | null;
  /** Children of an expanded node left out by `child_limit` (shown as "+N"). */
  hidden_children: number;
}
export interface ProcessTree {
  /** Processes in the case. */
  total: number;
  roots: number[];
  /** Roots left out by `child_limit`. */
  hidden_roots: number;
  /** Every node reachable through `roots` and expanded `children`: what the tree shows. */
  nodes: ProcessTreeNode[];
  /** The expansion actually used (the request's, plus the automatic policy's, plus revealed chains). */
  expanded: number[];
  /** Ancestor chain of the first `reveal` id, root first, ending with that id ([] when none). */
  chain: number[];
}

// ---------- browser pane: log outline and import (added by the browser-pane task) ----------
/** A step's lines in the build log: indexes (reading order) of its first and last line. */
export interface LogStepSpan {
  step_id: number;
  job: string;
  number: number;
  name: string;
  first: number;
  last: number;
}
/** A `##[group]` in the build log: the header line's index and the index of its last line (its `##[endgroup]`). */
export interface LogGroup {
  start: number;
  end: number;
  depth: number;
}
export interface LogOutline {
  total: number;
  steps: LogStepSpan[];
  groups: LogGroup[];
  /** True when `groups` was cut at its cap (the rest cannot be folded). */
  groups_truncated: boolean;
}
export type ImportState = 'running' | 'done' | 'failed' | 'cancelled';
export interface ImportStatus {
  job: string;
  state: ImportState;
  /** What the importer is doing now (reading, analysing, indexing …), as it reports it. */
  phase: string | null;
  /** Progress fraction 0..1 when known. */
  fraction: number | null;
  message: string | null;
  /** The new case, when done (its file, and its id for calls and the page URL). No open page changes by itself. */
  case_file: string | null;
  /**
   * The new case's id: set as soon as the case being built is readable (first screen first: `case_state`
   * 'loading' or 'analysing'; calls on it answer from the partial case, `case.status` says how far it is), and the
   * same id names the complete case when done.
   */
  case_id: string | null;
  case_state: CaseImportState | null;
  warnings: number;
  error: string | null;
}

// ---------- params ----------
const id = z.number().int().nonnegative();
const time = z.string().max(40);
export const networkFilter = z
  .object({
    findingsOnly: z.boolean().optional(),
    search: z.string().max(500).optional(),
    /** An expression of the filter language (shared/filter.ts). */
    expr: z.string().max(2000).optional(),
    processId: id.optional(),
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
export type NetworkFilter = z.infer<typeof networkFilter>;
export const networkSort = z.enum(['ts', 'process', 'domain', 'endpoint', 'http', 'status', 'finding']);

export const methods = {
  'case.info': { params: z.object({}).strict() },
  /** How far the case's import is (CaseStatus); cheap: poll it while the case is not complete. */
  'case.status': { params: z.object({}).strict() },
  'steps.list': { params: z.object({}).strict() },
  'findings.list': { params: z.object({}).strict() },
  'network.query': {
    params: z
      .object({
        filter: networkFilter.default({}),
        sort: networkSort.default('ts'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().positive().max(1000).default(200),
      })
      .strict(),
  },
  /** Position of a call in the filtered, sorted list (-1 when filtered out): lets the table scroll to it. */
  'network.indexOf': {
    params: z
      .object({ id, filter: networkFilter.default({}), sort: networkSort.default('ts'), dir: z.enum(['asc', 'desc']).default('asc') })
      .strict(),
  },
  'network.explain': { params: z.object({ id, window_seconds: z.number().positive().max(3600).default(5), limit: z.number().int().positive().max(5000).default(200) }).strict() },
  'log.window': { params: z.object({ offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(2000) }).strict() },
  /** Index of the first log line at or after `ts` (the line before when none is after). */
  'log.indexAt': { params: z.object({ ts: time }).strict() },
  'log.indexOfId': { params: z.object({ id }).strict() },
  /** Next (or previous) line index matching `query` (case-insensitive substring of the plain text), from `from`. */
  'log.search': {
    params: z.object({ query: z.string().min(1).max(500), from: z.number().int().min(-1), direction: z.enum(['next', 'prev']) }).strict(),
  },
  /** The log lines matching a filter expression (shared/filter.ts), `offset`/`limit` over the matches. */
  'log.filter': {
    params: z
      .object({ expr: z.string().max(2000), from: time.optional(), to: time.optional(), offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(2000) })
      .strict(),
  },
  /** Next (or previous) line index matching a filter expression, from `from` (-1: from the start). */
  'log.match': {
    params: z.object({ expr: z.string().min(1).max(2000), from: z.number().int().min(-1), direction: z.enum(['next', 'prev']) }).strict(),
  },
  /** A flat, sortable list of the processes with lifetimes, steps and call counts (the workbench's process list). */
  'process.list': {
    params: z
      .object({
        search: z.string().max(200).optional(),
        /** Processes started in this time range (the timeline's hover and click). */
        from: time.optional(),
        to: time.optional(),
        sort: z.enum(['start', 'pid', 'name', 'lifetime', 'step', 'calls']).default('start'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().positive().max(1000).default(200),
      })
      .strict(),
  },
  /** DNS resolutions in time order, with the calls that carry the domain (and those whose domain they named). */
  'dns.list': {
    params: z.object({ search: z.string().max(200).optional(), offset: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(1000).default(200) }).strict(),
  },
  /** File events in time order. */
  'files.list': {
    params: z.object({ search: z.string().max(200).optional(), offset: z.number().int().nonnegative().default(0), limit: z.number().int().positive().max(1000).default(200) }).strict(),
  },
  /** One read-only SQL statement over the case, at most `limit` rows. */
  'sql.query': { params: z.object({ sql: z.string().min(1).max(20_000), limit: z.number().int().positive().max(5000).default(500) }).strict() },
  /**
   * Hosts and IP addresses written in log lines (`log_mentions`), one row per host: mentions, lines, steps, first
   * line. What the log says, never observed calls. `host`: exactly this host (any case); `search`: a substring;
   * `line`: the hosts one log line mentions.
   */
  'mentions.list': {
    params: z
      .object({
        search: z.string().max(200).optional(),
        host: z.string().max(300).optional(),
        /** Only the hosts this log line mentions. */
        line: id.optional(),
        sort: z.enum(['first', 'host', 'count']).default('first'),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().positive().max(1000).default(200),
      })
      .strict(),
  },
  /**
   * Where in time the calls matching a filter are: counts per bucket (2^bucket_log2 ns wide) from `start`, grouped in
   * SQL (no row leaves the database). The timeline's and the calls table's filter-hit marks.
   */
  'network.density': {
    params: z
      .object({
        filter: networkFilter.default({}),
        start: time,
        bucket_log2: z.number().int().min(0).max(56),
        buckets: z.number().int().positive().max(20000),
      })
      .strict(),
  },
  /** The log lines that mention one host (reading order, at most `limit`): their times for the timeline. */
  'mentions.lines': { params: z.object({ host: z.string().min(1).max(300), limit: z.number().int().positive().max(20000).default(5000) }).strict() },
  /** Index (time order) of the first call of the filtered list at or after `ts`; the last one before it when none. */
  'network.indexAt': { params: z.object({ ts: time, filter: networkFilter.default({}) }).strict() },
  /** Step spans and `##[group]` ranges of the build log, for step headers and folding. */
  'log.outline': { params: z.object({}).strict() },
  /**
   * Apply clock offsets (seconds, the totals to be in force; decimals allowed) to sources of the open case: a new
   * case is built from a copy (the case named by the call is never modified) as an import-like job
   * (`import.status`, `import.cancel`); when done the status names the new case (`case_id`), which the page opens.
   * An offset for an input applies to all its members.
   */
  'case.reoffset': {
    params: z
      .object({
        offsets: z
          .array(z.object({ source_id: id, seconds: z.number().min(-604800).max(604800) }).strict())
          .min(1)
          .max(10000),
      })
      .strict(),
  },
  'process.get': { params: z.object({ id }).strict() },
  /** Notes and bookmarks (the sidecar beside the case; the case itself is never written). */
  'notes.list': { params: z.object({}).strict() },
  'notes.add': {
    params: z
      .object({
        target: z
          .object({ kind: z.enum(noteTargetKinds), id: id.optional(), start: time.optional(), end: time.optional() })
          .strict()
          .refine((t) => (t.kind === 'range' ? t.start !== undefined && t.end !== undefined : t.id !== undefined), {
            message: 'a range needs start and end; anything else an id',
          }),
        verdict: z.enum(noteVerdicts).nullable().default(null),
        text: z.string().max(20000).default(''),
      })
      .strict(),
  },
  'notes.update': {
    params: z.object({ id, verdict: z.enum(noteVerdicts).nullable().optional(), text: z.string().max(20000).optional() }).strict(),
  },
  'notes.delete': { params: z.object({ id }).strict() },
  /** Every note with the moment of its target (the timeline's note markers). */
  'notes.marks': { params: z.object({}).strict() },
  /** Reveal (or mask again) secrets in every answer about this case; recorded in the action log. */
  'secrets.reveal': { params: z.object({ reveal: z.boolean() }).strict() },
  /** The case's report (md, html or json; see electron/report/) as text, for the app's Export; recorded. */
  'report.export': { params: z.object({ format: z.enum(['md', 'html', 'json']) }).strict() },
  /** The action log: what the analyst did, with times (newest first). */
  'actions.list': { params: z.object({ limit: z.number().int().positive().max(10000).default(500) }).strict() },
  /** Record an action the app took for the analyst (notes record their own). */
  'actions.record': {
    params: z
      .object({ action: z.enum(recordableActions), detail: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({}) })
      .strict(),
  },
  'raw.get': { params: z.object({ table: z.enum(['network', 'dns', 'processes', 'process_events', 'file_events', 'log_lines', 'detections', 'steps']), id }).strict() },
  /** Counts per time bucket (2^bucket_log2 ns wide) from `start`, computed in SQL: rows never leave the database. */
  'timeline.density': {
    params: z
      .object({
        start: time,
        bucket_log2: z.number().int().min(0).max(56),
        buckets: z.number().int().positive().max(20000),
        series: z.array(z.enum(timelineSeries)).max(timelineSeries.length).optional(),
      })
      .strict(),
  },
  /** The case's time range, step windows and findings: what the timeline draws besides densities. */
  'timeline.steps': { params: z.object({}).strict() },
  /** Times of one process's calls (for highlighting on the timeline), earliest first. */
  'process.calls': { params: z.object({ id, limit: z.number().int().positive().max(20000).default(5000) }).strict() },
  /**
   * The process tree, incrementally: roots plus the children of every expanded id (at most `child_limit` per node).
   * `auto` adds the default expansion (chains to processes with findings and calls; everything when small);
   * `reveal` adds the ancestor chains of those ids so they are visible.
   */
  'process.tree': {
    params: z
      .object({
        expanded: z.array(id).max(20000).default([]),
        reveal: z.array(id).max(100).default([]),
        auto: z.boolean().default(false),
        child_limit: z.number().int().positive().max(5000).default(200),
      })
      .strict(),
  },
  /**
   * The open case against the baseline runs the host was given (`runlens serve CASE --baseline B…`, or picked in
   * the desktop's File → Compare with Baseline… dialog): never paths from the page. No baseline: comparison null.
   */
  'compare.run': { params: z.object({}).strict() },
} as const;

/** A case's id: what calls and page URLs name it by (the owner maps it to the case file; never a path). */
export const caseIdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'a case id is 24 hex digits');
/** A staged file: an HTTP upload (serve) or a file the user picked or dropped in the desktop app. */
const stagedId = z.string().regex(/^[0-9a-f]{32}$/);

/** Case-less methods: called with `case: null`. */
export const appMethods = {
  /** The cases this host has open or opened recently (the start page's list), newest first. */
  'cases.list': { params: z.object({}).strict() },
  /** Open a case of `cases.list` by its id (reopens a recent case whose file is still there). */
  'cases.open': { params: z.object({ id: caseIdSchema }).strict() },
  /**
   * Import a bundle into the default case location off-thread. `uploads`: ids of staged files (serve: `POST
   * /api/upload`; desktop: files the user picked or dropped, staged by the preload bridge). The renderer never
   * names a local path. When done, `import.status` names the new case; no page switches to it by itself.
   */
  'import.start': { params: z.object({ uploads: z.array(stagedId).min(1).max(1000) }).strict() },
  'import.status': { params: z.object({ job: z.string().max(64) }).strict() },
  'import.cancel': { params: z.object({ job: z.string().max(64) }).strict() },
} as const;

/** Case methods (the call names its case). */
export type MethodName = keyof typeof methods;
/** Case-less methods. */
export type AppMethodName = keyof typeof appMethods;
export type AnyMethodName = MethodName | AppMethodName;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type AppParams<M extends AppMethodName> = z.input<(typeof appMethods)[M]['params']>;
export type ParsedAppParams<M extends AppMethodName> = z.output<(typeof appMethods)[M]['params']>;

export interface ProcessDetails extends ProcessOut {
  children: ProcessRef[];
  ancestors: ProcessRef[];
  calls: NetworkRow[];
  files: { id: number; ts: string; path: string; op: string; sha256: string | null }[];
  /** How many of each there are in all; the lists above hold at most the first few hundred. */
  totals: { children: number; calls: number; files: number };
  /** Findings about this process: the producer's detections and Runlens's local detections (titles masked). */
  findings: { id: number; kind: string; severity: string; title: string | null; by: string }[];
  source: SourceRef;
}

export interface Results {
  'case.info': CaseInfo;
  'case.status': CaseStatus;
  'steps.list': { steps: StepOut[] };
  'findings.list': { findings: FindingOut[]; policy: CaseInfo['policy'] };
  'network.query': { total: number; rows: NetworkRow[] };
  'network.indexOf': { index: number };
  'network.explain': CallExplanation;
  'log.window': { total: number; rows: LogRow[] };
  'log.indexAt': { index: number };
  'log.indexOfId': { index: number };
  'log.search': { index: number; total_matches: number };
  'network.indexAt': { index: number };
  'log.outline': LogOutline;
  'log.filter': { total: number; rows: LogRow[] };
  'process.list': { total: number; rows: ProcessListRow[] };
  'dns.list': { total: number; rows: DnsRow[] };
  'files.list': { total: number; rows: FileEventRow[] };
  'mentions.list': { total: number; rows: MentionRow[] };
  'mentions.lines': { total: number; lines: { id: number; ts: string | null; step_id: number | null }[] };
  'network.density': { start: string; bucket_log2: number; buckets: number; hits: DensitySeries };
  'sql.query': { columns: string[]; rows: (string | number | null)[][]; truncated: boolean };
  'log.match': { index: number; total_matches: number };
  'case.reoffset': { job: string };
  'process.get': ProcessDetails;
  'notes.list': { notes: NoteOut[] };
  'notes.add': NoteOut;
  'notes.update': NoteOut;
  'notes.delete': { deleted: boolean };
  'notes.marks': { marks: NoteMark[] };
  'actions.list': { actions: ActionOut[] };
  'actions.record': { id: number };
  'secrets.reveal': { revealed: boolean };
  'report.export': { filename: string; mime: string; content: string };
  'raw.get': { file: string; line: number | null; raw: string };
  'timeline.density': TimelineDensity;
  'timeline.steps': TimelineOverview;
  'process.calls': { process_id: number; total: number; calls: ProcessCall[] };
  'process.tree': ProcessTree;
  'compare.run': CompareResult;
}

/** `compare.run`: the comparison (null when no baseline is open) and its findings (new-endpoint-vs-baseline). */
export interface CompareResult {
  comparison: Comparison | null;
  findings: FindingOut[];
}

export type Result<M extends MethodName> = Results[M];

/** One case on the start page: what tells two investigations apart. */
export interface CaseSummary {
  id: string;
  title: string;
  case_file: string;
  repo: string | null;
  job: string | null;
  run_id: string | null;
  /** When the run started (else the case's first event), RFC 3339. */
  run_time: string | null;
  inputs: { path: string; sha256: string }[];
  /** Whether the host has it open now (else: a recent case, opened again on demand). */
  open: boolean;
  opened_at: string;
  /**
   * 'importing': its import runs now (the case opens as it is so far); 'incomplete': its import was interrupted
   * (cancelled, failed, or the app stopped) — there is no complete case, and opening it says so.
   */
  state: 'complete' | 'importing' | 'incomplete';
  /** Why it is incomplete (one line), else null. */
  state_note: string | null;
}

export interface AppResults {
  'cases.list': { cases: CaseSummary[] };
  'cases.open': CaseSummary;
  'import.start': { job: string };
  'import.status': ImportStatus;
  'import.cancel': { cancelled: boolean };
}
export type AppResult<M extends AppMethodName> = AppResults[M];


function validate<T>(method: string, schema: z.ZodType<T>, params: unknown): T {
  const r = schema.safeParse(params ?? {});
  if (!r.success) {
    throw new ApiError(`bad params for ${method}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
export const isCaseMethod = (m: unknown): m is MethodName => typeof m === 'string' && has(methods, m);
export const isAppMethod = (m: unknown): m is AppMethodName => typeof m === 'string' && has(appMethods, m);

export function parseParams<M extends MethodName>(method: string, params: unknown): { method: M; params: ParsedParams<M> } {
  if (!isCaseMethod(method)) throw new ApiError(`unknown method: ${method}`);
  return { method: method as M, params: validate(method, methods[method].params as unknown as z.ZodType<ParsedParams<M>>, params) };
}
export function parseAppParams<M extends AppMethodName>(method: string, params: unknown): { method: M; params: ParsedAppParams<M> } {
  if (!isAppMethod(method)) throw new ApiError(`unknown method: ${method}`);
  return { method: method as M, params: validate(method, appMethods[method].params as unknown as z.ZodType<ParsedAppParams<M>>, params) };
}

export type ParsedCall =
  | { kind: 'case'; case: string; method: MethodName; params: unknown }
  | { kind: 'app'; method: AppMethodName; params: unknown };

/**
 * Check a call's shape at a boundary: a known method, a case id exactly when the method needs one. The params are
 * validated by `parseParams` / `parseAppParams` where the call is answered.
 */
export function parseCall(call: unknown): ParsedCall {
  if (!call || typeof call !== 'object') throw new ApiError('a call is { case, method, params }');
  const c = call as Partial<Call>;
  if (isCaseMethod(c.method)) {
    const id = caseIdSchema.safeParse(c.case);
    if (!id.success) throw new ApiError(`${c.method} needs the case it is about (a case id), got ${JSON.stringify(c.case ?? null)}`);
    return { kind: 'case', case: id.data, method: c.method, params: c.params ?? {} };
  }
  if (isAppMethod(c.method)) {
    if (c.case != null) throw new ApiError(`${c.method} is not about one case: call it with case null`);
    return { kind: 'app', method: c.method, params: c.params ?? {} };
  }
  throw new ApiError(`unknown method: ${String(c.method)}`);
}


/** Case methods bound to one case. */
export type Client = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };
/** Case-less methods. */
export type AppClient = { [M in AppMethodName]: (params: AppParams<M>) => Promise<AppResult<M>> };

