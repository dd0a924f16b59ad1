/** What the rules read: the analysed case, loaded lazily (each table at most once per analysis run). */
import type { Db } from '../../db/open';
import type { CasePolicy } from '../case-context';
import { isRunnerWorker } from '../process-model';
import type { LogCandidates, LogScanSet } from './log-scan';
import { heldRows } from '../../import/watched-lines';
import type { CallView, DetectionInput, FileView, LogView, ProcessView, StepView } from './types';

type R = Record<string, unknown>;
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const b = (v: unknown): bigint | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(v as number));
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function argsOf(v: unknown): string[] {
  if (typeof v !== 'string') return [];
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.map((x) => String(x)) : [];
  } catch {
    return [];
  }
}

/**
 * One process as stored: `processes`' columns the rules read, args still JSON text. The analysis's own instances
 * (process-model.ts `Proc`, written to `processes` just before) have these fields; `isWorker` as the model found it.
 */
export interface ProcessRecord {
  id: number;
  pid: number;
  exe: string | null;
  args: string | null;
  start: bigint | null;
  stepId: number | null;
  isWorker?: boolean;
}

function processView(r: ProcessRecord): ProcessView {
  const args = argsOf(r.args);
  const exe = r.exe;
  return {
    id: r.id, pid: r.pid, exe, args, name: baseName(exe) || baseName(args[0] ?? null), cmd: args.length ? args.join(' ') : (exe ?? ''),
    start: r.start, stepId: r.stepId, isWorker: r.isWorker ?? isRunnerWorker(exe, r.args),
  };
}

/**
 * The pre-filter of `processesWith` / `processesNamed`: a test on the stored text that every process whose command
 * line (or name) holds a needle passes, so only those few processes' args are parsed. A needle's longest run without
 * a space (`needleSegment`) cannot span two arguments (the command line joins them with spaces), so it lies in ONE
 * argument, or in the exe — and an argument's text appears as such in the stored JSON unless the JSON escapes it
 * (a backslash), or the element is not a string (an object or a nested array: `{`, `[`; a number's text may differ
 * from its String(): such segments, made only of number characters, are not pre-filtered at all).
 */
export function needleSegment(needle: string): string | null {
  let best = '';
  for (const part of needle.split(' ')) if (part.length > best.length) best = part;
  return best === '' || /^[-+.0-9eE]+$/.test(best) ? null : best;
}

/** Stored args whose text may not hold an argument's text as such (see `needleSegment`): a backslash, {, a [ after the first. */
const OPAQUE_ARGS = String.raw`\\|\{|[\s\S]\[`;
const opaqueArgs = (args: string): boolean => args.includes('\\') || args.includes('{') || args.indexOf('[', 1) >= 0;

function mayHold(r: ProcessRecord, segs: readonly string[]): boolean {
  const { exe, args } = r;
  for (const x of segs) if ((exe !== null && exe.includes(x)) || (args !== null && args.includes(x))) return true;
  return args !== null && opaqueArgs(args);
}

