/**
 * The build log pane's queries, for logs of millions of lines: a window of lines by index (`log.window`), the index
 * of a time (`log.indexAt`) or of a line id (`log.indexOfId`), substring search (`log.search`) and the outline of
 * step spans and `##[group]` ranges (`log.outline`). The "index" of a line is its position in reading order
 * (ORDER BY id). When ids are contiguous (the importer's usual output) index = id - first id and every lookup is a
 * rowid seek; otherwise the ids are loaded once into a typed array (8 bytes per line) and binary-searched.
 */
import type { Db } from '../db/open';
import type { LogGroup, LogOutline, LogRow, LogStepSpan, ParsedParams, Result } from '../../shared/api';
import { parseRfc3339, TimeError } from '../../shared/time';
import { num, numOr0, QueryError, str, time, type Row } from './values';

/** More groups than this are not folded (the outline stays small enough to ship). */
const MAX_GROUPS = 20_000;
const SEARCH_CACHE = 16;

class LogIndex {
  readonly total: number;
  private readonly first: number;
  private readonly ids: Float64Array | null;

  constructor(db: Db) {
    const r = db
      .prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM log_lines')
      .safeIntegers(true)
      .get() as Row;
    this.total = numOr0(r.n);
    this.first = numOr0(r.lo);
    const hi = numOr0(r.hi);
    if (this.total === 0 || hi - this.first + 1 === this.total) {
      this.ids = null;
    } else {
      this.ids = new Float64Array(this.total);
      let i = 0;
      for (const row of db.prepare('SELECT id FROM log_lines ORDER BY id').raw(true).iterate() as IterableIterator<
        [number]
      >) {
        this.ids[i++] = row[0];
      }
    }
  }

  idAt(index: number): number {
    return this.ids ? this.ids[index]! : this.first + index;
  }

  /** Index of the line with this id, or -1. */
  indexOf(id: number): number {
    if (!this.ids) return id >= this.first && id < this.first + this.total ? id - this.first : -1;
    const i = this.lowerBound(id);
    return i < this.total && this.ids[i] === id ? i : -1;
  }

