/**
 * One log line's text as React text nodes: ANSI colours become styled spans (styling only: the text is always
 * rendered as text, never HTML), the `##[marker]` prefix is dropped, search matches are wrapped in <mark>; bidi
 * controls and invisible characters are drawn as visible marks (evidence/Evidence.tsx).
 */
import type { CSSProperties, ReactNode } from 'react';
import { ansiToSpans, withReadableColors, type AnsiSpan } from '../../../shared/ansi';
import { logThemeColors } from './theme-colors';
import { Ev } from '../evidence/Evidence';

/** The marker, also behind leading colour codes (`\x1b[36;1m##[group]…`): the codes stay, the marker goes. */
const MARKER_PREFIX = /^\uFEFF?((?:\x1b\[[0-9;:]*m)*)(?:##\[(?:group|endgroup|error|warning|notice|debug|command|section)\]|\[command\])/;
/** Longest text drawn in a row; the whole line is in Details. */
export const MAX_DRAWN_CHARS = 4000;

export function displayText(raw: string, marker: string | null): { text: string; extraLines: number } {
  let t = marker ? raw.replace(MARKER_PREFIX, '$1') : raw;
  const nl = t.indexOf('\n');
  let extraLines = 0;
  if (nl >= 0) {
    extraLines = t.split('\n').length - 1;
    t = t.slice(0, nl);
  }
  return { text: t, extraLines };
}

function style(s: AnsiSpan): CSSProperties | undefined {
  if (!s.fg && !s.bg && !s.bold && !s.italic && !s.underline && !s.dim) return undefined;
  return {
    color: s.fg,
    backgroundColor: s.bg,
    fontWeight: s.bold ? 700 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: s.underline ? 'underline' : undefined,
    opacity: s.dim ? 0.7 : undefined,
  };
}

/** Case-insensitive match ranges of `q` in `text`. */
export function matchRanges(text: string, q: string): [number, number][] {
  if (!q) return [];
  const out: [number, number][] = [];
  const hay = text.toLowerCase(),
    needle = q.toLowerCase();
  for (let i = hay.indexOf(needle); i >= 0 && out.length < 200; i = hay.indexOf(needle, i + needle.length))
    out.push([i, i + needle.length]);
  return out;
}

export function LineText({ raw, marker, query }: { raw: string; marker: string | null; query: string }): ReactNode {
  const { text, extraLines } = displayText(raw, marker);
  // Colours the log chose are kept only where they can be read on the theme (issue 11 #9).
  const spans = withReadableColors(ansiToSpans(text.length > MAX_DRAWN_CHARS * 2 ? text.slice(0, MAX_DRAWN_CHARS * 2) : text), logThemeColors());
  const plainLen = spans.reduce((n, s) => n + s.text.length, 0);
  const plain = spans.map((s) => s.text).join('');
  const ranges = matchRanges(plain, query);
  const out: ReactNode[] = [];
  let pos = 0;
  let r = 0;
  spans.forEach((s, si) => {
    const end = Math.min(pos + s.text.length, MAX_DRAWN_CHARS);
    let at = pos;
    const st = style(s);
    while (at < end) {
      while (r < ranges.length && ranges[r]![1] <= at) r++;
      const m = ranges[r];
      if (m && m[0] <= at) {
        const e = Math.min(m[1], end);
        out.push(
          <mark key={`${si}-${at}`} style={st}>
            <Ev text={plain.slice(at, e)} />
          </mark>,
        );
        at = e;
      } else {
        const e = Math.min(m ? m[0] : end, end);
        out.push(
          st ? (
            <span key={`${si}-${at}`} style={st}>
              <Ev text={plain.slice(at, e)} />
            </span>
          ) : (
            <Ev key={`${si}-${at}`} text={plain.slice(at, e)} />
          ),
        );
        at = e;
      }
    }
    pos += s.text.length;
  });
  if (plainLen > MAX_DRAWN_CHARS)
    out.push(
      <span key="more" className="dim">
        {' '}
        … ({(plainLen - MAX_DRAWN_CHARS).toLocaleString()} more characters)
      </span>,
    );
  if (extraLines > 0)
    out.push(
      <span key="nl" className="badge dim" title="continuation lines: see Details">
        {' '}
        +{extraLines} lines
      </span>,
    );
  return <>{out}</>;
}
