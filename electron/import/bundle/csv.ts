/**
 * Streaming RFC 4180 CSV records over `readLines`: fields separated by commas, "…" quoting with "" for a quote,
 * quoted fields may hold commas and line breaks (a record then spans several physical lines).
 */
import type { Readable } from 'node:stream';
import { readLines } from '../lines';

export interface CsvRecord {
  /** First physical line of the record, 1-based. */
  line: number;
  fields: string[];
  /** The record's text as in the file (physical lines joined with '\n'). */
  raw: string;
  /** A problem with the record (unterminated quote, stray quote, too long, bad UTF-8); `fields` is then best effort. */
  problem: string | null;
  badUtf8: boolean;
}

/** Parse one (possibly multi-line) record; `open` is true when it ends inside a quoted field. */
export function parseCsvRecord(text: string): { fields: string[]; open: boolean; stray: boolean } {
  const fields: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  let stray = false;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cur += c;
      i++;
      continue;
    }
    if (c === ',') {
      fields.push(cur);
      cur = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === '"') {
      if (atFieldStart) quoted = true;
      else {
        stray = true;
        cur += c;
      }
      atFieldStart = false;
      i++;
      continue;
    }
    atFieldStart = false;
    cur += c;
    i++;
  }
  fields.push(cur);
  return { fields, open: quoted, stray };
}

const MAX_RECORD_CHARS = 8 * 1024 * 1024;

export async function* readCsv(stream: Readable, signal: AbortSignal): AsyncGenerator<CsvRecord> {
  let pending: string | null = null;
  let pendingLine = 0;
  let pendingBad = false;
  for await (const ln of readLines(stream, { signal })) {
    if (signal.aborted) return;
    if (ln.tooLong) {
      if (pending !== null) {
        yield { line: pendingLine, fields: [], raw: pending, problem: `record too long (line ${ln.no} over 8 MiB)`, badUtf8: pendingBad };
        pending = null;
      } else yield { line: ln.no, fields: [], raw: '', problem: 'line too long (over 8 MiB)', badUtf8: false };
      continue;
    }
    const text: string = pending === null ? ln.text : pending + '\n' + ln.text;
    const line: number = pending === null ? ln.no : pendingLine;
    const bad: boolean = (pending === null ? false : pendingBad) || ln.badUtf8;
    if (pending === null && text.trim() === '') continue;
    const r = parseCsvRecord(text);
    if (r.open) {
      if (text.length > MAX_RECORD_CHARS) {
        yield { line, fields: [], raw: text.slice(0, 200), problem: 'record too long (unterminated quote?)', badUtf8: bad };
        pending = null;
        continue;
      }
      pending = text;
      pendingLine = line;
      pendingBad = bad;
      continue;
    }
    pending = null;
    yield { line, fields: r.fields, raw: text, problem: r.stray ? 'stray quote inside an unquoted field' : null, badUtf8: bad };
  }
  if (pending !== null) {
    const r = parseCsvRecord(pending);
    yield { line: pendingLine, fields: r.fields, raw: pending, problem: 'unterminated quoted field at end of file', badUtf8: pendingBad };
  }
}