const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function baseName(p: string | null): string {
  if (!p) return '';
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

function lazy<T>(load: () => T): () => T {
  let v: T | undefined;
  return () => (v === undefined ? (v = load()) : v);
}

/**
 * `scans`: the log lines the rules declared they read (log-scan.ts). They are read once for all rules — from the
 * ids the import's writer collected (`candidates`, checked to still name the same lines), else by one SQL pass
 * (`instr()` per needle: a plain substring search, far cheaper per line than a call into JS) — and each rule's
 * `logLinesWith` then filters those few lines in memory.
 */
export function loadDetectionInput(
  db: Db,
  policy: CasePolicy | null,
  scans: LogScanSet | null = null,
  candidates: LogCandidates | null = null,
  stored: readonly ProcessRecord[] | null = null,
  processNeedles: readonly string[] = [],
): DetectionInput {
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).safeIntegers(true).all(...params) as R[];
  const scan = (needles: readonly string[], keep: (t: string) => boolean): LogView[] => {
    const any = needles.includes('');
    const where = any ? '' : `WHERE ${needles.map(() => 'instr(text, ?) > 0').join(' OR ')}`;
    const out: LogView[] = [];
    const st = db.prepare(`SELECT id, ts, step_id, text FROM log_lines ${where} ORDER BY id`).safeIntegers(true);
    for (const r of st.iterate(...(any ? [] : needles)) as IterableIterator<R>) {
      const text = s(r.text) ?? '';
      if (keep(text)) out.push({ id: n(r.id)!, ts: b(r.ts), stepId: n(r.step_id), text });
    }
    return out;
  };
  // Read in id order (a sequential scan) and sorted here only if needed: ORDER BY ts over the time index costs a
  // random table lookup per call (500k calls: seconds), and calls are nearly always stored in time order.
  const callsWhere = (where: string): CallView[] => {
    const rows = db
      .prepare(`SELECT id, ts, endpoint, domain, ip, port, http_method, http_path, tool_sha256, verdict, process_id, COALESCE(step_id, running_step_id) FROM network ${where} ORDER BY id`)
      .safeIntegers(true)
      .raw(true)
      .all() as unknown[][];
    const out = rows.map(
      (r): CallView => ({
        id: n(r[0])!, ts: b(r[1])!, endpoint: s(r[2]), domain: s(r[3]), ip: s(r[4]), port: n(r[5]) ?? 0,
        httpMethod: s(r[6]), httpPath: s(r[7]), toolSha256: s(r[8]), verdict: s(r[9]),
        processId: n(r[10]), stepId: n(r[11]),
      }),
    );
    let sorted = true;
    for (let i = 1; i < out.length && sorted; i++) if (out[i]!.ts < out[i - 1]!.ts) sorted = false;
    if (!sorted) out.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : x.id - y.id));
    return out;
  };
  const prefetched = lazy((): LogView[] | null => {
    if (!scans || scans.empty) return null;
    if (candidates && candidates.set === scans) {
      const lines = linesByCandidates(db, candidates);
      if (lines) return lines;
    }
    return scan(scans.needles, (t) => scans.test(t));
  });
  const steps: StepView[] = all('SELECT id, number, name, uses, started_at, completed_at FROM steps ORDER BY job, number').map((r) => ({
    id: n(r.id)!, number: n(r.number)!, name: s(r.name) ?? '', uses: s(r.uses), start: b(r.started_at), end: b(r.completed_at),
  }));
  // The processes as stored (args still JSON text): the analysis's own instances when given, else read raw.
  const records = lazy((): readonly ProcessRecord[] => {
    if (stored) return stored;
    const rows = db.prepare('SELECT id, pid, exe, args, start, step_id FROM processes ORDER BY id').safeIntegers(true).raw(true).all() as unknown[][];
    return rows.map((r) => ({ id: n(r[0])!, pid: n(r[1])!, exe: s(r[2]), args: s(r[3]), start: b(r[4]), stepId: n(r[5]) }));
  });
  // One view per process, made when a rule first needs it (parsing 100k processes' args is most of the rules' time).
  const views = new Map<number, ProcessView>();
  const viewOf = (r: ProcessRecord): ProcessView => {
    let v = views.get(r.id);
    if (!v) views.set(r.id, (v = processView(r)));
    return v;
  };
  const processes = lazy((): ProcessView[] => records().map(viewOf));
  // The rules' declared needles (`processNeedles`), as one alternation (one pass of V8's regexp per text instead of
  // an includes() per needle): the processes that may hold any of them, found once for every rule.
  const declared = new Set(processNeedles.map(needleSegment).filter((x): x is string => x !== null));
  const alternation = [...declared].map(escapeRe).join('|');
  const exeRe = new RegExp(alternation);
  const argsRe = new RegExp(`${alternation}|${OPAQUE_ARGS}`); // or the text may not hold an argument as such
  const likely = lazy((): readonly ProcessRecord[] =>
    declared.size
      ? records().filter((r) => (r.exe !== null && exeRe.test(r.exe)) || (r.args !== null && argsRe.test(r.args)))
      : records(),
  );
  const poolFor = (segs: readonly string[]) => (segs.every((x) => declared.has(x)) ? likely() : records());
  const viewsWhere = (pool: readonly ProcessRecord[], candidate: (r: ProcessRecord) => boolean, exact: (p: ProcessView) => boolean): ProcessView[] => {
    const out: ProcessView[] = [];
    for (const r of pool) {
      if (!candidate(r)) continue;
      const v = viewOf(r);
      if (exact(v)) out.push(v);
    }
    return out;
  };
  const stepById = lazy(() => new Map(records().map((p) => [p.id, p.stepId])));
  return {
    policy,
    steps,
    processes,
    processesWith(needles) {
      const exact = (p: ProcessView) => needles.some((x) => p.cmd.includes(x));
      const segs = needles.map(needleSegment);
      if (segs.some((x) => x === null)) return processes().filter(exact);
      return viewsWhere(poolFor(segs as string[]), (r) => mayHold(r, segs as string[]), exact);
    },
    processesNamed(name) {
      const seg = needleSegment(name);
      if (seg === null) return processes().filter((p) => p.name === name);
      return viewsWhere(poolFor([seg]), (r) => mayHold(r, [seg]), (p) => p.name === name);
    },
    workers: lazy(() => viewsWhere(records(), (r) => r.isWorker ?? isRunnerWorker(r.exe, r.args), () => true)),
    calls: lazy(() => callsWhere('')),
    outsideCalls: lazy(() => callsWhere("WHERE verdict = 'outside-policy'")),
    files: lazy((): FileView[] =>
      all('SELECT id, ts, path, op, sha256, process_id, exe, source_id, line FROM file_events ORDER BY ts, id').map((r) => ({
        id: n(r.id)!, ts: b(r.ts)!, path: s(r.path) ?? '', op: s(r.op) ?? '', sha256: s(r.sha256), processId: n(r.process_id),
        exe: s(r.exe), sourceId: n(r.source_id), line: n(r.line),
      })),
    ),
    logLinesWith(needles, keep) {
      if (needles.length === 0) return [];
      const pass = (t: string) => (keep ? keep(t) : true);
      if (scans && scans.covers(needles, keep)) {
        const pre = prefetched();
        if (pre) return pre.filter((l) => needles.some((x) => l.text.includes(x)) && pass(l.text));
      }
      return scan(needles, pass);
    },
    resolutions: lazy(() =>
      all('SELECT id, ts, domain, answers, process_id FROM dns ORDER BY ts, id').map((r) => ({
        id: n(r.id)!, ts: b(r.ts)!, domain: s(r.domain) ?? '', answers: argsOf(r.answers), processId: n(r.process_id),
      })),
    ),
    stepOf: (id) => (id === null ? null : (stepById().get(id) ?? null)),
  };
}

/**
 * The lines the import's writer found (`candidates`), read by id — or null when the ids may no longer name those
 * lines (the log finalize renumbered or dropped lines): then the caller scans the log.
 */
export function linesByCandidates(db: Db, c: LogCandidates): LogView[] | null {
  const rows = heldRows(db, c, 'ts, step_id, text', true);
  if (!rows) return null;
  const out: LogView[] = [];
  for (const r of rows) {
    const text = s(r[3]) ?? '';
    // the writer tested the same text (the ids only spare the scan; a line that no longer passes is not the same)
    if (!c.set.test(text)) return null;
    out.push({ id: n(r[0])!, ts: b(r[1]), stepId: n(r[2]), text });
  }
  return out;
}
