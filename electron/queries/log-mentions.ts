/**
 * "Does this log line mention that domain or IP?" — as a whole token, case-insensitively: `198.51.100.2` does not
 * match `198.51.100.23`, `example.net` does not match `sub.example.net` or `example.network`, but does match
 * `https://example.net/x`, `example.net:443` and `example.net.` at the end of a sentence.
 * FTS5 (log_fts, tokenchars `.-_:`) finds candidate lines with a prefix query; `mentions` verifies in JS.
 */
import type { Db } from '../db/open';
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
