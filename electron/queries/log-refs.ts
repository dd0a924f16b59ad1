/**
 * Log lines around a call: the lines within ±window of its time (nearest first, then shown in time order) and the
 * lines that mention its domain or IP as a whole token (FTS5 candidates verified by `mentions`).
 */
import type { Db } from '../db/open';
import type { LogRef } from '../../shared/api';
import { ftsPrefixQuery, mentions } from './log-mentions';
import { nanos, num, numOr0, str, time, type Row } from './values';

const COLS = `l.id, l.ts, l.text, l.seq, coalesce(s.number, l.step_number) AS step`;

/** Lines in [from, to) nearest the end first (index log_lines_ts). Params: from, to, limit. */
export const LOG_BEFORE_SQL = `SELECT ${COLS} FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id
  WHERE l.ts >= ? AND l.ts < ? ORDER BY l.ts DESC, l.id DESC LIMIT ?`;
/** Lines in [from, to] in time order (index log_lines_ts). Params: from, to, limit. */
export const LOG_AFTER_SQL = `SELECT ${COLS} FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id
  WHERE l.ts >= ? AND l.ts <= ? ORDER BY l.ts, l.id LIMIT ?`;
/** Candidate lines for a mention, in reading order (FTS5). Param: an FTS query. */
export const LOG_FTS_SQL = `SELECT ${COLS} FROM log_fts f JOIN log_lines l ON l.id = f.rowid LEFT JOIN steps s ON s.id = l.step_id
  WHERE log_fts MATCH ? ORDER BY f.rowid`;

function logRef(r: Row): LogRef {
  return { id: numOr0(r.id), ts: time(r.ts), step: num(r.step), text: str(r.text) ?? '' };
}

export class LogRefs {
  private readonly before;
  private readonly after;
  private readonly fts;

  constructor(db: Db) {
    this.before = db.prepare(LOG_BEFORE_SQL).safeIntegers(true);
    this.after = db.prepare(LOG_AFTER_SQL).safeIntegers(true);
    this.fts = db.prepare(LOG_FTS_SQL).safeIntegers(true);
  }

  /** Up to `limit` lines within ±windowNs of `ts`, the nearest ones when there are more, in time order. */
  context(ts: bigint, windowNs: bigint, limit: number): LogRef[] {
    const rows = [
      ...(this.before.all(ts - windowNs, ts, limit) as Row[]),
      ...(this.after.all(ts, ts + windowNs, limit) as Row[]),
    ];
    const dist = (r: Row) => {
      const d = (nanos(r.ts) ?? ts) - ts;
      return d < 0n ? -d : d;
    };
    rows.sort((a, b) => {
      const da = dist(a), db = dist(b);
      return da < db ? -1 : da > db ? 1 : numOr0(a.id) - numOr0(b.id);
    });
    const kept = rows.slice(0, limit);
    kept.sort((a, b) => {
      const ta = nanos(a.ts) ?? 0n, tb = nanos(b.ts) ?? 0n;
      return ta < tb ? -1 : ta > tb ? 1 : numOr0(a.id) - numOr0(b.id);
    });
    return kept.map(logRef);
  }

  /** Up to `limit` lines (reading order) mentioning any of `terms` as a whole token, case-insensitively. */
  mentioning(terms: (string | null)[], limit: number): LogRef[] {
    const ts = [...new Set(terms.filter((t): t is string => !!t).map((t) => t.toLowerCase()))].filter((t) => t.length <= 300);
    if (ts.length === 0 || limit <= 0) return [];
    const out: LogRef[] = [];
    for (const r of this.fts.iterate(ftsPrefixQuery(ts)) as IterableIterator<Row>) {
      const text = str(r.text) ?? '';
      if (ts.some((t) => mentions(text, t))) {
        out.push(logRef(r));
        if (out.length >= limit) break;
      }
    }
    return out;
  }
}
