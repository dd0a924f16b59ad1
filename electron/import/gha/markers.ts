/**
 * GitHub Actions log markers at the start of a line's plain text (ANSI already stripped): `##[group]`,
 * `##[endgroup]`, `##[error]`, `##[warning]`, `##[notice]`, `##[debug]`, `##[command]` / `[command]`, `##[section]`.
 */
import type { LogMarker } from '../../../shared/model';

const NAMES: ReadonlySet<string> = new Set([
  'group',
  'endgroup',
  'error',
  'warning',
  'notice',
  'debug',
  'command',
  'section',
]);

export interface ParsedMarker {
  marker: LogMarker;
  /** Text after the marker (`Run actions/checkout@v4` for `##[group]Run actions/checkout@v4`). */
  rest: string;
}

export function parseMarker(plain: string): ParsedMarker | null {
  if (plain.startsWith('[command]')) return { marker: 'command', rest: plain.slice(9) };
  if (!plain.startsWith('##[')) return null;
  const p = 3;
  const close = plain.indexOf(']', p);
  if (close === -1 || close - p > 12) return null;
  const name = plain.slice(p, close).toLowerCase();
  if (!NAMES.has(name)) return null;
  return { marker: name as LogMarker, rest: plain.slice(close + 1) };
}