  /** First index whose id is >= `id` (total when none). */
  lowerBound(id: number): number {
    if (!this.ids) return Math.max(0, Math.min(this.total, id - this.first));
    let lo = 0,
      hi = this.total;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

class LogWindow {
  private readonly index: LogIndex;
  private readonly windowStmt;
  private readonly atOrAfter;
  private readonly before;
  private readonly searchNext;
  private readonly searchPrev;
  private readonly searchCount;
  private readonly counts = new Map<string, number>();
  private outlineCache: LogOutline | null = null;

  constructor(private readonly db: Db) {
    this.index = new LogIndex(db);
    this.windowStmt = db
      .prepare(
        `SELECT l.id, l.job, l.ts, l.step_id, coalesce(s.number, l.step_number) AS step_number, l.raw, l.marker, l.depth
         FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id WHERE l.id >= ? ORDER BY l.id LIMIT ?`,
      )
      .safeIntegers(true);
    this.atOrAfter = db.prepare('SELECT id FROM log_lines WHERE ts >= ? ORDER BY ts, id LIMIT 1').safeIntegers(true);
    this.before = db
      .prepare('SELECT id FROM log_lines WHERE ts < ? ORDER BY ts DESC, id DESC LIMIT 1')
      .safeIntegers(true);
    this.searchNext = db
      .prepare(`SELECT id FROM log_lines WHERE id > ? AND text LIKE ? ESCAPE '\\' ORDER BY id LIMIT 1`)
      .safeIntegers(true);
    this.searchPrev = db
      .prepare(`SELECT id FROM log_lines WHERE id < ? AND text LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT 1`)
      .safeIntegers(true);
    this.searchCount = db
      .prepare(`SELECT count(*) AS n FROM log_lines WHERE text LIKE ? ESCAPE '\\'`)
      .safeIntegers(true);
  }

  window(p: ParsedParams<'log.window'>): Result<'log.window'> {
    const total = this.index.total;
    if (p.offset >= total) return { total, rows: [] };
    const rows = this.windowStmt.all(this.index.idAt(p.offset), p.limit) as Row[];
    return {
      total,
      rows: rows.map((r, i) => toLogRow(r, p.offset + i)),
    };
  }

  indexAt(p: ParsedParams<'log.indexAt'>): Result<'log.indexAt'> {
    let ts: bigint;
    try {
      ts = parseRfc3339(p.ts);
    } catch (e) {
      throw new QueryError(`ts: ${e instanceof TimeError ? e.message : String(e)}`);
    }
    const r = (this.atOrAfter.get(ts) ?? this.before.get(ts)) as Row | undefined;
    return { index: r ? this.index.indexOf(numOr0(r.id)) : -1 };
  }

  indexOfId(p: ParsedParams<'log.indexOfId'>): Result<'log.indexOfId'> {
    return { index: this.index.indexOf(p.id) };
  }

  search(p: ParsedParams<'log.search'>): Result<'log.search'> {
    const pattern = `%${p.query.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    let total = this.counts.get(pattern);
    if (total === undefined) {
      total = numOr0((this.searchCount.get(pattern) as Row).n);
      if (this.counts.size >= SEARCH_CACHE) this.counts.clear();
      this.counts.set(pattern, total);
    }
    if (total === 0) return { index: -1, total_matches: 0 };
    const n = this.index.total;
    let r: Row | undefined;
    if (p.direction === 'next') {
      const fromId = p.from < 0 ? -Infinity : p.from >= n ? Infinity : this.index.idAt(p.from);
      r =
        fromId === Infinity
          ? undefined
          : (this.searchNext.get(fromId === -Infinity ? -1 : fromId, pattern) as Row | undefined);
    } else {
      const fromId = p.from < 0 ? -Infinity : p.from >= n ? Infinity : this.index.idAt(p.from);
      r =
        fromId === -Infinity
          ? undefined
          : (this.searchPrev.get(fromId === Infinity ? Number.MAX_SAFE_INTEGER : fromId, pattern) as Row | undefined);
    }
    return { index: r ? this.index.indexOf(numOr0(r.id)) : -1, total_matches: total };
  }

  outline(): LogOutline {
    if (this.outlineCache) return this.outlineCache;
    const steps: LogStepSpan[] = [];
    const spans = this.db
      .prepare(
        `SELECT s.id, s.job, s.number, s.name, x.lo, x.hi
         FROM (SELECT step_id, min(id) AS lo, max(id) AS hi FROM log_lines WHERE step_id IS NOT NULL GROUP BY step_id) x
         JOIN steps s ON s.id = x.step_id ORDER BY x.lo`,
      )
      .safeIntegers(true)
      .all() as Row[];
    for (const r of spans) {
      steps.push({
        step_id: numOr0(r.id),
        job: str(r.job) ?? '',
        number: numOr0(r.number),
        name: str(r.name) ?? '',
        first: this.index.indexOf(numOr0(r.lo)),
        last: this.index.indexOf(numOr0(r.hi)),
      });
    }
    // Pair ##[group] with ##[endgroup] in reading order; a group left open ends where its step (or the log) ends.
    const groups: LogGroup[] = [];
    const open: { start: number; step: number | null }[] = [];
    let truncated = false;
    const stepEnd = new Map(steps.map((s) => [s.step_id, s.last]));
    const closeOpen = (until: number) => {
      while (open.length) {
        const g = open.pop()!;
        if (groups.length < MAX_GROUPS)
          groups.push({ start: g.start, end: Math.max(g.start, until), depth: open.length });
        else truncated = true;
      }
    };
    let lastStep: number | null = null;
    const markers = this.db
      .prepare(`SELECT id, marker, step_id FROM log_lines WHERE marker IN ('group', 'endgroup') ORDER BY id`)
      .safeIntegers(true);
    for (const r of markers.iterate() as IterableIterator<Row>) {
      const idx = this.index.indexOf(numOr0(r.id));
      const step = num(r.step_id);
      if (step !== lastStep && open.length) closeOpen(lastStep !== null ? (stepEnd.get(lastStep) ?? idx - 1) : idx - 1);
      lastStep = step;
      if (str(r.marker) === 'group') open.push({ start: idx, step });
      else if (open.length) {
        const g = open.pop()!;
        if (groups.length < MAX_GROUPS) groups.push({ start: g.start, end: idx, depth: open.length });
        else truncated = true;
      }
    }
    closeOpen(lastStep !== null ? (stepEnd.get(lastStep) ?? this.index.total - 1) : this.index.total - 1);
    groups.sort((a, b) => a.start - b.start);
    this.outlineCache = { total: this.index.total, steps, groups, groups_truncated: truncated };
    return this.outlineCache;
  }
}

const windows = new WeakMap<Db, LogWindow>();
function windowFor(db: Db): LogWindow {
  let w = windows.get(db);
  if (!w) windows.set(db, (w = new LogWindow(db)));
  return w;
}

export const logWindow = (db: Db, p: ParsedParams<'log.window'>) => windowFor(db).window(p);
export const logIndexAt = (db: Db, p: ParsedParams<'log.indexAt'>) => windowFor(db).indexAt(p);
export const logIndexOfId = (db: Db, p: ParsedParams<'log.indexOfId'>) => windowFor(db).indexOfId(p);
export const logSearch = (db: Db, p: ParsedParams<'log.search'>) => windowFor(db).search(p);
export const logOutline = (db: Db): Result<'log.outline'> => windowFor(db).outline();

/** One log_lines row (the window's columns) as the API's LogRow, at reading-order `index`. */
export function toLogRow(r: Row, index: number): LogRow {
  return {
    index,
    id: numOr0(r.id),
    job: str(r.job) ?? '',
    ts: time(r.ts),
    step_id: num(r.step_id),
    step_number: num(r.step_number),
    raw: str(r.raw) ?? '',
    marker: str(r.marker),
    depth: numOr0(r.depth),
  };
}
