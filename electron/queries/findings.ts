/**
 * `findings.list` / `runlens findings`: the viewer's own findings (one per endpoint) and the producer's detections,
 * most severe first, each with the processes and steps behind its calls, plus the policy (null: none was given).
 */
import type { Db } from '../db/open';
import type { CaseInfo, FindingOut } from '../../shared/api';
import { readPolicy } from './policy';
import { jsonOf, num, numOr0, str, time, type Row } from './values';

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export const NO_POLICY_NOTE =
  'no egress policy was given (no allowed_endpoints in the bundle): there are no allow-list findings';

/** A finding's processes: distinct processes of its calls, first seen first (index network_finding). Param: finding id. */
export const FINDING_PROCESSES_SQL = `SELECT p.id, p.pid, p.exe, min(n.ts) AS first FROM network n JOIN processes p ON p.id = n.process_id
  WHERE n.finding_id = ? GROUP BY p.id ORDER BY first, p.id LIMIT 1000`;
/** A finding's steps (index network_finding). Param: finding id. */
export const FINDING_STEPS_SQL = `SELECT s.id, s.number, s.name, min(n.ts) AS first FROM network n JOIN steps s ON s.id = n.step_id
  WHERE n.finding_id = ? GROUP BY s.id ORDER BY s.job, s.number LIMIT 1000`;

export function listFindings(db: Db): { findings: FindingOut[]; policy: CaseInfo['policy']; note?: string } {
  const findings = db
    .prepare(
      `SELECT f.*, d.det_id AS d_det_id, d.process_id AS d_process_id, d.pid AS d_pid FROM findings f
       LEFT JOIN detections d ON d.id = f.detection_id`,
    )
    .safeIntegers(true)
    .all() as Row[];
  // Per finding: distinct processes and steps of its calls (network_finding index), in first-seen order.
  const procs = db.prepare(FINDING_PROCESSES_SQL).safeIntegers(true);
  const steps = db.prepare(FINDING_STEPS_SQL).safeIntegers(true);
  const proc = db.prepare('SELECT id, pid, exe, step_id FROM processes WHERE id = ?').safeIntegers(true);
  const step = db.prepare('SELECT id, number, name FROM steps WHERE id = ?').safeIntegers(true);

  const out = findings.map((f): FindingOut => {
    const id = numOr0(f.id);
    let processes = (procs.all(id) as Row[]).map((p) => ({ id: numOr0(p.id), pid: numOr0(p.pid), exe: str(p.exe) }));
    let stepList = (steps.all(id) as Row[]).map((s) => ({ id: numOr0(s.id), number: numOr0(s.number), name: str(s.name) ?? '' }));
    // A producer detection names its process directly.
    const dp = num(f.d_process_id);
    if (processes.length === 0 && dp !== null) {
      const p = proc.get(dp) as Row | undefined;
      if (p) {
        processes = [{ id: numOr0(p.id), pid: numOr0(p.pid), exe: str(p.exe) }];
        const sid = num(p.step_id);
        const s = sid !== null ? (step.get(sid) as Row | undefined) : undefined;
        if (s && stepList.length === 0) stepList = [{ id: numOr0(s.id), number: numOr0(s.number), name: str(s.name) ?? '' }];
      }
    }
    const kind = str(f.kind) ?? '';
    const kinds = jsonOf<unknown>(f.kinds, [kind]);
    return {
      id,
      kind,
      kinds: Array.isArray(kinds) ? kinds.map(String) : [kind],
      severity: str(f.severity) ?? '',
      origin: str(f.origin) === 'producer' ? 'producer' : 'viewer',
      title: str(f.title),
      endpoint: str(f.endpoint),
      calls: numOr0(f.calls),
      first_seen: time(f.first_seen),
      last_seen: time(f.last_seen),
      processes,
      steps: stepList,
      detection_id: str(f.d_det_id),
    };
  });
  out.sort(
    (a, b) =>
      (SEVERITY_RANK[a.severity.toLowerCase()] ?? 5) - (SEVERITY_RANK[b.severity.toLowerCase()] ?? 5) ||
      (a.first_seen ?? '~').localeCompare(b.first_seen ?? '~') ||
      a.id - b.id,
  );
  const policy = readPolicy(db);
  return policy ? { findings: out, policy } : { findings: out, policy: null, note: NO_POLICY_NOTE };
}
