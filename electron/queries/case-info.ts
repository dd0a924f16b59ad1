/** `case.info`: what the case holds — run, policy, counts, inputs (with hashes), warnings, time range, jobs. */
import path from 'node:path';
import { readImportState, type Db } from '../db/open';
import type { CaseInfo, CaseSource, SourceAccounting } from '../../shared/api';
import { readMeta, readPolicy, readRun } from './policy';
import { nanos, num, numOr0, str, time, type Row } from './values';

const COUNTED = {
  network: 'network',
  dns: 'dns',
  processes: 'processes',
  process_events: 'process_events',
  log_lines: 'log_lines',
  steps: 'steps',
  files: 'file_events',
  findings: 'findings',
} as const;

/** Tables and time columns that bound the case in time (each has an index on the column, or is small). */
const TIMED: [string, string][] = [
  ['network', 'ts'],
  ['log_lines', 'ts'],
  ['process_events', 'ts'],
  ['dns', 'ts'],
  ['file_events', 'ts'],
  ['steps', 'started_at'],
  ['steps', 'completed_at'],
];

export function caseTitle(run: Record<string, unknown> | null, casePath: string): string {
  const parts = [run?.repository, run?.workflow, run?.job].filter((x): x is string => typeof x === 'string' && x !== '');
  let t = parts.join(' · ');
  if (run && (typeof run.run_id === 'number' || typeof run.run_id === 'string')) t += `${t ? ' ' : ''}#${run.run_id}`;
  return t || path.basename(casePath);
}

/** Sources listed by `case.info` at most (inputs and files with a format; a huge log archive is cut here). */
export const MAX_LISTED_SOURCES = 5000;

/** Inputs and the files read inside them, with the clock offset in force (seconds) for each. */
export function caseSources(db: Db): CaseSource[] {
  return (
    db
      .prepare(
        `SELECT id, parent_id, path, member, format, offset_ns, ${hasAccounting(db) ? ACCOUNTING_COLUMNS : 'NULL AS lines'} FROM sources
         WHERE parent_id IS NULL OR format IS NOT NULL ORDER BY id LIMIT ${MAX_LISTED_SOURCES}`,
      )
      .safeIntegers(true)
      .all() as Row[]
  ).map((r) => ({
    id: numOr0(r.id),
    parent_id: num(r.parent_id),
    path: str(r.path) ?? '',
    member: str(r.member),
    format: str(r.format),
    offset_seconds: Number(nanos(r.offset_ns) ?? 0n) / 1e9,
    accounting: accountingOf(r),
  }));
}

const ACCOUNTING_COLUMNS = 'bytes_read, lines, records, lines_stored, lines_skipped, skipped';

/** Cases written before migration 3 have no accounting columns. */
function hasAccounting(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM pragma_table_info('sources') WHERE name = 'lines_skipped'`).get() !== undefined;
}

/** A source's accounting (migration 3), null for containers and files no importer read. */
export function accountingOf(r: Row): SourceAccounting | null {
  const lines = num(r.lines);
  if (lines === null) return null;
  let skipped: Record<string, number> = {};
  try {
    const v = JSON.parse(str(r.skipped) ?? '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, n] of Object.entries(v as Record<string, unknown>)) if (typeof n === 'number') skipped[k] = n;
    }
  } catch {
    skipped = {};
  }
  return {
    bytes: numOr0(r.bytes_read),
    lines,
    records: numOr0(r.records),
    lines_stored: numOr0(r.lines_stored),
    lines_skipped: numOr0(r.lines_skipped),
    skipped,
  };
}

/** Every file an importer read, with its accounting (for `import --json` and the tests). */
export function fileAccounting(db: Db): ({ path: string; format: string | null } & SourceAccounting)[] {
  if (!hasAccounting(db)) return [];
  const rows = db
    .prepare(`SELECT path, format, ${ACCOUNTING_COLUMNS} FROM sources WHERE lines IS NOT NULL ORDER BY id`)
    .safeIntegers(true)
    .all() as Row[];
  return rows.map((r) => ({ path: str(r.path) ?? '', format: str(r.format), ...accountingOf(r)! }));
}

/** Offsets (seconds) of the sources with a format below `inputId`. */
function memberOffsets(sources: CaseSource[], inputId: number): number[] {
  const parent = new Map(sources.map((s) => [s.id, s.parent_id]));
  const under = (id: number): boolean => {
    const seen = new Set<number>();
    for (let p = parent.get(id) ?? null; p !== null && !seen.has(p); p = parent.get(p) ?? null) {
      if (p === inputId) return true;
      seen.add(p);
    }
    return false;
  };
  return sources.filter((s) => s.format !== null && under(s.id)).map((s) => s.offset_seconds);
}

export function caseInfo(db: Db): CaseInfo {
  const run = readRun(db);
  const given = readMeta(db, 'title');
  const counts = {} as CaseInfo['counts'];
  for (const [k, table] of Object.entries(COUNTED) as [keyof CaseInfo['counts'], string][]) {
    counts[k] = numOr0((db.prepare(`SELECT count(*) AS n FROM ${table}`).safeIntegers(true).get() as Row).n);
  }
  const sources = caseSources(db);
  const inputs = (
    db
      .prepare('SELECT id, path, sha256, bytes, format, offset_ns FROM sources WHERE parent_id IS NULL ORDER BY id')
      .safeIntegers(true)
      .all() as Row[]
  ).map((r) => {
    const id = numOr0(r.id);
    let offset = Number(nanos(r.offset_ns) ?? 0n) / 1e9;
    if (r.format === null) {
      // A folder or archive: the offset its members' times carry, when they all carry the same one.
      const own = new Set(memberOffsets(sources, id));
      if (own.size === 1) offset = [...own][0]!;
    }
    return { id, path: str(r.path) ?? '', sha256: str(r.sha256) ?? '', bytes: numOr0(r.bytes), format: str(r.format), offset_seconds: offset };
  });
  const warnings = (db.prepare('SELECT file, line, message FROM warnings ORDER BY id').safeIntegers(true).all() as Row[]).map(
    (r) => ({ file: str(r.file), line: num(r.line), message: str(r.message) ?? '' }),
  );
  let lo: bigint | null = null, hi: bigint | null = null;
  for (const [table, col] of TIMED) {
    // min() and max() separately: each is one index probe.
    const a = nanos((db.prepare(`SELECT min(${col}) AS v FROM ${table}`).safeIntegers(true).get() as Row).v);
    const b = nanos((db.prepare(`SELECT max(${col}) AS v FROM ${table}`).safeIntegers(true).get() as Row).v);
    if (a !== null && (lo === null || a < lo)) lo = a;
    if (b !== null && (hi === null || b > hi)) hi = b;
  }
  const jobs = new Set<string>();
  for (const r of db.prepare('SELECT DISTINCT job FROM steps ORDER BY job').all() as Row[]) jobs.add(str(r.job) ?? '');
  if (typeof run?.job === 'string' && jobs.size === 0) jobs.add(run.job);
  return {
    title: typeof given === 'string' && given ? given : caseTitle(run, db.name),
    case_file: db.name,
    run,
    policy: readPolicy(db),
    counts,
    inputs,
    sources,
    warnings,
    time_range: lo !== null && hi !== null ? { start: time(lo)!, end: time(hi)! } : null,
    jobs: [...jobs],
    import_state: readImportState(db),
  };
}
