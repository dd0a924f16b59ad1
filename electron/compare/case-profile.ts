/**
 * What a run did, as far as a comparison between runs cares: the endpoints it called, its processes by executable
 * and argument shape (never by pid), its steps (by job and name) and the actions it used with their refs. Read
 * from a case through its read-only connection; nothing here depends on when or where the comparison runs.
 */
import type { Db } from '../db/open';
import type { RunRef } from '../../shared/compare';
import { argsOf, jsonOf, num, numOr0, str, time, type Row } from '../queries/values';
import { argShape, argsShape, processKey } from './arg-shape';

export interface EndpointUse {
  endpoint: string;
  calls: number;
  firstNs: bigint | null;
  firstSeen: string | null;
  callIds: number[];
  steps: Set<string>;
  /** The steps as `job \t name` (no number, no @ref): what is compared between runs. */
  stepKeys: Map<string, string>;
  processes: Set<string>;
}

export interface ProcessUse {
  exe: string;
  shape: string[];
  count: number;
  pids: number[];
  processIds: number[];
  steps: Set<string>;
  /** The steps as `job \t name` -> label: what is compared between runs. */
  stepKeys: Map<string, string>;
}

export interface StepUse {
  job: string;
  name: string;
  number: number | null;
  conclusions: Set<string | null>;
}

export interface ActionUse {
  /** owner/repo[/path] as written (the key is its lower case). */
  action: string;
  refs: Set<string>;
  steps: Set<string>;
}

export interface CaseProfile {
  ref: RunRef;
  endpoints: Map<string, EndpointUse>;
  processes: Map<string, ProcessUse>;
  steps: Map<string, StepUse>;
  actions: Map<string, ActionUse>;
}

