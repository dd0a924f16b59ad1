/**
 * The build log through the filter language: the matching lines only (`log.filter`, "show only matching lines")
 * and the next or previous matching line from a position (`log.match`, Enter in the log's filter box). Lines keep
 * their index in the whole log, so a hit selects the same line in the full view.
 */
import type { Db } from '../db/open';
import type { ParsedParams, Result } from '../../shared/api';
import { logFilterSql, parseFilterParam, registerFilterFunctions } from './filter-sql';
import { logIndexOfId, logWindow, toLogRow } from './log-window';
import { numOr0, QueryError, type Row } from './values';
import { parseRfc3339, TimeError } from '../../shared/time';

const COUNT_CACHE = 16;
const counts = new WeakMap<Db, Map<string, number>>();

function countOf(db: Db, expr: string, sql: { sql: string; args: (string | number | bigint)[] }): number {
  let m = counts.get(db);
  if (!m) counts.set(db, (m = new Map()));
  let n = m.get(expr);
  if (n === undefined) {
    n = numOr0((db.prepare(`SELECT count(*) AS n FROM log_lines l WHERE ${sql.sql}`).safeIntegers(true).get(...sql.args) as Row).n);
    if (m.size >= COUNT_CACHE) m.clear();
    m.set(expr, n);
  }
  return n;
}

export function logFilter(db: Db, p: ParsedParams<'log.filter'>): Result<'log.filter'> {
  registerFilterFunctions(db);
  const tree = parseFilterParam(p.expr);
  if (!tree && p.from === undefined && p.to === undefined) return logWindow(db, { offset: p.offset, limit: p.limit });
  const parts: string[] = [];
  const args: (string | number | bigint)[] = [];
  if (tree) {
    const f = logFilterSql(tree);
    parts.push(f.sql);
    args.push(...f.args);
  }
  // a time range (the timeline's): lines with a time inside it
  for (const [k, op] of [['from', '>='], ['to', '<=']] as const) {
    const v = p[k];
    if (v === undefined) continue;
    try {
      args.push(parseRfc3339(v));
    } catch (e) {
      throw new QueryError(`${k}: ${e instanceof TimeError ? e.message : String(e)}`);
    }
    parts.push(`l.ts ${op} ?`);
  }
  const w = { sql: parts.join(' AND '), args };
  const total = countOf(db, `${p.expr}\u0000${p.from ?? ''}\u0000${p.to ?? ''}`, w);
  const rows = db
    .prepare(
      `SELECT l.id, l.job, l.ts, l.step_id, coalesce(s.number, l.step_number) AS step_number, l.raw, l.marker, l.depth
       FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id WHERE ${w.sql} ORDER BY l.id LIMIT ? OFFSET ?`,
    )
    .safeIntegers(true)
    .all(...w.args, p.limit, p.offset) as Row[];
  return {
    total,
    rows: rows.map((r) => toLogRow(r, logIndexOfId(db, { id: numOr0(r.id) }).index)),
  };
}

export function logMatch(db: Db, p: ParsedParams<'log.match'>): Result<'log.match'> {
  registerFilterFunctions(db);
  const tree = parseFilterParam(p.expr);
  if (!tree) return { index: -1, total_matches: 0 };
  const w = logFilterSql(tree);
  const total = countOf(db, p.expr, w);
  if (total === 0) return { index: -1, total_matches: 0 };
  // the search runs from the line at index `from` (exclusive); -1 is before the first line, past the end after the last
  const next = p.direction === 'next';
  const lineId = (i: number) => logWindow(db, { offset: i, limit: 1 }).rows[0]?.id ?? null;
  let bound: number | null;
  if (next) bound = p.from < 0 ? -1 : lineId(p.from);
  else bound = p.from < 0 ? null : (lineId(p.from) ?? Number.MAX_SAFE_INTEGER);
  if (bound === null) return { index: -1, total_matches: total };
  const r = db
    .prepare(`SELECT l.id FROM log_lines l WHERE l.id ${next ? '>' : '<'} ? AND ${w.sql} ORDER BY l.id ${next ? 'ASC' : 'DESC'} LIMIT 1`)
    .safeIntegers(true)
    .get(bound, ...w.args) as Row | undefined;
  return { index: r ? logIndexOfId(db, { id: numOr0(r.id) }).index : -1, total_matches: total };
}
