/**
 * A case against its baselines: several baseline runs make one (an endpoint, process, step or action ref seen in
 * any of them is known). New = in the case, in no baseline; gone = in some baseline, not in the case; changed = an
 * endpoint called or a process run from a step (job + name) where no baseline did, a step whose conclusion no
 * baseline had, an action used at a ref (commit) no baseline used. Every list is sorted,
 * so the same case files always give the same comparison.
 */
import type { Db } from '../db/open';
import type { FindingOut } from '../../shared/api';
import { NEW_ENDPOINT_KIND, type Comparison } from '../../shared/compare';
import { readProfile, type CaseProfile } from './case-profile';
import { FINDING_STEPS_OF_CALLS, FINDING_PROCESSES_OF_CALLS } from './finding-sql';
import { numOr0, str, time, type Row } from '../queries/values';
import { evidenceReader } from '../queries/findings';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (s: Iterable<string>) => [...s].sort(byText);

export function compareProfiles(c: CaseProfile, baselines: readonly CaseProfile[]): Comparison {
  const inAny = <K>(pick: (p: CaseProfile) => Map<string, K>, key: string) => baselines.filter((b) => pick(b).has(key));

  const endpointsNew = [...c.endpoints.values()]
    .filter((e) => inAny((p) => p.endpoints, e.endpoint).length === 0)
    .map((e) => ({ endpoint: e.endpoint, calls: e.calls, first_seen: e.firstSeen, call_ids: e.callIds, steps: sorted(e.steps), processes: sorted(e.processes) }))
    .sort((a, b) => byText(a.endpoint, b.endpoint));
  const goneEndpoints = new Map<string, { baselines: number; calls: number }>();
  for (const b of baselines)
    for (const e of b.endpoints.values())
      if (!c.endpoints.has(e.endpoint)) {
        const g = goneEndpoints.get(e.endpoint) ?? { baselines: 0, calls: 0 };
        g.baselines++;
        g.calls += e.calls;
        goneEndpoints.set(e.endpoint, g);
      }

  const processesNew = [...c.processes.entries()]
    .filter(([k]) => inAny((p) => p.processes, k).length === 0)
    .map(([k, u]) => ({ key: k, exe: u.exe, args_shape: u.shape, count: u.count, pids: u.pids, process_ids: u.processIds, steps: sorted(u.steps) }))
    .sort((a, b) => byText(a.key, b.key))
    .map(({ key: _k, ...rest }) => rest);
  const goneProcs = new Map<string, { exe: string; args_shape: string[]; baselines: number }>();
  for (const b of baselines)
    for (const [k, u] of b.processes)
      if (!c.processes.has(k)) {
        const g = goneProcs.get(k) ?? { exe: u.exe, args_shape: u.shape, baselines: 0 };
        g.baselines++;
        goneProcs.set(k, g);
      }

  const stepsNew = [...c.steps.entries()]
    .filter(([k]) => inAny((p) => p.steps, k).length === 0)
    .map(([, s]) => ({ job: s.job, name: s.name, number: s.number }));
  const goneSteps = new Map<string, { job: string; name: string; number: number | null }>();
  for (const b of baselines) for (const [k, s] of b.steps) if (!c.steps.has(k) && !goneSteps.has(k)) goneSteps.set(k, { job: s.job, name: s.name, number: s.number });
  const stepsChanged = [];
  for (const [k, s] of c.steps) {
    const seen = inAny((p) => p.steps, k);
    if (seen.length === 0) continue;
    const known = new Set<string | null>();
    for (const b of seen) for (const v of b.steps.get(k)!.conclusions) known.add(v);
    for (const v of s.conclusions) {
      if (!known.has(v)) stepsChanged.push({ job: s.job, name: s.name, number: s.number, field: 'conclusion' as const, value: v, baseline_values: [...known].sort((x, y) => byText(x ?? '', y ?? '')) });
    }
  }

  const actionsNew = [];
  const actionsChanged = [];
  for (const [k, a] of c.actions) {
    const seen = inAny((p) => p.actions, k);
    if (seen.length === 0) {
      actionsNew.push({ action: a.action, refs: sorted(a.refs), steps: sorted(a.steps) });
      continue;
    }
    const known = new Set<string>();
    for (const b of seen) for (const r of b.actions.get(k)!.refs) known.add(r);
    const refs = [...a.refs].filter((r) => !known.has(r));
    if (refs.length) actionsChanged.push({ action: a.action, refs: refs.sort(byText), baseline_refs: sorted(known), steps: sorted(a.steps) });
  }
  const goneActions = new Map<string, { action: string; refs: Set<string> }>();
  for (const b of baselines)
    for (const [k, a] of b.actions)
      if (!c.actions.has(k)) {
        const g = goneActions.get(k) ?? { action: a.action, refs: new Set<string>() };
        for (const r of a.refs) g.refs.add(r);
        goneActions.set(k, g);
      }

  /** Steps of `mine` (job + name) in which no baseline that knows `key` did it; and the baselines' steps. */
  const moved = (mine: Map<string, string>, theirs: (b: CaseProfile) => Map<string, string> | undefined) => {
    const known = new Map<string, string>();
    for (const b of baselines) for (const [k, l] of theirs(b) ?? []) known.set(k, l);
    const steps = [...mine.entries()].filter(([k]) => !known.has(k)).map(([, l]) => l);
    return { steps: sorted(steps), baseline_steps: sorted(new Set(known.values())) };
  };
  const endpointsChanged = [...c.endpoints.values()]
    .filter((e) => inAny((p) => p.endpoints, e.endpoint).length > 0)
    .map((e) => ({ endpoint: e.endpoint, calls: e.calls, ...moved(e.stepKeys, (b) => b.endpoints.get(e.endpoint)?.stepKeys) }))
    .filter((e) => e.steps.length > 0)
    .sort((a, b) => byText(a.endpoint, b.endpoint));
  const processesChanged = [...c.processes.entries()]
    .filter(([k]) => inAny((p) => p.processes, k).length > 0)
    .map(([k, u]) => ({ key: k, exe: u.exe, args_shape: u.shape, count: u.count, process_ids: u.processIds, ...moved(u.stepKeys, (b) => b.processes.get(k)?.stepKeys) }))
    .filter((p) => p.steps.length > 0)
    .sort((a, b) => byText(a.key, b.key))
    .map(({ key: _k, ...rest }) => rest);

  const stepOrder = (a: { job: string; number: number | null; name: string }, b: typeof a) =>
    byText(a.job, b.job) || (a.number ?? 0) - (b.number ?? 0) || byText(a.name, b.name);
  return {
    case: c.ref,
    baselines: baselines.map((b) => b.ref),
    endpoints: {
      new: endpointsNew,
      gone: [...goneEndpoints.entries()].map(([endpoint, g]) => ({ endpoint, baselines: g.baselines, baseline_calls: g.calls })).sort((a, b) => byText(a.endpoint, b.endpoint)),
      changed: endpointsChanged,
    },
    processes: {
      new: processesNew,
      gone: [...goneProcs.entries()].sort(([a], [b]) => byText(a, b)).map(([, g]) => g),
      changed: processesChanged,
    },
    steps: {
      new: stepsNew.sort(stepOrder),
      gone: [...goneSteps.values()].sort(stepOrder),
      changed: stepsChanged.sort(stepOrder),
    },
    actions: {
      new: actionsNew.sort((a, b) => byText(a.action, b.action)),
      gone: [...goneActions.values()].map((g) => ({ action: g.action, baseline_refs: sorted(g.refs) })).sort((a, b) => byText(a.action, b.action)),
      changed: actionsChanged.sort((a, b) => byText(a.action, b.action)),
    },
  };
}

