/**
 * The importer kit, reading: JSON lines with one warning per bad line (the rest of the file still loads), and a
 * small whole JSON document read with a size bound.
 */
import type { Readable } from 'node:stream';
import { readLineBatches } from '../lines';
import type { ImportContext, RecordSink } from '../types';
import { isObj, typeName } from './values';

/**
 * Read a JSON-lines file: each non-empty line must be one JSON object; `onRecord` checks and emits it and returns a
 * problem message (record skipped) or null. Over-long lines, bad UTF-8 and malformed JSON become warnings.
 */
export async function readJsonl(
  stream: Readable,
  sink: RecordSink,
  ctx: ImportContext,
  onRecord: (o: Record<string, unknown>, line: number, raw: string) => string | null,
): Promise<void> {
  // a chunk's lines at a time (readLineBatches), each line checked synchronously: no promise per line (scale: the
  // calls worker's 500k-line network.jsonl; an async iteration per line cost ~0.5 s there, more with the accounting's
  // AsyncLocalStorage hooks on every promise)
  for await (const batch of readLineBatches(stream, { signal: ctx.signal })) {
    for (const ln of batch) {
      if (ctx.signal.aborted) return;
      if (ln.tooLong) {
        sink.warn(ln.no, 'line too long (over 8 MiB): skipped');
        continue;
      }
      const text = ln.text.trim();
      if (!text) continue;
      if (ln.badUtf8) sink.warn(ln.no, 'invalid UTF-8: bytes replaced with U+FFFD');
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        sink.warn(ln.no, `malformed JSON: ${(e as Error).message}; record skipped`);
        continue;
      }
      if (!isObj(v)) {
        sink.warn(ln.no, `expected a JSON object, got ${typeName(v)}; record skipped`);
        continue;
      }
      const problem = onRecord(v, ln.no, text);
      if (problem) sink.warn(ln.no, `${problem}; record skipped`);
    }
  }
}

/** Read a whole (small) JSON document from a stream, refusing more than `maxBytes`. */
export async function readSmallText(stream: Readable, maxBytes: number, signal: AbortSignal): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal.aborted) break;
    total += chunk.length;
    if (total > maxBytes) throw new Error(`file larger than ${Math.round(maxBytes / 1048576)} MiB: not read`);
    parts.push(chunk);
  }
  const buf = Buffer.concat(parts, total);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new Error('invalid UTF-8');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM only at the start; U+FEFF elsewhere is text
}
