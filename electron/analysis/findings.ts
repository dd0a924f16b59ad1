/**
 * Findings. The viewer's own: one per endpoint with calls outside `allowed_endpoints` (`anomalous-endpoint`) or
 * blocked calls (`blocked-call`); `kind` is the most specific (`blocked-call` over `anomalous-endpoint`), `kinds`
 * all that apply. Without a policy there are no allow-list findings (blocked calls still are).
 *
 * Severity (our choice, documented here and in the sample bundle's README):
 * - `high`   when at least one call to an endpoint outside the allow-list was NOT blocked: data may have left
 *            (audit mode, or a block policy that did not hold);
 * - `medium` when every such call was blocked: the attempt is suspicious, but nothing left.
 *
 * Producer detections become findings with origin `producer`, their own kind, severity (lower-cased; `unknown`
 * when missing), title and normalized endpoint; `calls`/`first_seen`/`last_seen` count the calls to that endpoint
 * (and the detection's own time).
 */
import type { Db } from '../db/open';
import { normalizeEndpointText } from '../../shared/endpoint';
import type { CaseContext } from './case-context';
import type { EndpointStats } from './network-pass';
import type { PidIndex } from './process-model';

const minB = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const maxB = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : a > b ? a : b);

export function writeViewerFindings(db: Db, ctx: CaseContext, stats: Map<string, EndpointStats>): number {
  const ins = db.prepare(
    `INSERT INTO findings (kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen, detection_id)
     VALUES (?, ?, ?, 'viewer', ?, ?, ?, ?, ?, NULL)`,
  );
  const link = db.prepare(
    `UPDATE network SET finding_id = ? WHERE endpoint = ? AND verdict IN ('outside-policy', 'blocked')`,
  );
  const flagged = [...stats.entries()].filter(([, s]) => s.flagged > 0);
  // Most severe first, then by first sighting: row order is a sensible default display order.
  flagged.sort(([ea, a], [eb, b]) => {
    const sa = a.outsideNotBlocked > 0 ? 0 : 1, sb = b.outsideNotBlocked > 0 ? 0 : 1;
    if (sa !== sb) return sa - sb;
    if (a.flaggedFirst! !== b.flaggedFirst!) return a.flaggedFirst! < b.flaggedFirst! ? -1 : 1;
    return ea < eb ? -1 : ea > eb ? 1 : 0;
  });
  const egress = ctx.policy?.egress_policy ?? null;
  for (const [endpoint, s] of flagged) {
    const kinds: string[] = [];
    if (s.blocked > 0) kinds.push('blocked-call');
    if (s.outside > 0) kinds.push('anomalous-endpoint');
    const kind = kinds[0]!;
    const severity = s.outsideNotBlocked > 0 ? 'high' : 'medium';
    const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    const parts: string[] = [];
    if (s.outside > 0) parts.push(`${plural(s.outside, 'call')} outside the allowed endpoints${egress ? ` (egress policy: ${egress})` : ''}`);
    if (s.blocked > 0) parts.push(`${plural(s.blocked, 'call')} blocked`);
    const title = `${endpoint}: ${parts.join('; ')}`;
    const r = ins.run(kind, JSON.stringify(kinds), severity, endpoint, title, s.flagged, s.flaggedFirst, s.flaggedLast);
    link.run(r.lastInsertRowid, endpoint);
  }
  return flagged.length;
}

interface DetectionRow {
  id: bigint;
  det_id: string | null;
  kind: string;
  severity: string | null;
  title: string | null;
  ts: bigint | null;
  endpoint: string | null;
  pid: bigint | null;
}

/** Link detections to their process instance and turn each into a producer finding. */
export function writeProducerFindings(db: Db, pids: PidIndex, stats: Map<string, EndpointStats>): number {
  const rows = db
    .prepare('SELECT id, det_id, kind, severity, title, ts, endpoint, pid FROM detections ORDER BY ts, id')
    .safeIntegers(true)
    .all() as DetectionRow[];
  const setProc = db.prepare('UPDATE detections SET process_id = ? WHERE id = ?');
  const ins = db.prepare(
    `INSERT INTO findings (kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen, detection_id, process_id, step_id)
     VALUES (?, ?, ?, 'producer', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const d of rows) {
    const proc = pids.lookup(d.pid === null ? null : Number(d.pid), d.ts);
    setProc.run(proc?.id ?? null, d.id);
    const endpoint = d.endpoint ? (normalizeEndpointText(d.endpoint) ?? d.endpoint.trim()) : null;
    const s = endpoint ? stats.get(endpoint) : undefined;
    const kind = d.kind || 'unknown';
    ins.run(
      kind,
      JSON.stringify([kind]),
      d.severity ? d.severity.toLowerCase() : 'unknown',
      endpoint,
      d.title ?? (endpoint ? `${kind}: ${endpoint}` : kind),
      s?.calls ?? 0,
      minB(d.ts, s?.first ?? null),
      maxB(d.ts, s?.last ?? null),
      d.id,
      proc?.id ?? null,
      proc?.stepId ?? null,
    );
  }
  return rows.length;
}
