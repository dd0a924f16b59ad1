/**
 * Is this a GitHub Actions log? Content decides: the first non-empty line starts with GitHub's line timestamp
 * (`2026-10-14T09:12:14.2500000Z `; 0-9 fractional digits accepted, GitHub's 7 score highest). A file placed as in GitHub's log archive (`<job>/<n>_<step>.txt`,
 * `<n>_<job>.txt`, or any `.txt` under `logs/`) whose text has no timestamps is still taken, with a low score
 * (it imports as untimed lines, with a warning).
 */
import type { InputFile } from '../types';
import { isJunkPath, looksLikeLogArchivePath } from './paths';
import { stampLength } from './timestamp';
import { headText } from '../kit';
import { GH_LOG_LINE } from './read-log';

/** Scores on the registry's 0..1 scale (formats/index.ts). */
export const SNIFF_STAMPED_IN_LAYOUT = 0.95;
/** GitHub's own 7-digit stamp: unmistakable. */
export const SNIFF_STAMPED = 0.9;
/** An ISO stamp with another number of digits: plausible (other tools write such lines too). */
export const SNIFF_OTHER_STAMP = 0.6;
export const SNIFF_LAYOUT_ONLY = 0.2;

const MAX_LOOK = 16 * 1024;

export function sniffGhaLog(file: InputFile): number {
  if (isJunkPath(file.relPath)) return 0;
  const head = file.head.subarray(0, MAX_LOOK);
  if (head.includes(0)) return 0; // binary
  const text = headText({ head });
  const layout = looksLikeLogArchivePath(file.relPath);
  // First non-empty line, and how many of the first lines carry a stamp.
  const lines = text.split('\n', 50).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const first = lines.find((l) => l !== '');
  const len = first === undefined ? 0 : stampLength(first);
  if (len > 0) {
    if (layout) return SNIFF_STAMPED_IN_LAYOUT;
    return len === 28 ? SNIFF_STAMPED : SNIFF_OTHER_STAMP; // `YYYY-MM-DDTHH:MM:SS.fffffffZ` is 28 characters
  }
  // `gh run view --log` output: `<job>\t<step>\t<stamped line>` (read-log.ts)
  if (first !== undefined && !layout && GH_LOG_LINE.test(first)) return SNIFF_STAMPED;
  if (layout && (file.bytes === 0 || isMostlyText(text))) return SNIFF_LAYOUT_ONLY;
  return 0;
}

function isMostlyText(s: string): boolean {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) || c === 0xfffd) bad++;
  }
  return bad <= s.length / 20;
}