/** `owner/repo[/path]@ref` in a step's `uses` or its name ("Run actions/checkout@v4", "Post Run …"). */
const ACTION_IN_NAME = /^(?:Post )?Run ([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+)@(\S+)$/;

export function parseUses(uses: string): { action: string; ref: string } | null {
  if (uses.startsWith('docker://') || uses.startsWith('./')) return { action: uses.replace(/@.*$/, ''), ref: uses.includes('@') ? uses.slice(uses.lastIndexOf('@') + 1) : '' };
  const at = uses.lastIndexOf('@');
  if (at <= 0) return null;
  return { action: uses.slice(0, at), ref: uses.slice(at + 1) };
}

/** A step's name without the @ref of the action it runs: the same step when a new commit of the action is used. */
export function stepName(name: string): string {
  const m = ACTION_IN_NAME.exec(name);
  return m ? name.slice(0, name.length - m[2]!.length - 1) : name;
}

function stepLabel(job: string | null, number: number | null, name: string | null): string {
  return `${job ?? '?'} #${number ?? '?'} ${name ?? ''}`.trim();
}

function meta(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? jsonOf<unknown>(row.value, null) : null;
}

export function runRef(db: Db, file: string): RunRef {
  const run = meta(db, 'run');
  const inputs = meta(db, 'inputs');
  return {
    file,
    run: run && typeof run === 'object' && !Array.isArray(run) ? (run as Record<string, unknown>) : null,
    inputs: Array.isArray(inputs)
      ? (inputs as { path?: unknown; sha256?: unknown; bytes?: unknown }[]).map((i) => ({ path: String(i.path ?? ''), sha256: String(i.sha256 ?? ''), bytes: Number(i.bytes ?? 0) }))
      : [],
  };
}

export function readProfile(db: Db, file: string): CaseProfile {
  const steps = new Map<number, { job: string; number: number | null; name: string; uses: string | null; conclusion: string | null }>();
  for (const s of db.prepare('SELECT id, job, number, name, uses, conclusion FROM steps ORDER BY job, number, id').safeIntegers(true).all() as Row[]) {
    steps.set(numOr0(s.id), { job: str(s.job) ?? '', number: num(s.number), name: str(s.name) ?? '', uses: str(s.uses), conclusion: str(s.conclusion) });
  }
  const label = (id: number | null) => {
    const s = id !== null ? steps.get(id) : undefined;
    return s ? stepLabel(s.job, s.number, stepName(s.name)) : null;
  };
  const stepKey = (id: number | null) => {
    const s = id !== null ? steps.get(id) : undefined;
    return s ? `${s.job}\t${stepName(s.name)}` : null;
  };

  const endpoints = new Map<string, EndpointUse>();
  const procExe = new Map<number, string>();
  for (const p of db.prepare('SELECT id, pid, exe, args FROM processes').safeIntegers(true).all() as Row[]) {
    procExe.set(numOr0(p.id), str(p.exe) ?? argsOf(p.args)[0] ?? '?');
  }
  const calls = db
    .prepare(
      `SELECT id, ts, endpoint, ip, port, process_id, process_name, step_id, running_step_id FROM network
       WHERE endpoint IS NOT NULL OR ip IS NOT NULL ORDER BY ts, id`,
    )
    .safeIntegers(true)
    .all() as Row[];
  for (const c of calls) {
    const ep = str(c.endpoint) ?? `${str(c.ip)}:${numOr0(c.port)}`;
    let u = endpoints.get(ep);
    if (!u) {
      u = { endpoint: ep, calls: 0, firstNs: null, firstSeen: null, callIds: [], steps: new Set(), stepKeys: new Map(), processes: new Set() };
      endpoints.set(ep, u);
    }
    u.calls++;
    u.callIds.push(numOr0(c.id));
    if (u.firstNs === null && typeof c.ts === 'bigint') {
      u.firstNs = c.ts;
      u.firstSeen = time(c.ts);
    }
    const sid = num(c.step_id) ?? num(c.running_step_id);
    const sl = label(sid);
    if (sl) {
      u.steps.add(sl);
      u.stepKeys.set(stepKey(sid)!, sl);
    }
    const pid = num(c.process_id);
    const exe = pid !== null ? procExe.get(pid) : str(c.process_name);
    if (exe) u.processes.add(exe);
  }

  const processes = new Map<string, ProcessUse>();
  for (const p of db.prepare('SELECT id, pid, exe, args, step_id FROM processes ORDER BY start, id').safeIntegers(true).all() as Row[]) {
    const args = argsOf(p.args);
    const exe = str(p.exe) ?? args[0] ?? '?';
    const shape = argsShape(args);
    const key = processKey(exe, shape);
    let u = processes.get(key);
    if (!u) {
      u = { exe, shape, count: 0, pids: [], processIds: [], steps: new Set(), stepKeys: new Map() };
      processes.set(key, u);
    }
    u.count++;
    u.pids.push(numOr0(p.pid));
    u.processIds.push(numOr0(p.id));
    const sl = label(num(p.step_id));
    if (sl) {
      u.steps.add(sl);
      u.stepKeys.set(stepKey(num(p.step_id))!, sl);
    }
  }

  const stepUses = new Map<string, StepUse>();
  const actions = new Map<string, ActionUse>();
  for (const s of steps.values()) {
    const name = stepName(s.name);
    const key = `${s.job}\t${name}`;
    let u = stepUses.get(key);
    if (!u) {
      u = { job: s.job, name, number: s.number, conclusions: new Set() };
      stepUses.set(key, u);
    }
    u.conclusions.add(s.conclusion);
    const m = ACTION_IN_NAME.exec(s.name);
    const parsed = s.uses ? parseUses(s.uses) : m ? { action: m[1]!, ref: m[2]! } : null;
    if (parsed) {
      const akey = parsed.action.toLowerCase();
      let a = actions.get(akey);
      if (!a) {
        a = { action: parsed.action, refs: new Set(), steps: new Set() };
        actions.set(akey, a);
      }
      a.refs.add(parsed.ref);
      a.steps.add(stepLabel(s.job, s.number, name));
    }
  }
  return { ref: runRef(db, file), endpoints, processes, steps: stepUses, actions };
}

export { argShape };
