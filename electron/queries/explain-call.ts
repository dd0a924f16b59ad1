/**
 * `network.explain`: everything known about one call — process and its ancestors (nearest parent first), the step
 * that started its process tree and the step running at the time, the action (`uses`), HTTP, the policy verdict, the
 * log lines around it and the log lines that mention its domain or IP.
 */
import type { Db } from '../db/open';
import type { CallExplanation } from '../../shared/api';
import { NANOS_PER_SECOND } from '../../shared/time';
import { allowedBy } from '../../shared/endpoint';
import { LogRefs } from './log-refs';
import { CALL_COLUMNS, CALL_JOINS, networkRow } from './network-rows';
import { readPolicy } from './policy';
import { ProcessChain, processRef } from './process-chain';
import { jsonOf, nanos, num, QueryError, str, stepRef, time, type Row } from './values';

export interface ExplainOptions {
  /** Seconds either side of the call for `log_context` (default 5). */
  window?: number;
  /** Cap on each list (log_context, log_mentions; calls for explainEndpoint). Default 200. */
  limit?: number;
}

export const DEFAULT_WINDOW_SECONDS = 5;
export const DEFAULT_LIMIT = 200;

function basename(p: string | null): string | null {
  if (!p) return null;
  const b = p.split(/[\\/]/).pop();
  return b || p;
}

export const CALL_BY_ID_SQL = `SELECT ${CALL_COLUMNS} FROM network n ${CALL_JOINS} WHERE n.id = ?`;

/** Prepared once, explains many calls (explainEndpoint reuses it). */
export class CallExplainer {
  private readonly call;
  private readonly source;
  private readonly procs: ProcessChain;
  private readonly logs: LogRefs;
  private readonly policy;

  constructor(db: Db) {
    this.call = db.prepare(CALL_BY_ID_SQL).safeIntegers(true);
    this.source = db.prepare('SELECT path FROM sources WHERE id = ?').safeIntegers(true);
    this.procs = new ProcessChain(db);
    this.logs = new LogRefs(db);
    this.policy = readPolicy(db);
  }

  explain(id: number, opts: ExplainOptions = {}): CallExplanation {
    const r = this.call.get(id) as Row | undefined;
    if (!r) throw new QueryError(`no network call with id ${id}`);
    return this.fromRow(r, opts);
  }

  fromRow(r: Row, opts: ExplainOptions = {}): CallExplanation {
    const window = opts.window ?? DEFAULT_WINDOW_SECONDS;
    const limit = opts.limit ?? DEFAULT_LIMIT;
    const row = networkRow(r, this.policy !== null);
    const ts = nanos(r.ts) ?? 0n;

    const procId = num(r.process_id);
    const p = procId !== null ? this.procs.get(procId) : undefined;
    const process = p
      ? { ...processRef(p), cwd: str(p.cwd), start: time(p.start), end: time(p.end) }
      : null;
    const ancestors = p ? this.procs.ancestors(p) : [];

    const matched = str(r.policy_matched), reason = str(r.policy_reason);
    const allowed = this.policy && row.verdict === 'allowed' ? allowedBy(row.endpoint, this.policy.allowed_endpoints) : null;
    const policy = this.policy || matched || reason ? { matched, reason, allowed_by: allowed } : null;

    const http =
      r.http_method !== null || r.http_host !== null || r.http_path !== null || r.http_status !== null
        ? { method: str(r.http_method), host: str(r.http_host), path: str(r.http_path), status_code: num(r.http_status) }
        : null;
    const tool = r.tool_name !== null || r.tool_sha256 !== null ? { name: str(r.tool_name), sha256: str(r.tool_sha256) } : null;

    const fid = num(r.finding_id);
    const finding =
      fid !== null && r.f_kind !== null
        ? { id: fid, kind: str(r.f_kind) ?? '', kinds: jsonOf<string[]>(r.f_kinds, []), severity: str(r.f_severity) ?? '' }
        : null;

    const srcId = num(r.source_id);
    const src = srcId !== null ? (this.source.get(srcId) as Row | undefined) : undefined;
    const windowNs = BigInt(Math.round(window * 1000)) * (NANOS_PER_SECOND / 1000n);

    return {
      id: row.id,
      ts: row.ts,
      domain: row.domain,
      domain_origin: row.domain_origin ?? null,
      ip: row.ip,
      port: row.port,
      endpoint: row.endpoint,
      protocol: row.protocol,
      status: row.status,
      verdict: row.verdict,
      policy,
      http,
      tool,
      pid: row.pid,
      process_name: row.process_name ?? basename(process?.exe ?? null) ?? basename(str(r.exe)),
      process,
      ancestors,
      step: stepRef(r, 's_'),
      running_step: stepRef(r, 'rs_'),
      finding,
      log_context: this.logs.context(ts, windowNs, limit),
      log_mentions: this.logs.mentioning([row.domain, row.ip], limit),
      source: { file: str(src?.path) ?? '', line: num(r.line) },
    };
  }
}

/** One explainer per open case: its statements are prepared once, not for every click on a call. */
const explainers = new WeakMap<Db, CallExplainer>();

export function explainCall(db: Db, id: number, opts: ExplainOptions = {}): CallExplanation {
  let e = explainers.get(db);
  if (!e) explainers.set(db, (e = new CallExplainer(db)));
  return e.explain(id, opts);
}
