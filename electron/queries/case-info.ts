/** `case.info`: what the case holds — run, policy, counts, inputs (with hashes), warnings, time range, jobs. */
import path from 'node:path';
import type { Db } from '../db/open';
import type { CaseInfo } from '../../shared/api';
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

export function caseInfo(db: Db): CaseInfo {
  const run = readRun(db);
  const given = readMeta(db, 'title');
  const counts = {} as CaseInfo['counts'];
  for (const [k, table] of Object.entries(COUNTED) as [keyof CaseInfo['counts'], string][]) {
    counts[k] = numOr0((db.prepare(`SELECT count(*) AS n FROM ${table}`).safeIntegers(true).get() as Row).n);
  }
  const inputs = (
    db
      .prepare('SELECT path, sha256, bytes, format, offset_ns FROM sources WHERE parent_id IS NULL ORDER BY id')
      .safeIntegers(true)
      .all() as Row[]
  ).map((r) => ({
    path: str(r.path) ?? '',
    sha256: str(r.sha256) ?? '',
    bytes: numOr0(r.bytes),
    format: str(r.format),
    offset_seconds: Number(nanos(r.offset_ns) ?? 0n) / 1e9,
  }));
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
    warnings,
    time_range: lo !== null && hi !== null ? { start: time(lo)!, end: time(hi)! } : null,
    jobs: [...jobs],
  };
}
