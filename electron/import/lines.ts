/**
 * Streaming line reader shared by every line-based importer. Never holds more than one line (capped) in memory.
 * - splits on LF; strips a trailing CR and every UTF-8 BOM (U+FEFF) wherever it appears;
 * - a line longer than `maxLineBytes` is not returned: it is reported as `{ tooLong: true }` with its number;
 * - bytes that are not valid UTF-8 are replaced with U+FFFD and the line is flagged `badUtf8`.
 */
import type { Readable } from 'node:stream';

export interface Line {
  /** 1-based physical line number. */
  no: number;
  text: string;
  badUtf8: boolean;
  tooLong: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decode(buf: Buffer): { text: string; bad: boolean } {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0d) end--;
  const b = buf.subarray(0, end);
  let text: string;
  let bad = false;
  try {
    text = strict.decode(b);
  } catch {
    text = lenient.decode(b);
    bad = true;
  }
  if (text.includes('\uFEFF')) text = text.replace(/\uFEFF/g, '');
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return { text, bad };
}

export async function* readLines(
  stream: Readable | AsyncIterable<Buffer | string>,
  opts: { maxLineBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Line> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let no = 0;
  for await (const chunk0 of stream as AsyncIterable<Buffer | string>) {
    if (opts.signal?.aborted) return;
    const chunk = typeof chunk0 === 'string' ? Buffer.from(chunk0, 'utf8') : chunk0;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = nl === -1 ? chunk.subarray(start) : chunk.subarray(start, nl);
      if (!tooLong) {
        if (partBytes + piece.length > max) {
          tooLong = true;
          parts = [];
          partBytes = 0;
        } else if (piece.length) {
          parts.push(piece);
          partBytes += piece.length;
        }
      }
      if (nl === -1) break;
      no++;
      if (tooLong) {
        yield { no, text: '', badUtf8: false, tooLong: true };
      } else {
        const { text, bad } = decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes));
        yield { no, text, badUtf8: bad, tooLong: false };
      }
      parts = [];
      partBytes = 0;
      tooLong = false;
      start = nl + 1;
    }
  }
  if (tooLong || partBytes > 0) {
    no++;
    if (tooLong) yield { no, text: '', badUtf8: false, tooLong: true };
    else {
      const { text, bad } = decode(Buffer.concat(parts, partBytes));
      yield { no, text, badUtf8: bad, tooLong: false };
    }
  }
}
