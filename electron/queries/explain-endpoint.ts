/**
 * `runlens explain --endpoint`: every call to `domain|ip[:port]`, each explained. A host matches the call's endpoint
 * host (the domain when known, else the IP) or the call's own domain or IP, so asking for an IP also finds the calls
 * whose endpoint was named after the domain it resolved from. No port = every port.
 */
import type { Db } from '../db/open';
import type { CallExplanation } from '../../shared/api';
import { CallExplainer, DEFAULT_LIMIT, type ExplainOptions } from './explain-call';
import { CALL_COLUMNS, CALL_JOINS } from './network-rows';
import { parseEndpointArg } from './endpoint-arg';
import { QueryError, type Row } from './values';
import { stepsMentioning, type StepMention } from './log-mentions';

export interface EndpointExplanation {
  endpoint: string;
  /** Every matching call, before `limit`. */
  total: number;
  calls: CallExplanation[];
  /**
   * Steps whose log lines WRITE this host (a host, URL or IP in the text): what the log says, never an observed
   * call. Answers "which step talked about this host" in a case that has logs only.
   */
  mentioned_in_log: StepMention[];
}

/** The calls to a host on every port (endpoint range on index network_endpoint, plus the call's own domain/ip). */
export function endpointCallsSql(anyPort: boolean): string {
  const where = anyPort ? '(n.endpoint >= @lo AND n.endpoint < @hi)' : 'n.endpoint = @exact';
  const portCond = anyPort ? '' : 'AND n.port = @port';
  return `SELECT ${CALL_COLUMNS} FROM network n ${CALL_JOINS}
    WHERE n.id IN (
      SELECT id FROM network n WHERE ${where}
      UNION SELECT id FROM network n WHERE (lower(n.domain) = @host OR lower(n.domain) = @host || '.' OR lower(n.ip) = @host) ${portCond}
    )
    ORDER BY n.ts, n.id`;
}

export function explainEndpoint(db: Db, endpoint: string, opts: ExplainOptions = {}): EndpointExplanation {
  const ep = parseEndpointArg(endpoint);
  if ('error' in ep) throw new QueryError(ep.error);
  const limit = opts.limit ?? DEFAULT_LIMIT;
  // The endpoint index serves the first branch; the domain/ip branch (a scan: explain is not a hot path) finds calls
  // whose endpoint is named after something else (an IP asked, the domain stored) or was never named.
  const sql = endpointCallsSql(ep.port === null);
  const params: Record<string, string | number> = { host: ep.host };
  if (ep.port === null) {
    params.lo = `${ep.hostInEndpoint}:`;
    params.hi = `${ep.hostInEndpoint};`; // ';' sorts right after ':'
  } else {
    params.exact = `${ep.hostInEndpoint}:${ep.port}`;
    params.port = ep.port;
  }
  const stmt = db.prepare(sql).safeIntegers(true);
  const explainer = new CallExplainer(db);
  const rows: Row[] = [];
  let total = 0;
  for (const r of stmt.iterate(params) as IterableIterator<Row>) {
    total++;
    if (rows.length < limit) rows.push(r);
  }
  // Explained after the iteration: the connection runs one statement at a time.
  const calls: CallExplanation[] = rows.map((r) => explainer.fromRow(r, opts));
  const shown = ep.port === null ? ep.hostInEndpoint : `${ep.hostInEndpoint}:${ep.port}`;
  return { endpoint: shown, total, calls, mentioned_in_log: stepsMentioning(db, ep.host) };
}
