/**
 * "Does this log line mention that domain or IP?" — as a whole token, case-insensitively: `198.51.100.2` does not
 * match `198.51.100.23`, `example.net` does not match `sub.example.net` or `example.network`, but does match
 * `https://example.net/x`, `example.net:443` and `example.net.` at the end of a sentence.
 * FTS5 (log_fts, tokenchars `.-_:`) finds candidate lines with a prefix query; `mentions` verifies in JS.
 */
import { readImportState, type Db } from '../db/open';
import type { ParsedParams, Result } from '../../shared/api';
import { num, numOr0, str, time, type Row } from './values';
const WORD = /[\p{L}\p{N}_-]/u;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD.test(c);
}

/** True when `text` holds `term` (already lower-case) as a whole token. */
export function mentions(text: string, term: string): boolean {
  if (!term) return false;
  const hay = text.toLowerCase();
  let from = 0;
  for (;;) {
    const i = hay.indexOf(term, from);
    if (i < 0) return false;
    from = i + 1;
    const before = hay[i - 1];
    // A dot before means a longer name (sub.example.net) or address (10.198.51.100.2).
    if (isWordChar(before) || before === '.') continue;
    const j = i + term.length;
    const after = hay[j];
    if (isWordChar(after)) continue;
    // A dot after is a sentence end unless a name or address continues (`example.net.evil`, `1.2.3.4.5`).
    if (after === '.' && isWordChar(hay[j + 1])) continue;
    // IPv6: `2001:db8::1` must not match inside `2001:db8::1f`; a colon then a hex digit continues an address.
    if (after === ':' && term.includes(':') && /[0-9a-f]/.test(hay[j + 1] ?? '')) continue;
    return true;
  }
}

/** An FTS5 query matching every line with a token that starts with one of the terms. */
export function ftsPrefixQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' OR ');
}

/** Steps whose log lines mention `host` (a host name or an IP, any case): what the log says, not observed calls. */
export interface StepMention {
  job: string;
  step: string | null;
  lines: number;
  first_line_id: number;
}

export function stepsMentioning(db: Db, host: string): StepMention[] {
  return db
    .prepare(
      `SELECT l.job AS job, s.name AS step, count(*) AS lines, min(l.id) AS first_line_id
       FROM log_mentions m JOIN log_lines l ON l.id = m.log_line_id LEFT JOIN steps s ON s.id = l.step_id
       WHERE m.host = ? OR m.host LIKE ? GROUP BY l.job, l.step_id ORDER BY min(l.id)`,
    )
    .all(host.toLowerCase(), `%.${host.toLowerCase()}`) as StepMention[];
}

// ---------- the "Mentioned in log" list (mentions.list) ----------

const likeAnywhere = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * One row per host, from `log_mentions` alone (its host index gives the groups in host order, so the `host` sort
 * stops after the page; `first` and `count` aggregate the mention index — never the log — then sort the hosts).
 */
export const MENTION_HOSTS_SQL = (where: string, order: string) =>
  `SELECT m.host AS host, count(*) AS mentions, count(DISTINCT m.log_line_id) AS lines, min(m.log_line_id) AS first_line,
     group_concat(DISTINCT m.kind) AS kinds
   FROM log_mentions m ${where} GROUP BY m.host ORDER BY ${order} LIMIT ? OFFSET ?`;
const MENTION_ORDER: Record<ParsedParams<'mentions.list'>['sort'], string> = {
  first: 'first_line, m.host',
  host: 'm.host',
  count: 'mentions DESC, m.host',
};
/** The steps whose lines mention one host, in reading order. Param: the host (lower-case). */
export const MENTION_STEPS_SQL = `SELECT l.step_id AS step_id, s.number AS step_number, s.name AS step_name,
     count(DISTINCT l.id) AS lines, min(l.id) AS first_line
   FROM log_mentions m JOIN log_lines l ON l.id = m.log_line_id LEFT JOIN steps s ON s.id = l.step_id
   WHERE m.host = ? GROUP BY l.step_id ORDER BY min(l.id)`;
export const MENTION_LINE_SQL = `SELECT ts FROM log_lines WHERE id = ?`;
const STEPS_SHOWN = 50;

/** One host's aggregate over `log_mentions`. */
interface HostAgg {
  host: string;
  mentions: number;
  lines: number;
  first: number;
  kinds: string;
}
/**
 * The per-host aggregates of a case, computed once per connection: a case is never written after import, so the
 * list's pages, sorts and filters are then answered from memory (a page of a million mentions would otherwise
 * aggregate the whole mention index again). Cases with more distinct hosts than this are paged in SQL each time.
 */
const AGG_CAP = 200_000;
const aggregates = new WeakMap<Db, HostAgg[] | null>();

