/**
 * The one API contract: method name -> params schema (validated at every boundary) -> result type.
 * The Electron preload bridge and `runlens serve` both expose exactly this table; the renderer calls it through
 * `createClient(transport)` and never knows which transport it runs on. Times are RFC 3339 strings (9 digits, Z).
 */
import { z } from 'zod';

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

export interface FindingOut {
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
  inputs: { path: string; sha256: string; bytes: number; format: string | null; offset_seconds: number }[];
  warnings: { file: string | null; line: number | null; message: string }[];
  /** Earliest and latest time of any event, log line or step. */
  time_range: { start: string; end: string } | null;
  jobs: string[];
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

// ---------- params ----------
const id = z.number().int().nonnegative();
const time = z.string().max(40);
export const networkFilter = z
  .object({
    findingsOnly: z.boolean().optional(),
    search: z.string().max(500).optional(),
    processId: id.optional(),
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
export type NetworkFilter = z.infer<typeof networkFilter>;
export const networkSort = z.enum(['ts', 'process', 'domain', 'endpoint', 'http', 'status', 'finding']);

export const methods = {
  'case.info': { params: z.object({}).strict() },
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
  'process.get': { params: z.object({ id }).strict() },
  'raw.get': { params: z.object({ table: z.enum(['network', 'dns', 'processes', 'process_events', 'file_events', 'log_lines', 'detections', 'steps']), id }).strict() },
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;

export interface ProcessDetails extends ProcessOut {
  children: ProcessRef[];
  ancestors: ProcessRef[];
  calls: NetworkRow[];
  files: { id: number; ts: string; path: string; op: string; sha256: string | null }[];
  source: SourceRef;
}

export interface Results {
  'case.info': CaseInfo;
  'steps.list': { steps: StepOut[] };
  'findings.list': { findings: FindingOut[]; policy: CaseInfo['policy'] };
  'network.query': { total: number; rows: NetworkRow[] };
  'network.indexOf': { index: number };
  'network.explain': CallExplanation;
  'log.window': { total: number; rows: LogRow[] };
  'log.indexAt': { index: number };
  'log.indexOfId': { index: number };
  'log.search': { index: number; total_matches: number };
  'process.get': ProcessDetails;
  'raw.get': { file: string; line: number | null; raw: string };
}

export type Result<M extends MethodName> = Results[M];
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate params at a boundary; throws ApiError with a readable message. */
export class ApiError extends Error {}
export function parseParams<M extends MethodName>(method: string, params: unknown): { method: M; params: ParsedParams<M> } {
  if (!Object.prototype.hasOwnProperty.call(methods, method)) throw new ApiError(`unknown method: ${method}`);
  const r = methods[method as M].params.safeParse(params ?? {});
  if (!r.success) {
    throw new ApiError(`bad params for ${method}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return { method: method as M, params: r.data as ParsedParams<M> };
}

/** A transport moves one call and returns its envelope. IPC (preload) and HTTP (serve) each provide one. */
export type Transport = (method: string, params: unknown) => Promise<Envelope<unknown>>;

export type Client = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

export function createClient(transport: Transport): Client {
  return new Proxy({} as Client, {
    get(_t, method: string) {
      return async (params: unknown) => {
        const env = await transport(method, params ?? {});
        if (!env.ok) throw new ApiError(env.error);
        return env.value;
      };
    },
  });
}
