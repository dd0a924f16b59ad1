/**
 * The importer kit, sniffing: what an importer may look at before it reads a file (`InputFile.head`, the first
 * 64 KiB). Content decides; a well-known file name only breaks ties (docs/formats.md, "Common rules").
 */
import type { InputFile } from '../types';
import { isObj } from './values';

/** Sniff scores used by every bundle importer: content decides, the well-known name breaks ties. */
export const SNIFF_CONTENT = 0.8;
export const SNIFF_NAME_BONUS = 0.15;
/** A file with the well-known name whose head could not be checked (empty, or a first line that is not JSON). */
export const SNIFF_NAME_ONLY = 0.3;

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The sniffing head as text (bad bytes as U+FFFD, BOMs removed). */
export function headText(file: Pick<InputFile, 'head'>): string {
  return lenient.decode(file.head).replace(/\uFEFF/g, '');
}

/**
 * Non-empty lines of the head, at most `max`. The last line is dropped when the head is only part of the file
 * (it may be cut in the middle).
 */
export function headLines(file: InputFile, max = 40): string[] {
  const text = headText(file);
  const lines = text.split('\n');
  if (file.head.length < file.bytes && lines.length > 1) lines.pop();
  const out: string[] = [];
  for (const l of lines) {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() === '') continue;
    out.push(t);
    if (out.length >= max) break;
  }
  return out;
}

/** The file's name, lower case (for the well-known names of a bundle's files). */
export function baseName(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return (i === -1 ? relPath : relPath.slice(i + 1)).toLowerCase();
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

/** The first JSON-lines record of the head, parsed, or null. */
export function firstJsonObject(file: InputFile): Record<string, unknown> | null {
  const line = firstCompleteLine(file);
  if (!line || line[0] !== '{') return null;
  try {
    const v: unknown = JSON.parse(line);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Standard sniff for a JSON-lines bundle file: `matches` looks at the first record. Name alone gives a low score
 * so that a well-named file whose first line is broken is still read (and its bad lines reported).
 */
export function sniffJsonl(
  file: InputFile,
  wellKnownName: string,
  matches: (o: Record<string, unknown>) => boolean,
): number {
  const named = baseName(file.relPath) === wellKnownName;
  const first = firstJsonObject(file);
  if (first && matches(first)) return SNIFF_CONTENT + (named ? SNIFF_NAME_BONUS : 0);
  if (!named) return 0;
  const line = firstCompleteLine(file);
  // Empty, or starts like JSON but broken: still ours by name. Clearly another format (CSV, text): not ours.
  if (line === null || line[0] === '{') return SNIFF_NAME_ONLY;
  return 0;
}
