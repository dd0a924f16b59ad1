/**
 * Streaming line reader shared by every line-based importer. Never holds more than one line (capped) in memory.
 * - splits on LF and strips the CR of a CRLF; a file whose first 64 KiB hold CRs but no LF (classic Mac, or a
 *   tool writing bare CRs) is split on CR instead (a CR followed by LF still ends one line), so it does not become
 *   one overlong line; in an LF file a CR inside a line (progress bars) is kept;
 * - a UTF-8 BOM (U+FEFF) is stripped only at the very start of the file; anywhere else it is text and is kept, so
 *   `git\uFEFFhub.com` stays what the file says (never silently becomes `github.com`);
 * - a line longer than `maxLineBytes` is not returned: it is reported as `{ tooLong: true }` with its number;
 * - bytes that are not valid UTF-8 are replaced with U+FFFD and the line is flagged `badUtf8`.
 * Home-made rather than node:readline: readline holds a whole overlong line in memory and cannot report bad UTF-8
 * or line-length overruns per line.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

export interface Line {
  /** 1-based physical line number. */
  no: number;
  text: string;
  badUtf8: boolean;
  tooLong: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
/** How much of a file without any LF is looked at before it is taken for a CR-only file. */
export const CR_DECIDE_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decode(buf: Buffer, first: boolean): { text: string; bad: boolean } {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === CR) end--;
  const b = buf.subarray(0, end);
  let text: string;
  let bad = false;
  try {
    text = strict.decode(b);
  } catch {
    text = lenient.decode(b);
    bad = true;
  }
  if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the file's BOM: not part of its text
  return { text, bad };
}

type Mode = 'undecided' | 'lf' | 'cr';

/**
 * The lines as they come, one array per chunk of the stream (never empty): the hot path of big logs. A chunk's
 * complete lines are checked as valid UTF-8 and decoded at once (one call instead of one per line) and split on LF;
 * a chunk holding bad UTF-8, a line longer than `maxLineBytes` or a line begun in an earlier chunk goes line by line
 * as before, so both ways give the same lines.
 */
export async function* readLineBatches(
  stream: Readable | AsyncIterable<Buffer | string>,
  opts: { maxLineBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Line[]> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decideAt = Math.min(CR_DECIDE_BYTES, max);
  let mode: Mode = 'undecided';
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let no = 0;
  /** CR mode: the last chunk ended with a CR, so an LF at the start of the next one belongs to it. */
  let skipLf = false;
  /** The lines of the chunk being read. */
  let out: Line[] = [];

  const line = (): Line => {
    no++;
    if (tooLong) return { no, text: '', badUtf8: false, tooLong: true };
    const { text, bad } = decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes), no === 1);
    return { no, text, badUtf8: bad, tooLong: false };
  };
  const reset = () => {
    parts = [];
    partBytes = 0;
    tooLong = false;
  };
  const append = (piece: Buffer) => {
    if (tooLong) return;
    if (partBytes + piece.length > max) {
      tooLong = true;
      parts = [];
      partBytes = 0;
    } else if (piece.length) {
      parts.push(piece);
      partBytes += piece.length;
    }
  };

  /** CR mode: split one buffer at CR, CRLF or LF; adds the lines it ends. */
  const scanCr = (chunk: Buffer): void => {
    let start = 0;
    if (skipLf && chunk.length) {
      if (chunk[0] === LF) start = 1;
      skipLf = false;
    }
    // Next CR and LF at or after `start`, searched again only once passed (no rescans: linear in the chunk).
    let cr = -2;
    let lf = -2;
    for (;;) {
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      append(end === -1 ? chunk.subarray(start) : chunk.subarray(start, end));
      if (end === -1) return;
      out.push(line());
      reset();
      start = end + 1;
      if (chunk[end] === CR) {
        if (start < chunk.length) {
          if (chunk[start] === LF) start++;
        } else skipLf = true;
      }
    }
  };

  /**
   * LF mode, nothing carried over, at `start`: the complete lines of `chunk[start..last LF]` decoded at once when
   * they are valid UTF-8 and none can be longer than `max`. Returns where the line-by-line path goes on.
   */
  const bulk = (chunk: Buffer, start: number): number => {
    const last = chunk.lastIndexOf(LF);
    if (last < start || last - start > max) return start;
    const region = chunk.subarray(start, last);
    if (!isUtf8(region)) return start;
    const lines = region.toString('utf8').split('\n');
    for (let k = 0; k < lines.length; k++) {
      let text = lines[k]!;
      if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
      no++;
      if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the file's BOM: not part of its text
      out.push({ no, text, badUtf8: false, tooLong: false });
    }
    return last + 1;
  };

  for await (const chunk0 of stream as AsyncIterable<Buffer | string>) {
    if (opts.signal?.aborted) return;
    const chunk = typeof chunk0 === 'string' ? Buffer.from(chunk0, 'utf8') : chunk0;
    if (mode === 'cr') {
      scanCr(chunk);
    } else {
      // LF mode (or not decided yet): the hot path, kept inline.
      let start = 0;
      let tried = false; // (once per chunk: a chunk that cannot go in bulk goes line by line)
      for (;;) {
        if (!tried && mode === 'lf' && parts.length === 0 && !tooLong) {
          tried = true;
          start = bulk(chunk, start);
        }
        const nl = chunk.indexOf(LF, start);
        if (nl === -1) {
          const rest = chunk.subarray(start);
          if (mode === 'undecided' && partBytes + rest.length >= decideAt) {
            // No LF in the first CR_DECIDE_BYTES: CRs (if any) end the lines.
            const sofar = Buffer.concat([...parts, rest], partBytes + rest.length);
            if (!tooLong && sofar.includes(CR)) {
              mode = 'cr';
              reset();
              scanCr(sofar);
              break;
            }
            mode = 'lf';
          }
          append(rest);
          break;
        }
        mode = 'lf';
        const piece = chunk.subarray(start, nl);
        if (!tooLong) {
          if (partBytes + piece.length > max) tooLong = true;
          else if (parts.length === 0) {
            // The common case: the whole line is in this chunk.
            no++;
            const { text, bad } = decode(piece, no === 1);
            out.push({ no, text, badUtf8: bad, tooLong: false });
            start = nl + 1;
            continue;
          } else append(piece);
        }
        out.push(line());
        reset();
        start = nl + 1;
      }
    }
    if (out.length) {
      const batch = out;
      out = [];
      yield batch;
    }
  }
  if (mode === 'undecided' && !tooLong && partBytes > 0) {
    // A short file without LF: CR-only if it has a CR before its last byte.
    const all = Buffer.concat(parts, partBytes);
    const cr = all.indexOf(CR);
    if (cr !== -1 && cr < all.length - 1) {
      reset();
      scanCr(all);
    }
  }
  if (tooLong || partBytes > 0) out.push(line());
  if (out.length) yield out;
}

/** The lines one at a time (readLineBatches' lines). */
export async function* readLines(
  stream: Readable | AsyncIterable<Buffer | string>,
  opts: { maxLineBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(stream, opts)) yield* batch;
}
