/**
 * Hosts, URLs and IP addresses written in log lines, indexed in `log_mentions` (migration 3) as what the log
 * MENTIONS: a case with logs only can still answer "which step talked about this host". Never mixed with the
 * network table (what the run was seen to call). Recognised, per line:
 * - URLs `scheme://host[:port]/…` (kind 'url', host taken from it);
 * - IPv4 addresses with four octets 0-255, not part of a longer dotted number nor of a package version (kind 'ip');
 * - host names with a letter-led last label from a list of common top-level domains (kind 'host'), so that file
 *   names (`package.json`, `index.js`) are not taken for hosts. A name inside a URL is not listed twice.
 * What is lost: hosts under other top-level domains unless written in a URL; IPv6 addresses outside URLs.
 */
import type { Db } from '../../db/open';
import { heldRows, type WatchedLines } from '../watched-lines';

/** A URL's host as a name or address: starts with a letter or digit (any script), then letters, digits, marks, `.-_:`. */
const HOSTLIKE_RE = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._:-]*$/u;
const URL_RE = /\b([a-z][a-z0-9+.-]{1,15}):\/\/([^\s/'"<>()[\]{}\\?#@]+@)?(\[[0-9a-f:.]+\]|[^\s/'"<>()[\]{}\\?#:@]+)(:\d{1,5})?[^\s'"<>)\]}]*/gi;
/**
 * Four dotted octets are an address only when they stand alone: not glued to a word (`0ubuntu1.17.10.1`), not a
 * package version's middle or start (Debian/RPM versions in apt and dnf output: an epoch `8:6.9.12.98`, `+`/`~`
 * separators `8.0+4.0.5.2+3.0.9~…`, a revision `6.12.0.200-0xamarin2`, `0.60.8.1-1build1`). A real log (SOURCES.md,
 * openwrt-home) printed 103 lines of mono's `6.12.0.200-0xamarin2+ubuntu2004b1`, which read as an IP before.
 * Lost: an address written glued to letters or followed by `-word`.
 */
const IPV4_RE = /(?<![\w.+~]|\d:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d|[-+~][\w.]*[A-Za-z])/g;
const HOST_RE = /(?<![\w.@/-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))(?![\w-]|\.[a-z0-9])/gi;
const TLDS = new Set(
  'com org net io dev app cloud ai co edu gov mil int info biz me xyz site online tech run so sh example test invalid localhost internal local arpa us uk de fr nl eu ca au jp cn ru in br ch se no fi dk pl it es be at cz'.split(
    ' ',
  ),
);
/** Common file extensions that are also top-level domains: a token ending so is a host only inside a URL. */
const FILE_LIKE = new Set(['sh', 'py', 'rs', 'md', 'ts', 'js', 'so', 'in', 'pl', 'mil', 'run', 'me', 'app', 'ai', 'int', 'local', 'co']);

/**
 * Necessary conditions for any mention, tested first (most log lines have a `.` — file names, versions — and no
 * mention; the three regular expressions above cost ~2 µs on such a line, these ~0.2 µs): a URL needs `://`, an
 * address a digit-dot-digit, a host name `.` + one of the accepted top-level domains ending the token.
 */
const IP_HINT = /\d\.\d/;
const HOST_HINT = new RegExp(`\\.(?:${[...TLDS].filter((t) => !FILE_LIKE.has(t)).join('|')})(?![\\w-])`, 'i');

/** False when `text` certainly mentions no URL, address or host (the writer tests every line with it). */
export function mayMention(text: string): boolean {
  return text.includes('://') || (text.includes('.') && (IP_HINT.test(text) || HOST_HINT.test(text)));
}

export interface Mention {
  kind: 'url' | 'host' | 'ip';
  value: string;
  host: string;
}

export function mentionsIn(text: string): Mention[] {
  if (!mayMention(text)) return [];
  const out: Mention[] = [];
  const seen = new Set<string>();
  const add = (m: Mention) => {
    const k = `${m.kind}\u0000${m.value}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(m);
    }
  };
  const inUrl: [number, number][] = [];
  for (const m of text.matchAll(URL_RE)) {
    const host = m[3]!.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
    // A file URL names no network host; a "host" that is a shell or template expression (`file://${x}`, `http://$HOST`)
    // is not one either. Names in any script are kept (a homoglyph host is evidence), IPv6 in brackets too.
    if (!host || m[1]!.toLowerCase() === 'file' || !(m[3]!.startsWith('[') || HOSTLIKE_RE.test(host))) continue;
    add({ kind: 'url', value: m[0].replace(/[.,;:]+$/, ''), host });
    inUrl.push([m.index!, m.index! + m[0].length]);
  }
  const covered = (i: number) => inUrl.some(([a, b]) => i >= a && i < b);
  for (const m of text.matchAll(IPV4_RE)) {
    if (covered(m.index!)) continue;
    if ([m[1], m[2], m[3], m[4]].some((o) => Number(o) > 255 || (o!.length > 1 && o!.startsWith('0')))) continue;
    add({ kind: 'ip', value: m[0], host: m[0] });
  }
  for (const m of text.matchAll(HOST_RE)) {
    if (covered(m.index!)) continue;
    const tld = m[2]!.toLowerCase();
    if (!TLDS.has(tld) || FILE_LIKE.has(tld)) continue;
    const host = m[1]!.toLowerCase();
    add({ kind: 'host', value: host, host });
  }
  return out;
}

