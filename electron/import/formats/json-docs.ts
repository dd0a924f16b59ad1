/**
 * Streaming JSON document splitter for producers that write one JSON object after another: JSON lines, pretty-
 * printed documents concatenated (Tetragon's `-o json` with jq, the O'Reilly book samples), or one top-level array
 * of objects. It tracks brace depth with string awareness over the raw bytes and never parses the whole file; each
 * document is handed out as text with its first and last line.
 *
 * Damage is contained: in JSON-lines mode (the first document ended on its own line) a newline inside an open
 * document ends it as `broken`, so one cut line cannot swallow the rest of the file; a document over
 * `maxDocBytes` is skipped as `tooLong`; bytes outside any document are `garbage` (one item per line).
 */
import type { Readable } from 'node:stream';
import { noteSpan } from '../accounting';

export type JsonItem =
  | { kind: 'doc'; line: number; lineEnd: number; text: string; badUtf8: boolean }
  | { kind: 'broken'; line: number; text: string }
  | { kind: 'tooLong'; line: number }
  | { kind: 'garbage'; line: number; text: string };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decode(parts: Buffer[], bytes: number): { text: string; bad: boolean } {
  const b = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
  try {
    // A document's text is kept exact (U+FEFF inside it too): BOM bytes outside documents are skipped below.
    return { text: strict.decode(b), bad: false };
  } catch {
    return { text: lenient.decode(b), bad: true };
  }
}

export const DEFAULT_MAX_DOC_BYTES = 16 * 1024 * 1024;

export async function* readJsonDocs(
  stream: Readable | AsyncIterable<Buffer | string>,
  opts: { maxDocBytes?: number; signal?: AbortSignal } = {},
): AsyncGenerator<JsonItem> {
  const max = opts.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES;
  let line = 1;
  let depth = 0; // 0: outside any document
  let inStr = false;
  let esc = false;
  let docLine = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let mode: 'unknown' | 'lines' | 'pretty' = 'unknown';
  let garbage: number[] | null = null;
  let garbageLine = 0;

  const take = (chunk: Buffer, from: number, to: number) => {
    if (tooLong || to <= from) return;
    if (partBytes + (to - from) > max) {
      tooLong = true;
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(chunk.subarray(from, to));
    partBytes += to - from;
  };
  const reset = () => {
    depth = 0;
    inStr = false;
    esc = false;
    parts = [];
    partBytes = 0;
    tooLong = false;
  };

  for await (const c0 of stream as AsyncIterable<Buffer | string>) {
    if (opts.signal?.aborted) return;
    const chunk = typeof c0 === 'string' ? Buffer.from(c0, 'utf8') : c0;
    let start = depth > 0 ? 0 : -1; // where the current document's bytes start in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (depth === 0) {
        if (b === 0x0a) {
          if (garbage) {
            yield { kind: 'garbage', line: garbageLine, text: lenient.decode(Buffer.from(garbage)).replace(/\r$/, '') };
            garbage = null;
          }
          line++;
          continue;
        }
        if (garbage) {
          if (garbage.length < 200) garbage.push(b);
          continue;
        }
        if (b === 0x20 || b === 0x09 || b === 0x0d || b === 0x5b || b === 0x5d || b === 0x2c) continue; // ws [ ] ,
        if (b === 0xef || b === 0xbb || b === 0xbf) continue; // BOM bytes between documents
        if (b === 0x7b) {
          depth = 1;
          docLine = line;
          start = i;
          continue;
        }
        garbage = [b];
        garbageLine = line;
        continue;
      }
      // inside a document
      if (b === 0x0a) {
        if (mode === 'lines') {
          take(chunk, start, i);
          const { text } = decode(parts, partBytes);
          yield { kind: 'broken', line: docLine, text: text.replace(/\r$/, '') };
          reset();
          start = -1;
          line++;
          continue;
        }
        line++;
      }
      if (inStr) {
        if (esc) esc = false;
        else if (b === 0x5c) esc = true;
        else if (b === 0x22) inStr = false;
        continue;
      }
      if (b === 0x22) inStr = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) {
          take(chunk, start, i + 1);
          if (mode === 'unknown') mode = line === docLine ? 'lines' : 'pretty';
          if (tooLong) yield { kind: 'tooLong', line: docLine };
          else {
            const { text, bad } = decode(parts, partBytes);
            if (line > docLine) noteSpan(docLine, line);
            yield { kind: 'doc', line: docLine, lineEnd: line, text, badUtf8: bad };
          }
          reset();
          start = -1;
        }
      }
    }
    if (depth > 0 && start >= 0) take(chunk, start, chunk.length);
  }
  if (garbage) yield { kind: 'garbage', line: garbageLine, text: lenient.decode(Buffer.from(garbage)) };
  if (depth > 0) {
    if (tooLong) yield { kind: 'tooLong', line: docLine };
    else yield { kind: 'broken', line: docLine, text: decode(parts, partBytes).text };
  }
}

/**
 * Parse each document of a stream, handing objects to `onDoc`; damaged documents become one warning each (file
 * line via `warn`). Returns the number of documents parsed.
 */
export async function forEachJsonObject(
  stream: Readable,
  signal: AbortSignal,
  warn: (line: number | null, message: string) => void,
  onDoc: (obj: Record<string, unknown>, line: number, raw: string) => void,
): Promise<number> {
  let n = 0;
  for await (const item of readJsonDocs(stream, { signal })) {
    if (signal.aborted) break;
    switch (item.kind) {
      case 'garbage':
        warn(item.line, `not JSON: ${item.text.length > 60 ? item.text.slice(0, 60) + '…' : item.text}`);
        break;
      case 'tooLong':
        warn(item.line, `JSON document too large (over ${DEFAULT_MAX_DOC_BYTES} bytes): skipped`);
        break;
      case 'broken':
        warn(item.line, 'damaged JSON document (unterminated): skipped');
        break;
      case 'doc': {
        let obj: unknown;
        try {
          obj = JSON.parse(item.text);
        } catch (e) {
          warn(item.line, `invalid JSON: ${(e as Error).message}`);
          break;
        }
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
          warn(item.line, 'JSON value is not an object: skipped');
          break;
        }
        if (item.badUtf8) warn(item.line, 'invalid UTF-8 bytes replaced with U+FFFD');
        n++;
        onDoc(obj as Record<string, unknown>, item.line, item.text);
      }
    }
  }
  return n;
}
