/**
 * THE PREVIOUS ALGORITHM, kept verbatim for test/integration/process-identity-equivalence.test.ts (the model read in
 * one pass, instances inserted with every value bound, links written by a second UPDATE): electron/analysis/
 * process-identity.ts as of 2618440, but for its import paths and `asEvent` (a field added since). Never used by
 * the app.
 *
 * Process identity: turn `process_events` (exec/exit from event streams and from a process table's start/end)
 * into process instances (bundle-format.md, "Process identity"):
 * - an instance is a pid plus its start; an exit closes the instance of that pid alive at its time;
 * - an exec of a pid still alive starts a new instance whose parent is the one it replaced (which ends then);
 * - the same instance seen by two sources (same pid, starts within 1 ms, or the same producer `key`) is merged:
 *   event-stream fields beat process-table fields, and missing fields are filled from the other record;
 * - the parent is the instance named by `parent_key`, else the replaced instance, else the instance of `ppid`
 *   alive at the exec; self-parents, missing parents and cycles make a root with `root_reason` and a warning.
 * Works over sorted arrays in memory (one streaming read of the events), so it scales to 100k processes.
 */
import type { Db } from '../../electron/db/open';
import { withIndexesSuspended } from '../../electron/db/index-suspend';
import { formatNanos } from '../../shared/time';
import type { CaseContext } from '../../electron/analysis/case-context';
import { isRunnerWorker, ONE_MS, PidIndex, type Proc } from '../../electron/analysis/process-model';

/**
 * One process_events row as the read returns it: a raw array (no object per row; with `safeIntegers` every integer
 * is a bigint). Reading 200k events as arrays takes about half the time of reading them as objects.
 */
type EventRow = [
  id: bigint,
  ts: bigint,
  event: string,
  pid: bigint,
  ppid: bigint | null,
  exe: string | null,
  args: string | null,
  cwd: string | null,
  uid: bigint | null,
  exit_code: bigint | null,
  key: string | null,
  parent_key: string | null,
  origin: string,
  source_id: bigint | null,
  line: bigint | null,
];
const ID = 0, TS = 1, EVENT = 2, PID = 3, PPID = 4, EXE = 5, ARGS = 6, CWD = 7, UID = 8, EXIT = 9, KEY = 10,
  PARENT_KEY = 11, ORIGIN = 12, SOURCE = 13, LINE = 14;

export interface ProcessModel {
  procs: Proc[];
  index: PidIndex;
  /** process_events.id -> instance, as parallel arrays (ids ascending by time). */
  eventIds: number[];
  eventProcs: Proc[];
}

const MAX_DETAILED_WARNINGS = 50;
const n = (v: bigint | null): number | null => (v === null ? null : Number(v));
const quality = (origin: string): number => (origin === 'table' ? 1 : 2);

function argsLength(a: string | null): number {
  return a === null ? -1 : a.length;
}

