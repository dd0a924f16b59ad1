/** What the rules read: the analysed case, loaded lazily (each table at most once per analysis run). */
import type { Db } from '../../db/open';
import type { CasePolicy } from '../case-context';
import { isRunnerWorker } from '../process-model';
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

export function baseName(p: string | null): string {
  if (!p) return '';
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

function lazy<T>(load: () => T): () => T {
  let v: T | undefined;
  return () => (v === undefined ? (v = load()) : v);
}

export function loadDetectionInput(db: Db, policy: CasePolicy | null): DetectionInput {
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).safeIntegers(true).all(...params) as R[];
  const steps: StepView[] = all('SELECT id, number, name, uses, started_at, completed_at FROM steps ORDER BY job, number').map((r) => ({
    id: n(r.id)!, number: n(r.number)!, name: s(r.name) ?? '', uses: s(r.uses), start: b(r.started_at), end: b(r.completed_at),
  }));
  const processes = lazy((): ProcessView[] =>
    all('SELECT id, pid, exe, args, start, step_id FROM processes ORDER BY id').map((r) => {
      const args = argsOf(r.args);
      const exe = s(r.exe);
      return {
        id: n(r.id)!, pid: n(r.pid)!, exe, args, name: baseName(exe) || baseName(args[0] ?? null), cmd: args.length ? args.join(' ') : (exe ?? ''),
        start: b(r.start), stepId: n(r.step_id), isWorker: isRunnerWorker(exe, s(r.args)),
      };
    }),
  );
  const stepById = lazy(() => new Map(processes().map((p) => [p.id, p.stepId])));
  return {
    policy,
    steps,
    processes,
    // Read in id order (a sequential scan) and sorted here only if needed: ORDER BY ts over the time index costs a
    // random table lookup per call (500k calls: seconds), and calls are nearly always stored in time order.
    calls: lazy((): CallView[] => {
      const rows = db
        .prepare('SELECT id, ts, endpoint, domain, ip, port, http_method, http_path, tool_sha256, verdict, process_id, COALESCE(step_id, running_step_id) FROM network ORDER BY id')
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
    }),
    files: lazy((): FileView[] =>
      all('SELECT id, ts, path, op, sha256, process_id, exe, source_id, line FROM file_events ORDER BY ts, id').map((r) => ({
        id: n(r.id)!, ts: b(r.ts)!, path: s(r.path) ?? '', op: s(r.op) ?? '', sha256: s(r.sha256), processId: n(r.process_id),
        exe: s(r.exe), sourceId: n(r.source_id), line: n(r.line),
      })),
    ),
    logLinesWith(needles) {
      if (needles.length === 0) return [];
      // instr() is a plain substring search: far cheaper per line than a regular expression, so the rules' own
      // expressions only run on the few lines that can match.
      const where = needles.map(() => 'instr(text, ?) > 0').join(' OR ');
      return all(`SELECT id, ts, step_id, text FROM log_lines WHERE ${where} ORDER BY id`, ...needles).map(
        (r): LogView => ({ id: n(r.id)!, ts: b(r.ts), stepId: n(r.step_id), text: s(r.text) ?? '' }),
      );
    },
    resolutions: lazy(() =>
      all('SELECT id, ts, domain, answers, process_id FROM dns ORDER BY ts, id').map((r) => ({
        id: n(r.id)!, ts: b(r.ts)!, domain: s(r.domain) ?? '', answers: argsOf(r.answers), processId: n(r.process_id),
      })),
    ),
    stepOf: (id) => (id === null ? null : (stepById().get(id) ?? null)),
  };
}
