/**
 * Helpers shared by the bundle v1 importers: sniffing JSON heads, reading JSON lines with per-line warnings, and
 * checking one record's fields (required, types, RFC 3339 with zone). A bad record becomes a warning naming the
 * line and is skipped; the rest of the file still loads.
 */
import type { Readable } from 'node:stream';
import { parseRfc3339, TimeError, type Nanos } from '../../../shared/time';
import { readLines } from '../lines';
import type { ImportContext, InputFile, RecordSink } from '../types';

/** Sniff scores used by every bundle importer: content decides, the well-known name breaks ties. */
export const SNIFF_CONTENT = 0.8;
export const SNIFF_NAME_BONUS = 0.15;
/** A file with the well-known name whose head could not be checked (empty, or a first line that is not JSON). */
export const SNIFF_NAME_ONLY = 0.3;

export function baseName(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return (i === -1 ? relPath : relPath.slice(i + 1)).toLowerCase();
}

/** The head as text without BOMs. */
export function headText(file: Pick<InputFile, 'head'>): string {
  return file.head.toString('utf8').replace(/\uFEFF/g, '');
}

/** First non-empty line of the head, when it is complete (followed by a newline, or the head is the whole file). */
export function firstCompleteLine(file: InputFile): string | null {
  const text = headText(file);
  const whole = file.head.length >= file.bytes;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      const rest = text.slice(start).trim();
      return whole && rest ? rest : null;
    }
    const line = text.slice(start, nl).trim();
    if (line) return line;
    start = nl + 1;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first JSON-lines record of the head, parsed, or null. */
export function firstJsonObject(file: InputFile): Record<string, unknown> | null {
  const line = firstCompleteLine(file);
  if (!line || line[0] !== '{') return null;
  try {
    const v: unknown = JSON.parse(line);
    return isPlainObject(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Standard sniff for a JSON-lines bundle file: `matches` looks at the first record. Name alone gives a low score
 * so that a well-named file whose first line is broken is still read (and its bad lines reported).
 */
export function sniffJsonl(file: InputFile, wellKnownName: string, matches: (o: Record<string, unknown>) => boolean): number {
  const named = baseName(file.relPath) === wellKnownName;
  const first = firstJsonObject(file);
  if (first && matches(first)) return SNIFF_CONTENT + (named ? SNIFF_NAME_BONUS : 0);
  if (!named) return 0;
  const line = firstCompleteLine(file);
  // Empty, or starts like JSON but broken: still ours by name. Clearly another format (CSV, text): not ours.
  if (line === null || line[0] === '{') return SNIFF_NAME_ONLY;
  return 0;
}

/** Field checker for one record: collects the first problem; getters return undefined when absent. */
export class Fields {
  problem: string | null = null;
  constructor(
    readonly o: Record<string, unknown>,
    private readonly parent: Fields | null = null,
    private readonly prefix = '',
  ) {}

  private fail(msg: string): undefined {
    if (this.parent) return this.parent.fail(`in "${this.prefix}": ${msg}`);
    if (!this.problem) this.problem = msg;
    return undefined;
  }

  has(key: string): boolean {
    return this.o[key] !== undefined && this.o[key] !== null;
  }

  time(key: string, required: boolean): Nanos | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'string') return this.fail(`field "${key}" must be an RFC 3339 string, got ${typeName(v)}`);
    try {
      return parseRfc3339(v);
    } catch (e) {
      return this.fail(`field "${key}": ${e instanceof TimeError ? e.message : String(e)}`);
    }
  }

  str(key: string, required = false): string | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'string') return this.fail(`field "${key}" must be a string, got ${typeName(v)}`);
    return v;
  }

  int(key: string, required = false, min = -Infinity, max = Infinity): number | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(`field "${key}" must be an integer, got ${typeName(v)}`);
    // Beyond ±2^53 a JSON number has already been rounded (or is 1e300): not a value we can store exactly.
    if (v < min || v > max || !Number.isSafeInteger(v)) return this.fail(`field "${key}" out of range: ${v}`);
    return v;
  }

  strArray(key: string, required = false): string[] | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      return this.fail(`field "${key}" must be an array of strings`);
    }
    return v as string[];
  }

  obj(key: string): Record<string, unknown> | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) return this.fail(`field "${key}" must be an object, got ${typeName(v)}`);
    return v;
  }

  /** A nested object's fields, checked with the same rules; problems are reported on the parent, prefixed. */
  nested(key: string): Fields | undefined {
    const o = this.obj(key);
    return o ? new Fields(o, this, key) : undefined;
  }
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The one warning policy (writer.ts): warnings stored per file; the rest are counted in one last warning. */
export { MAX_WARNINGS_PER_SOURCE as MAX_WARNINGS_PER_FILE } from '../writer';

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
  for await (const ln of readLines(stream, { signal: ctx.signal })) {
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
    if (!isPlainObject(v)) {
      sink.warn(ln.no, `expected a JSON object, got ${typeName(v)}; record skipped`);
      continue;
    }
    const problem = onRecord(v, ln.no, text);
    if (problem) sink.warn(ln.no, `${problem}; record skipped`);
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