/** Compares the open case `db` (file `file`) with the baseline cases (open, read-only). */
export function compareCases(c: { db: Db; file: string }, baselines: readonly { db: Db; file: string }[]): Comparison {
  return compareProfiles(
    readProfile(c.db, c.file),
    baselines.map((b) => readProfile(b.db, b.file)),
  );
}

/** Who raised a baseline finding, as the findings list names it. */
const BASELINE_BY = 'Runlens (baseline)';

/**
 * One finding per endpoint no baseline called, covering every call to it (shape of `findings.list`). Ids are
 * negative so they never collide with the case's own findings (which are rows of its `findings` table).
 */
export function baselineFindings(db: Db, cmp: Comparison, mask = true): FindingOut[] {
  const n = cmp.baselines.length;
  const readEvidence = evidenceReader(db, mask);
  return cmp.endpoints.new.map((e, i): FindingOut => {
    const ids = JSON.stringify(e.call_ids);
    const processes = (db.prepare(FINDING_PROCESSES_OF_CALLS).safeIntegers(true).all(ids) as Row[]).map((p) => ({ id: numOr0(p.id), pid: numOr0(p.pid), exe: str(p.exe) }));
    const steps = (db.prepare(FINDING_STEPS_OF_CALLS).safeIntegers(true).all(ids) as Row[]).map((s) => ({ id: numOr0(s.id), number: numOr0(s.number), name: str(s.name) ?? '' }));
    const last = db.prepare('SELECT max(ts) AS t FROM network WHERE id IN (SELECT value FROM json_each(?))').safeIntegers(true).get(ids) as Row;
    return {
      id: -(i + 1),
      kind: NEW_ENDPOINT_KIND,
      kinds: [NEW_ENDPOINT_KIND],
      severity: 'medium',
      origin: 'viewer',
      title: `New endpoint against the baseline: ${e.endpoint} (called ${e.calls} time${e.calls === 1 ? '' : 's'}; no call to it in ${n} baseline run${n === 1 ? '' : 's'})`,
      endpoint: e.endpoint,
      calls: e.calls,
      first_seen: e.first_seen,
      last_seen: time(last.t) ?? e.first_seen,
      processes,
      steps,
      detection_id: null,
      rule: NEW_ENDPOINT_KIND,
      by: [BASELINE_BY],
      sources: [{ id: -(i + 1), origin: 'viewer', by: BASELINE_BY, kind: NEW_ENDPOINT_KIND, severity: 'medium', title: null, rule: NEW_ENDPOINT_KIND, detection_id: null }],
      target: e.call_ids.length > 0 ? { kind: 'call', id: e.call_ids[0]! } : null,
      evidence: e.call_ids.slice(0, 50).flatMap((id) => readEvidence('network', id) ?? []),
      evidence_total: e.call_ids.length,
    };
  });
}