/**
 * The watched lines' [id, text] in id order from the texts the writer kept, when it kept them all and every line it
 * stored is still there under its id (`asWritten`: the caller moved and dropped none; the count says none was
 * added). Else null.
 */
function keptRows(db: Db, held: WatchedLines): [number, string][] | null {
  const texts = held.texts;
  if (!held.complete || !texts || texts.length !== held.ids.length) return null;
  const count = Number((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n);
  if (count !== held.lines) return null;
  const rows: [number, string][] = held.ids.map((id, i) => [id, texts[i]!]);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]![0] <= rows[i - 1]![0]) {
      rows.sort((a, b) => a[0] - b[0]);
      break;
    }
  }
  return rows;
}

/** Where `stageKeptMentions` puts the rows: a private table of this connection (gone when it closes). */
const STAGED = 'temp.rl_early_mentions';

/**
 * The mentions of the lines the writer kept (their texts, `keptRows`), worked out before `log_mentions` exists
 * (while the import waits for its calls worker: gha/finalize-logs.ts prepareLogsEarly) and staged in a temporary
 * table in `log_mentions`' order; `indexLogMentions(…, staged)` moves them in with one INSERT … SELECT. Valid as
 * long as no line is moved, dropped or added (the caller checks). False when the writer did not keep them all.
 */
export function stageKeptMentions(db: Db, held: WatchedLines): boolean {
  const rows = keptRows(db, held);
  if (!rows) return false;
  db.exec(`DROP TABLE IF EXISTS ${STAGED}; CREATE TABLE ${STAGED} (log_line_id INTEGER, kind TEXT, value TEXT, host TEXT)`);
  const ins = db.prepare(`INSERT INTO ${STAGED} VALUES (?, ?, ?, ?)`);
  for (const [id, text] of rows) for (const m of mentionsIn(text)) ins.run(id, m.kind, m.value, m.host);
  return true;
}

/**
 * Fill `log_mentions` from every log line (after the lines have their final ids). `held`: the lines the import's
 * writer found may mention something (mayMention, import/watched-lines.ts): only those are read when their ids
 * still hold, else every line with a `.` or `://`. `asWritten`: no line was moved or dropped since the writer stored
 * them (then the texts it kept are used without reading the lines back). `staged`: the rows were worked out from
 * those texts already (stageKeptMentions) and still hold (the caller knows); the staging table is dropped either way.
 */
export function indexLogMentions(db: Db, held?: WatchedLines | null, asWritten = false, staged = false): number {
  db.exec(`DELETE FROM log_mentions`);
  if (staged) {
    const n = db.prepare(`INSERT INTO log_mentions (log_line_id, kind, value, host) SELECT * FROM ${STAGED} ORDER BY rowid`).run().changes;
    db.exec(`DROP TABLE ${STAGED}`);
    return n;
  }
  db.exec(`DROP TABLE IF EXISTS ${STAGED}`);
  const ins = db.prepare(`INSERT INTO log_mentions (log_line_id, kind, value, host) VALUES (?, ?, ?, ?)`);
  let n = 0;
  const rows = held ? (asWritten ? keptRows(db, held) : null) ?? heldRows(db, held, 'text') : null;
  if (rows) {
    for (const [id, text] of rows as [number, string][]) {
      for (const m of mentionsIn(text)) {
        ins.run(id, m.kind, m.value, m.host);
        n++;
      }
    }
    return n;
  }
  // in pages by id: a statement cannot write while another one iterates on the same connection
  const page = db
    .prepare(`SELECT id, text FROM log_lines WHERE id > ? AND (instr(text, '.') > 0 OR instr(text, '://') > 0) ORDER BY id LIMIT 5000`)
    .raw(true);
  let after = -1;
  for (;;) {
    const rows = page.all(after) as [number, string][];
    if (rows.length === 0) break;
    for (const [id, text] of rows) {
      for (const m of mentionsIn(text)) {
        ins.run(id, m.kind, m.value, m.host);
        n++;
      }
    }
    after = rows[rows.length - 1]![0];
  }
  return n;
}