export function buildProcessModel(db: Db, ctx: CaseContext): ProcessModel {
  const procs: Proc[] = [];
  const lastByPid = new Map<number, Proc>();
  const byKey = new Map<string, Proc>();
  const eventIds: number[] = [];
  const eventProcs: Proc[] = [];
  // `source|origin` of a record: a few distinct values, made once each (not a string per event)
  const fromBySource = new Map<string, Map<bigint | null, string>>();
  const fromOf = (e: EventRow): string => {
    const origin = e[ORIGIN], source = e[SOURCE];
    let m = fromBySource.get(origin);
    if (!m) fromBySource.set(origin, (m = new Map()));
    let f = m.get(source);
    if (f === undefined) m.set(source, (f = `${source ?? '-'}|${origin}`));
    return f;
  };

  const newProc = (e: EventRow, pid: number, start: bigint | null, end: bigint | null): Proc => {
    const p: Proc = {
      id: procs.length + 1,
      pid,
      ppid: n(e[PPID]),
      start,
      end,
      exe: e[EXE],
      args: e[ARGS],
      cwd: e[CWD],
      uid: n(e[UID]),
      exitCode: n(e[EXIT]),
      key: e[KEY],
      parentKey: e[PARENT_KEY],
      primaryEventId: Number(e[ID]),
      primaryQuality: quality(e[ORIGIN]),
      sourceId: n(e[SOURCE]),
      line: n(e[LINE]),
      firstFrom: fromOf(e),
      moreFrom: null,
      asEvent: false,
      replaced: null,
      parent: null,
      rootReason: null,
      depth: 0,
      isWorker: false,
      entry: null,
      stepId: null,
      entryStepId: null,
      lo: null,
    };
    procs.push(p);
    lastByPid.set(pid, p);
    if (p.key) byKey.set(p.key, p);
    return p;
  };

  /** Merge an exec record of another source into an existing instance: the richer record wins, gaps are filled. */
  const mergeExec = (p: Proc, e: EventRow): void => {
    const q = quality(e[ORIGIN]);
    const better = q > p.primaryQuality;
    const take = <T>(cur: T | null, inc: T | null): T | null => (inc === null ? cur : cur === null || better ? inc : cur);
    p.ppid = take(p.ppid, n(e[PPID]));
    p.exe = take(p.exe, e[EXE]);
    p.cwd = take(p.cwd, e[CWD]);
    p.uid = take(p.uid, n(e[UID]));
    p.parentKey = take(p.parentKey, e[PARENT_KEY]);
    const args = e[ARGS];
    if (args !== null && (p.args === null || better || (q === p.primaryQuality && argsLength(args) > argsLength(p.args)))) {
      p.args = args;
    }
    const key = e[KEY];
    if (key && !p.key) {
      p.key = key;
      byKey.set(key, p);
    }
    if (better) {
      p.primaryEventId = Number(e[ID]);
      p.primaryQuality = q;
      p.sourceId = n(e[SOURCE]);
      p.line = n(e[LINE]);
    }
    // The richer record's start (an event stream's, in ns) wins, unless it would fall after the instance's exit.
    if ((better || p.start === null) && (p.end === null || e[TS] <= p.end)) p.start = e[TS];
    addSeen(p, fromOf(e));
  };

  const stmt = db
    .prepare(
      `SELECT id, ts, event, pid, ppid, exe, args, cwd, uid, exit_code, key, parent_key, origin, source_id, line
       FROM process_events ORDER BY ts, id`,
    )
    .safeIntegers(true)
    .raw(true);

  for (const e of stmt.iterate() as IterableIterator<EventRow>) {
    const ts = e[TS];
    const eKey = e[KEY];
    const pid = Number(e[PID]);
    const from = fromOf(e);
    let target: Proc;
    if (e[EVENT] === 'exit') {
      const keyed = eKey ? byKey.get(eKey) : undefined;
      const last = keyed ?? lastByPid.get(pid);
      if (last && last.end === null && (last.start === null || last.start <= ts)) {
        last.end = ts;
        last.exitCode = last.exitCode ?? n(e[EXIT]);
        target = last;
      } else if (last && last.end !== null && (keyed || absDiff(last.end, ts) <= ONE_MS)) {
        // The same exit seen by a second source.
        if (last.exitCode === null) last.exitCode = n(e[EXIT]);
        addSeen(last, from);
        target = last;
      } else {
        // An exit with no exec seen: the instance started before the record began.
        target = newProc(e, pid, null, ts);
        target.exitCode = n(e[EXIT]);
      }
    } else {
      const keyed = eKey ? byKey.get(eKey) : undefined;
      const last = lastByPid.get(pid);
      if (keyed) {
        mergeExec(keyed, e);
        target = keyed;
      } else if (
        last &&
        last.start !== null &&
        absDiff(last.start, ts) <= ONE_MS &&
        !seen(last, from) &&
        (!eKey || !last.key)
      ) {
        mergeExec(last, e);
        target = last;
      } else {
        const replaced = last && last.end === null && (last.start === null || last.start <= ts) ? last : null;
        target = newProc(e, pid, ts, null);
        if (replaced) {
          replaced.end = ts;
          target.replaced = replaced;
        }
      }
    }
    eventIds.push(Number(e[ID]));
    eventProcs.push(target);
  }

  const index = new PidIndex(procs);
  resolveParents(procs, index, byKey, ctx);
  for (const p of procs) p.isWorker = isRunnerWorker(p.exe, p.args);
  return { procs, index, eventIds, eventProcs };
}

