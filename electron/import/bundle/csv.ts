/**
 * The one CSV reader of every importer: csv-parse (RFC 4180: fields separated by commas, "…" quoting with "" for a
 * quote, quoted fields may hold the separator and line breaks, so a record may span several physical lines),
 * driven line by line over `readLines` so that every record keeps its first physical line and its raw text.
 *
 * The parser's state is kept across lines (no re-parse of a pending record per new line: the old reader did that,
 * quadratic on an unterminated quote, issue 11 #3). A record may span at most `MAX_RECORD_LINES` physical lines or
 * `MAX_RECORD_CHARS` characters: beyond, its first line is reported (`problem`) and parsing starts again on the line
 * after it, so one stray quote costs at most that many lines read twice, never the rest of the file.
 * `work` counts the characters handed to the parser (tests bound it against the file's size).
 */
import type { Readable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import { Parser, type CsvError } from 'csv-parse';
import { readLines } from '../lines';

export interface CsvRecord {
  /** First physical line of the record, 1-based. */
  line: number;
  /** Last physical line of the record. */
  lineEnd: number;
  fields: string[];
  /** The record's text as in the file (physical lines joined with '\n'). */
  raw: string;
  /** A problem with the record (unterminated quote, stray quote, too long, bad UTF-8); `fields` is then best effort. */
  problem: string | null;
  badUtf8: boolean;
}

export const MAX_RECORD_LINES = 64;
export const MAX_RECORD_CHARS = 1024 * 1024;

const OPTIONS = {
  relax_quotes: false,
  relax_column_count: true,
  skip_empty_lines: false,
} as const;

/** The fields of one line of CSV (a header, a sniffed first line); a broken line gives its best-effort split. */
export function csvFields(line: string, delimiter = ','): string[] {
  try {
    const rows = parseSync(line, { ...OPTIONS, delimiter }) as string[][];
    return rows[0] ?? [''];
  } catch {
    // unterminated quote: the text after the quote is one field
    const q = line.indexOf('"');
    const before = q === -1 ? line : line.slice(0, q);
    const parts = before.split(delimiter);
    if (q !== -1) parts[parts.length - 1] = (parts[parts.length - 1] ?? '') + line.slice(q + 1);
    return parts;
  }
}

/** @deprecated name kept for callers: the fields of one record's text. */
export function parseCsvRecord(text: string): { fields: string[] } {
  return { fields: csvFields(text) };
}

interface Api {
  parse(buf: Buffer | undefined, end: boolean, push: (r: string[]) => void, close: () => void): CsvError | undefined;
}

interface Pending {
  line: number;
  texts: string[];
  chars: number;
  /** Quote characters so far: a record whose count is even ends with its line (RFC 4180 doubles inner quotes). */
  quotes: number;
  bad: boolean;
}

export interface CsvReadStats {
  /** Characters handed to csv-parse (each line once, plus the lines re-read after a runaway record). */
  work: number;
}

export async function* readCsv(
  stream: Readable,
  signal: AbortSignal,
  opts: { delimiter?: string; stats?: CsvReadStats } = {},
): AsyncGenerator<CsvRecord> {
  const delimiter = opts.delimiter ?? ',';
  const stats = opts.stats ?? { work: 0 };
  // csv-parse emits a record only once it has seen a few bytes beyond its end (lookahead), so a record is known
  // complete from the parser's state (a line break outside quotes) and handed out when the parser emits it.
  let skipped: (CsvError | null)[] = [];
  const newApi = (): Api =>
    (
      new Parser({
        ...OPTIONS,
        delimiter,
        skip_records_with_error: true,
        on_skip: (err: CsvError | undefined) => {
          skipped.push(err ?? null);
          return undefined;
        },
      }) as unknown as { api: Api }
    ).api;
  let api = newApi();
  /** Complete records the parser has not emitted yet, oldest first. */
  const done: Pending[] = [];
  const box: { p: Pending | null } = { p: null };
  const out: CsvRecord[] = [];

  const settle = (p: Pending, fields: string[] | null, problem0: string | null) => {
    const raw = p.texts.join('\n');
    // csv-parse counts its own lines (they restart with each parser): the record's line is ours
    const problem = problem0 === null ? null : problem0.replace(/ at line \d+/g, '').replace(/,? on line \d+/g, '');
    out.push({
      line: p.line,
      lineEnd: p.line + p.texts.length - 1,
      fields: fields ?? csvFields(raw, delimiter),
      raw,
      problem,
      badUtf8: p.bad,
    });
  };
  const push = (r: string[]) => {
    const p = done.shift();
    if (p) settle(p, r, null);
  };
  const close = () => undefined;
  /**
   * A record csv-parse refused (skip) or a parser error: the oldest record in flight gets the problem; the parser
   * is replaced and the lines of the records after it are read again (at most one record and MAX_RECORD_LINES).
   */
  const afterParse = (err: CsvError | undefined) => {
    const e = skipped[0] ?? err;
    skipped = [];
    if (e === undefined) return;
    const failed = done.shift() ?? box.p;
    if (!failed) return;
    if (failed === box.p) box.p = null;
    // only the record's first line is taken as bad: the lines after it are read again as records of their own
    settle({ ...failed, texts: failed.texts.slice(0, 1) }, null, e ? e.message : 'CSV record not readable');
    const again: { no: number; text: string }[] = failed.texts
      .slice(1)
      .map((t, k) => ({ no: failed.line + 1 + k, text: t }));
    for (const p of [...done.splice(0), ...(box.p ? [box.p] : [])])
      p.texts.forEach((t, k) => again.push({ no: p.line + k, text: t }));
    box.p = null;
    api = newApi();
    for (const a of again) feed(a.no, a.text, false);
  };
  /** End the current parser: its complete records are emitted; an open quoted field is left to the caller. */
  const drain = () => {
    const err = api.parse(undefined, true, push, close);
    skipped = [];
    for (const p of done.splice(0)) settle(p, null, err ? err.message : 'CSV record not readable');
    api = newApi();
  };

  /** Feed one physical line. */
  function feed(no: number, text: string, bad: boolean): void {
    if (!box.p) {
      if (text.trim() === '') return;
      box.p = { line: no, texts: [], chars: 0, quotes: 0, bad: false };
    }
    box.p.texts.push(text);
    box.p.chars += text.length + 1;
    box.p.bad ||= bad;
    for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) box.p.quotes++;
    stats.work += text.length + 1;
    const err = api.parse(Buffer.from(text + '\n', 'utf8'), false, push, close);
    if (box.p && box.p.quotes % 2 === 0 && !err) {
      done.push(box.p);
      box.p = null;
    }
    afterParse(err);
    if (box.p && (box.p.texts.length > MAX_RECORD_LINES || box.p.chars > MAX_RECORD_CHARS)) {
      // A runaway quoted field: report its first line, read the lines after it again with a fresh parser.
      const p: Pending = box.p;
      box.p = null;
      drain();
      out.push({
        line: p.line,
        lineEnd: p.line,
        fields: [],
        raw: p.texts[0]!,
        problem: `unterminated quoted field (no closing quote within ${MAX_RECORD_LINES} lines): line skipped`,
        badUtf8: p.bad,
      });
      p.texts.slice(1).forEach((t, k) => feed(p.line + 1 + k, t, false));
    }
  }

  for await (const ln of readLines(stream, { signal })) {
    if (signal.aborted) return;
    if (ln.tooLong) {
      const p: Pending | null = box.p;
      box.p = null;
      drain();
      while (out.length) yield out.shift()!;
      if (p)
        yield {
          line: p.line,
          lineEnd: ln.no,
          fields: [],
          raw: p.texts.join('\n'),
          problem: `record too long (line ${ln.no} over 8 MiB)`,
          badUtf8: p.bad,
        };
      else
        yield {
          line: ln.no,
          lineEnd: ln.no,
          fields: [],
          raw: '',
          problem: 'line too long (over 8 MiB)',
          badUtf8: false,
        };
      continue;
    }
    feed(ln.no, ln.text, ln.badUtf8);
    while (out.length) yield out.shift()!;
  }
  // End of file: the parser's last records; inside a quoted field, its first line is reported and the lines after
  // it read again.
  for (;;) {
    const p: Pending | null = box.p;
    box.p = null;
    drain();
    while (out.length) yield out.shift()!;
    if (!p) break;
    yield {
      line: p.line,
      lineEnd: p.line,
      fields: csvFields(p.texts[0]!, delimiter),
      raw: p.texts[0]!,
      problem: 'unterminated quoted field at end of file',
      badUtf8: p.bad,
    };
    p.texts.slice(1).forEach((t, k) => feed(p.line + 1 + k, t, false));
    while (out.length) yield out.shift()!;
  }
}