function toAgg(h: Row): HostAgg {
  return { host: str(h.host) ?? '', mentions: numOr0(h.mentions), lines: numOr0(h.lines), first: numOr0(h.first_line), kinds: str(h.kinds) ?? '' };
}

function hostAggregates(db: Db): HostAgg[] | null {
  if (aggregates.has(db)) return aggregates.get(db)!;
  // a case still being imported (first screen first) changes under its reader: paged in SQL, never held
  if (readImportState(db) !== 'complete') return null;
  const n = numOr0((db.prepare('SELECT count(DISTINCT host) AS n FROM log_mentions').safeIntegers(true).get() as Row).n);
  const all = n > AGG_CAP ? null : (db.prepare(MENTION_HOSTS_SQL('', 'm.host')).safeIntegers(true).all(-1, 0) as Row[]).map(toAgg);
  aggregates.set(db, all);
  return all;
}

const AGG_ORDER: Record<ParsedParams<'mentions.list'>['sort'], (a: HostAgg, b: HostAgg) => number> = {
  first: (a, b) => a.first - b.first || cmp(a.host, b.host),
  host: (a, b) => cmp(a.host, b.host),
  count: (a, b) => b.mentions - a.mentions || cmp(a.host, b.host),
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The page of hosts: from memory when the case's aggregates are held, else in SQL (`inSql` forces that). */
function hostPage(db: Db, p: ParsedParams<'mentions.list'>, inSql: boolean): { total: number; hosts: HostAgg[] } {
  const q = p.search?.trim().toLowerCase();
  const all = inSql || p.host !== undefined || p.line !== undefined ? null : hostAggregates(db);
  if (all) {
    const hit = q ? all.filter((h) => h.host.includes(q)) : [...all];
    hit.sort(AGG_ORDER[p.sort]);
    return { total: hit.length, hosts: hit.slice(p.offset, p.offset + p.limit) };
  }
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (p.line !== undefined) {
    where.push('m.host IN (SELECT host FROM log_mentions WHERE log_line_id = ?)');
    args.push(p.line);
  }
  if (p.host !== undefined) {
    where.push('m.host = ?');
    args.push(p.host.trim().toLowerCase());
  }
  if (q) {
    where.push("m.host LIKE ? ESCAPE '\\'");
    args.push(likeAnywhere(q));
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = numOr0((db.prepare(`SELECT count(DISTINCT m.host) AS n FROM log_mentions m ${w}`).safeIntegers(true).get(...args) as Row).n);
  const hosts = (db.prepare(MENTION_HOSTS_SQL(w, MENTION_ORDER[p.sort])).safeIntegers(true).all(...args, p.limit, p.offset) as Row[]).map(toAgg);
  return { total, hosts };
}

export function mentionsList(db: Db, p: ParsedParams<'mentions.list'>, opts: { inSql?: boolean } = {}): Result<'mentions.list'> {
  const { total, hosts } = hostPage(db, p, opts.inSql ?? false);
  const stepsOf = db.prepare(MENTION_STEPS_SQL).safeIntegers(true);
  const lineTs = db.prepare(MENTION_LINE_SQL).safeIntegers(true);
  return {
    total,
    rows: hosts.map((h) => {
      const steps = (stepsOf.all(h.host) as Row[]).map((s) => ({
        step_id: num(s.step_id),
        step_number: num(s.step_number),
        step_name: str(s.step_name),
        lines: numOr0(s.lines),
        first_line_id: numOr0(s.first_line),
      }));
      return {
        host: h.host,
        kinds: h.kinds.split(',').filter(Boolean).sort(),
        mentions: h.mentions,
        lines: h.lines,
        first_line_id: h.first,
        first_ts: time((lineTs.get(h.first) as Row | undefined)?.ts),
        steps: steps.slice(0, STEPS_SHOWN),
        step_count: steps.length,
      };
    }),
  };
}

/** The lines mentioning one host, reading order (param: host, limit); the count is a covering probe of the index. */
export const MENTION_LINES_SQL = `SELECT DISTINCT l.id AS id, l.ts AS ts, l.step_id AS step_id
   FROM log_mentions m JOIN log_lines l ON l.id = m.log_line_id WHERE m.host = ? ORDER BY l.id LIMIT ?`;

export function mentionLines(db: Db, p: ParsedParams<'mentions.lines'>): Result<'mentions.lines'> {
  const host = p.host.trim().toLowerCase();
  const total = numOr0((db.prepare('SELECT count(DISTINCT log_line_id) AS n FROM log_mentions WHERE host = ?').safeIntegers(true).get(host) as Row).n);
  const lines = (db.prepare(MENTION_LINES_SQL).safeIntegers(true).all(host, p.limit) as Row[]).map((r) => ({
    id: numOr0(r.id),
    ts: time(r.ts),
    step_id: num(r.step_id),
  }));
  return { total, lines };
}