/** Whether a record of `from` (`source|origin`) was merged into `p`. */
function seen(p: Proc, from: string): boolean {
  return p.firstFrom === from || (p.moreFrom !== null && p.moreFrom.has(from));
}

function addSeen(p: Proc, from: string): void {
  if (p.firstFrom !== from) (p.moreFrom ??= new Set()).add(from);
}

function absDiff(a: bigint, b: bigint): bigint {
  return a > b ? a - b : b - a;
}

function resolveParents(procs: Proc[], index: PidIndex, byKey: Map<string, Proc>, ctx: CaseContext): void {
  let detailed = 0;
  const overflow = new Map<string, number>();
  const say = (p: Proc, kind: string, message: string) => {
    if (detailed < MAX_DETAILED_WARNINGS) {
      detailed++;
      ctx.warn({ file: ctx.sourcePath(p.sourceId), line: p.line, message });
    } else overflow.set(kind, (overflow.get(kind) ?? 0) + 1);
  };
  const describe = (p: Proc) => `pid ${p.pid}${p.exe ? ` (${p.exe})` : ''}`;

  for (const p of procs) {
    const t = p.start ?? p.end;
    const byParentKey = p.parentKey ? byKey.get(p.parentKey) : undefined;
    if (byParentKey === p || (p.ppid !== null && p.ppid === p.pid && !byParentKey && !p.replaced)) {
      p.rootReason = byParentKey === p ? `self-parent: parent key ${p.parentKey} is the process's own key` : `self-parent: ppid ${p.ppid} is the process itself`;
      say(p, 'self-parent', `process ${describe(p)}: ${p.rootReason}; shown as a root`);
      continue;
    }
    if (byParentKey) {
      p.parent = byParentKey;
      continue;
    }
    if (p.replaced) {
      p.parent = p.replaced;
      continue;
    }
    if (p.ppid === null || p.ppid === 0) {
      if (p.parentKey) {
        p.rootReason = `missing parent: no process with key ${p.parentKey}`;
        say(p, 'missing parent', `process ${describe(p)}: ${p.rootReason}; shown as a root`);
      }
      continue; // a genuine root
    }
    const parent = index.lookup(p.ppid, t);
    if (parent && parent !== p) {
      p.parent = parent;
      continue;
    }
    p.rootReason =
      `missing parent: no process with pid ${p.ppid} alive at ${t === null ? 'an unknown time' : formatNanos(t)}` +
      (p.parentKey ? ` (and no process with key ${p.parentKey})` : '');
    say(p, 'missing parent', `process ${describe(p)}: ${p.rootReason}; shown as a root`);
  }

  // Cycles (possible through producer keys or equal times): walk up from each instance; a walk that meets its
  // own path breaks the cycle at the instance whose parent link closes it.
  const state = new Uint8Array(procs.length + 1); // 0 new, 1 on the current path, 2 done
  const path: Proc[] = []; // one array for every walk (not one per instance)
  for (const p0 of procs) {
    if (state[p0.id] !== 0) continue;
    path.length = 0;
    let p: Proc | null = p0;
    while (p && state[p.id] === 0) {
      state[p.id] = 1;
      path.push(p);
      const par: Proc | null = p.parent;
      if (par && state[par.id] === 1) {
        const from = path.indexOf(par);
        const ring = path.slice(from).map((x) => `pid ${x.pid}`).concat(`pid ${par.pid}`).join(' -> ');
        p.rootReason = `cycle: ${ring} (child to parent)`;
        p.parent = null;
        say(p, 'cycle', `process ${describe(p)}: parent links form a ${p.rootReason}; shown as a root`);
        break;
      }
      p = par;
    }
    for (const x of path) state[x.id] = 2;
  }

  // Depth, parents first (walk up until a known depth).
  const known = new Uint8Array(procs.length + 1);
  const chain: Proc[] = [];
  for (const p0 of procs) {
    chain.length = 0;
    let p: Proc | null = p0;
    while (p && !known[p.id]) {
      chain.push(p);
      p = p.parent;
    }
    let d = p ? p.depth : -1;
    for (let i = chain.length - 1; i >= 0; i--) {
      const x = chain[i]!;
      x.depth = ++d;
      known[x.id] = 1;
    }
  }

  for (const [kind, count] of overflow) {
    ctx.warn({ file: null, line: null, message: `${count} more processes shown as roots (${kind}); warnings not repeated` });
  }
}

