/**
 * Timeline queries: per-bucket event counts (`timeline.density`), the case's range with step windows and findings
 * (`timeline.steps`), and one process's call times (`process.calls`). Density is grouped in SQL on the `ts`
 * indexes, so at most one row per bucket (never per event) leaves the database.
 */
import type { Db } from '../db/open';
import type {
  DensitySeries,
  ParsedParams,
  ProcessCall,
  Result,
  TimelineFinding,
  TimelineSeries,
  TimelineStep,
} from '../../shared/api';
import { timelineSeries } from '../../shared/api';
import { parseRfc3339, TimeError } from '../../shared/time';
import { nanos, num, numOr0, QueryError, str, time, type Row } from './values';

/** Each series: its table and the filter that picks its rows (the range on `ts` is added). */
const SERIES_SQL: Record<TimelineSeries, { table: string; where: string }> = {
  network: { table: 'network', where: '' },
  findings: { table: 'network', where: 'AND finding_id IS NOT NULL' },
  exec: { table: 'process_events', where: "AND event = 'exec'" },
  exit: { table: 'process_events', where: "AND event = 'exit'" },
  files: { table: 'file_events', where: '' },
  logs: { table: 'log_lines', where: '' },
  dns: { table: 'dns', where: '' },
};

/** The SQL of one density series (exported for the query-plan test). */
export function densitySql(series: TimelineSeries, indexed = true): string {
  const { table, where } = SERIES_SQL[series];
  // INDEXED BY pins the plan to the ts index: the findings filter must not tempt the planner into a scan.
  return `SELECT (ts - :start) >> :shift AS b, count(*) AS n FROM ${table} ${indexed ? `INDEXED BY ${table}_ts` : ''}
          WHERE ts >= :start AND ts < :end ${where} GROUP BY b ORDER BY b`;
}

/**
 * Whether a table's ts index exists: not yet in a case whose import is still loading (first screen first,
 * import/partial-case.ts: most indexes are built after the last row; the log lines' exists from the start), whose
 * series is drawn from a scan meanwhile. Per table: they do not all come at once.
 */
const indexedCases = new WeakMap<Db, Map<string, boolean>>();
function hasTsIndex(db: Db, table: string): boolean {
  let m = indexedCases.get(db);
  if (!m) indexedCases.set(db, (m = new Map()));
  let v = m.get(table);
  if (v === undefined) {
    v = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(`${table}_ts`) !== undefined;
    m.set(table, v);
  }
  return v;
}

function parseTime(field: string, s: string): bigint {
  try {
    return parseRfc3339(s);
  } catch (e) {
    throw new QueryError(`${field}: ${e instanceof TimeError ? e.message : String(e)}`);
  }
}

export function timelineDensity(db: Db, p: ParsedParams<'timeline.density'>): Result<'timeline.density'> {
  const start = parseTime('start', p.start);
  const shift = BigInt(p.bucket_log2);
  const end = start + (BigInt(p.buckets) << shift);
  const wanted = p.series ?? [...timelineSeries];
  const series: Partial<Record<TimelineSeries, DensitySeries>> = {};
  for (const name of new Set(wanted)) {
    const out: DensitySeries = { b: [], n: [] };
    const stmt = db.prepare(densitySql(name, hasTsIndex(db, SERIES_SQL[name].table))).safeIntegers(true);
    for (const r of stmt.iterate({ start, end, shift }) as IterableIterator<Row>) {
      out.b.push(numOr0(r.b));
      out.n.push(numOr0(r.n));
    }
    series[name] = out;
  }
  return { start: p.start, bucket_log2: p.bucket_log2, buckets: p.buckets, series };
}

/** Earliest and latest time of anything in the case (each MIN/MAX is one index probe). */
function caseRange(db: Db): { start: string; end: string } | null {
  const row = db
    .prepare(
      `SELECT min(lo) AS lo, max(hi) AS hi FROM (
         SELECT min(ts) AS lo, max(ts) AS hi FROM network
         UNION ALL SELECT min(ts), max(ts) FROM process_events
         UNION ALL SELECT min(ts), max(ts) FROM file_events
         UNION ALL SELECT min(ts), max(ts) FROM log_lines
         UNION ALL SELECT min(ts), max(ts) FROM dns
         UNION ALL SELECT min(started_at), max(coalesce(completed_at, started_at)) FROM steps)`,
    )
    .safeIntegers(true)
    .get() as Row;
  const lo = nanos(row.lo);
  const hi = nanos(row.hi);
  if (lo === null || hi === null) return null;
  return { start: time(lo)!, end: time(hi)! };
}

export function timelineSteps(db: Db): Result<'timeline.steps'> {
  const steps = (
    db
      .prepare('SELECT id, job, number, name, uses, started_at, completed_at, conclusion FROM steps ORDER BY job, number, id')
      .safeIntegers(true)
      .all() as Row[]
  ).map(
    (r): TimelineStep => ({
      id: numOr0(r.id),
      job: str(r.job) ?? '',
      number: numOr0(r.number),
      name: str(r.name) ?? '',
      uses: str(r.uses),
      start: time(r.started_at),
      end: time(r.completed_at),
      conclusion: str(r.conclusion),
    }),
  );
  const findings = (
    db
      .prepare(
        `SELECT f.id, f.kind, f.severity, f.endpoint, f.title, f.calls, f.first_seen, f.last_seen,
                (SELECT n.id FROM network n WHERE n.finding_id = f.id ORDER BY n.ts, n.id LIMIT 1) AS first_call_id
           FROM findings f ORDER BY f.first_seen IS NULL, f.first_seen, f.id`,
      )
      .safeIntegers(true)
      .all() as Row[]
  ).map(
    (r): TimelineFinding => ({
      id: numOr0(r.id),
      kind: str(r.kind) ?? '',
      severity: str(r.severity) ?? '',
      endpoint: str(r.endpoint),
      title: str(r.title),
      calls: numOr0(r.calls),
      first_seen: time(r.first_seen),
      last_seen: time(r.last_seen),
      first_call_id: num(r.first_call_id),
    }),
  );
  return { range: caseRange(db), steps, findings };
}

export function processCalls(db: Db, p: ParsedParams<'process.calls'>): Result<'process.calls'> {
  const exists = db.prepare('SELECT 1 FROM processes WHERE id = ?').get(p.id);
  if (!exists) throw new QueryError(`no process with id ${p.id}`);
  const total = numOr0((db.prepare('SELECT count(*) AS n FROM network WHERE process_id = ?').safeIntegers(true).get(p.id) as Row).n);
  const calls = (
    db
      .prepare('SELECT id, ts, finding_id FROM network WHERE process_id = ? ORDER BY ts, id LIMIT ?')
      .safeIntegers(true)
      .all(p.id, p.limit) as Row[]
  ).map((r): ProcessCall => ({ id: numOr0(r.id), ts: time(r.ts)!, finding_id: num(r.finding_id) }));
  return { process_id: p.id, total, calls };
}