/**
 * Write the instances and link process_events to them. Parents may come later in id order: FK checks are deferred.
 * `processes` is empty here (a fresh case, or reset by finalizeCase), so its indexes are built once after the
 * inserts instead of being updated row by row (about 40 ms of 1.5 s on 100k instances).
 */
export function writeProcessModel(db: Db, m: ProcessModel): void {
  withIndexesSuspended(db, 'processes', ['pid', 'parent_id'], () => {
    const ins = db.prepare(
      `INSERT INTO processes (id, pid, ppid, parent_id, start, end, exe, args, cwd, uid, exit_code, key, step_id, entry_id,
         depth, root_reason, source_id, line, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT raw FROM process_events WHERE id = ?))`,
    );
    for (const p of m.procs) {
      ins.run(
        p.id, p.pid, p.ppid, p.parent?.id ?? null, p.start, p.end, p.exe, p.args, p.cwd, p.uid, p.exitCode, p.key,
        p.stepId, p.entry?.id ?? null, p.depth, p.rootReason, p.sourceId, p.line, p.primaryEventId,
      );
    }
  });
  linkEvents(db, m);
}

/**
 * process_events.process_id of every event. The ids are nearly always dense (the importer's rows): then ONE UPDATE
 * walks the table in rowid order and takes each event's instance from an array (a SQL function), instead of an
 * UPDATE statement per event (200k statements from JS, each a b-tree search: about 40 % slower). Every row of
 * process_events is one of `eventIds` (the model read them all). Sparse ids: one UPDATE per event.
 */
function linkEvents(db: Db, m: ProcessModel): void {
  const ids = m.eventIds;
  if (ids.length === 0) return;
  let min = ids[0]!, max = ids[0]!;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (max - min + 1 > 2 * ids.length + 1024) {
    const upd = db.prepare('UPDATE process_events SET process_id = ? WHERE id = ?');
    for (let i = 0; i < ids.length; i++) upd.run(m.eventProcs[i]!.id, ids[i]!);
    return;
  }
  const byId = new Int32Array(max - min + 1); // 0: no event of that id (instance ids start at 1)
  for (let i = 0; i < ids.length; i++) byId[ids[i]! - min] = m.eventProcs[i]!.id;
  db.function('runlens_event_process', { deterministic: true, varargs: false }, (id: unknown) => {
    const k = Number(id) - min;
    return k >= 0 && k < byId.length && byId[k] !== 0 ? byId[k]! : null;
  });
  db.prepare('UPDATE process_events SET process_id = runlens_event_process(id) WHERE id BETWEEN ? AND ?').run(min, max);
  db.function('runlens_event_process', { deterministic: true, varargs: false }, () => null); // let the array go
}
