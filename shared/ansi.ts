/**
 * ANSI / VT escape handling for log text. Pure (no Node, no DOM): used by the log importer to compute a line's plain
 * text, and by the renderer to draw coloured spans.
 *
 * One linear scanner serves both functions. It recognises:
 * - CSI `ESC [` (and the C1 form U+009B): parameter bytes 0x30-0x3F (incl. private `<=>?`), intermediates
 *   0x20-0x2F, a final byte 0x40-0x7E. Only SGR (`…m`, no private prefix, no intermediates) carries meaning;
 *   every other CSI is dropped. A CSI broken by an invalid byte or the end of the text is dropped up to that byte.
 * - string sequences OSC `ESC ]` (hyperlinks, titles), DCS `ESC P`, SOS `ESC X`, PM `ESC ^`, APC `ESC _` (and their
 *   C1 forms), ended by BEL, `ESC \` or U+009C. One that is not terminated before the end of the physical line
 *   loses only its introducer: its payload stays visible, so hostile output cannot hide the rest of a log.
 * - nF escapes (charset selects `ESC ( B`, `ESC ) 0`, …), and two-character escapes (`ESC 7`, `ESC c`, `ESC =` …).
 * - a lone ESC, every other C0 control except TAB (LF too unless `keepNewlines`), DEL and C1 controls.
 * Every step moves forward; failed searches for a string terminator are remembered, so the whole scan is O(n)
 * even on hostile input (millions of unterminated introducers).
 */

export interface AnsiSpan {
  text: string;
  /** CSS colour (`#rrggbb`). */
  fg?: string;
  bg?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  dim?: boolean;
}

/** The 16 base colours (0-7 normal, 8-15 bright), as `#rrggbb`. */
export const ANSI_PALETTE: readonly string[] = [
  '#000000',
  '#cd3131',
  '#0dbc79',
  '#e5e510',
  '#2472c8',
  '#bc3fbc',
  '#11a8cd',
  '#e5e5e5',
  '#666666',
  '#f14c4c',
  '#23d18b',
  '#f5f543',
  '#3b8eea',
  '#d670d6',
  '#29b8db',
  '#ffffff',
];

const ESC = 0x1b;
const BEL = 0x07;
const TAB = 0x09;
const LF = 0x0a;

// Any code unit the scanner must look at (all C0 except TAB, DEL, C1). Single character class: no backtracking.
const NEEDS_SCAN = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16);
}

function rgb(r: number, g: number, b: number): string {
  return '#' + hex2(r) + hex2(g) + hex2(b);
}

const CUBE = [0, 95, 135, 175, 215, 255];

/** xterm 256-colour index to `#rrggbb`; undefined when out of range. */
export function color256(i: number): string | undefined {
  if (!Number.isInteger(i) || i < 0 || i > 255) return undefined;
  if (i < 16) return ANSI_PALETTE[i];
  if (i < 232) {
    const n = i - 16;
    return rgb(CUBE[Math.floor(n / 36)]!, CUBE[Math.floor(n / 6) % 6]!, CUBE[n % 6]!);
  }
  const v = 8 + (i - 232) * 10;
  return rgb(v, v, v);
}

interface Handlers {
  text(start: number, end: number): void;
  sgr(params: string): void;
}

function isStringIntroducer(c: number): boolean {
  // ] P X ^ _
  return c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f;
}

function scan(s: string, keepNewlines: boolean, h: Handlers): void {
  const n = s.length;
  let textStart = 0;
  let i = 0;
  // A failed terminator search from `failFrom` stopped at `failTo` (a newline or the end): any search starting in
  // between fails the same way.
  let failFrom = -1;
  let failTo = -1;

  const flush = (end: number) => {
    if (end > textStart) h.text(textStart, end);
  };

  /** Skip a string sequence whose payload starts at `p`; returns the index after it, or -1 when unterminated. */
  const skipString = (p: number): number => {
    if (p >= failFrom && p <= failTo) return -1;
    for (let j = p; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c === BEL || c === 0x9c) return j + 1;
      if (c === ESC && s.charCodeAt(j + 1) === 0x5c) return j + 2;
      if (c === LF) {
        failFrom = p;
        failTo = j;
        return -1;
      }
    }
    failFrom = p;
    failTo = n;
    return -1;
  };

  /** Parse a CSI whose parameters start at `p`; returns the index after it. */
  const csi = (p: number): number => {
    let j = p;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 0x30 || c > 0x3f) break;
      j++;
    }
    const paramsEnd = j;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 0x20 || c > 0x2f) break;
      j++;
    }
    if (j < n) {
      const f = s.charCodeAt(j);
      if (f >= 0x40 && f <= 0x7e) {
        if (f === 0x6d && paramsEnd === j) {
          const first = p < paramsEnd ? s.charCodeAt(p) : 0;
          if (first < 0x3c || first > 0x3f) h.sgr(s.slice(p, paramsEnd));
        }
        return j + 1;
      }
    }
    return j; // broken: drop what was read, let the offending byte be handled on its own
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && (c < 0x80 || c > 0x9f)) {
      i++;
      continue;
    }
    if (c === TAB || (c === LF && keepNewlines)) {
      i++;
      continue;
    }
    flush(i);
    if (c === ESC) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : -1;
      if (d === 0x5b) {
        i = csi(i + 2);
      } else if (isStringIntroducer(d)) {
        const e = skipString(i + 2);
        i = e === -1 ? i + 2 : e;
      } else if (d >= 0x20 && d <= 0x2f) {
        let j = i + 1;
        while (j < n && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
        const f = j < n ? s.charCodeAt(j) : -1;
        i = f >= 0x30 && f <= 0x7e ? j + 1 : j;
      } else if (d >= 0x30 && d <= 0x7e) {
        i += 2;
      } else {
        i += 1; // lone ESC
      }
    } else if (c === 0x9b) {
      i = csi(i + 1);
    } else if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
      const e = skipString(i + 1);
      i = e === -1 ? i + 1 : e;
    } else {
      i += 1; // other C0 / DEL / C1 control
    }
    textStart = i;
  }
  flush(n);
}

/**
 * Remove every ANSI/VT escape sequence and every control character except TAB (and LF when `keepNewlines`).
 * CR is removed. Printable text, including text inside unterminated string sequences, is kept.
 */
export function stripAnsi(s: string, opts: { keepNewlines?: boolean } = {}): string {
  if (!NEEDS_SCAN.test(s)) return s;
  const keep = opts.keepNewlines === true;
  const parts: string[] = [];
  scan(s, keep, {
    text: (a, b) => parts.push(s.slice(a, b)),
    sgr: () => {},
  });
  return parts.join('');
}

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  dim?: boolean;
}

function toInt(x: string | undefined): number {
  if (x === undefined || x === '') return 0;
  if (x.length > 6) return -1;
  const v = Number(x);
  return Number.isInteger(v) ? v : -1;
}

/** Extended colour (38/48): from `;`-separated groups starting at k (k = index of 38/48). Returns [colour, consumed]. */
function extendedFromGroups(groups: string[], k: number): [string | undefined, number] {
  const mode = toInt(groups[k + 1]);
  if (mode === 5) {
    return [color256(toInt(groups[k + 2])), 2];
  }
  if (mode === 2) {
    const r = toInt(groups[k + 2]),
      g = toInt(groups[k + 3]),
      b = toInt(groups[k + 4]);
    const ok = [r, g, b].every((v) => v >= 0 && v <= 255);
    return [ok ? rgb(r, g, b) : undefined, 4];
  }
  return [undefined, groups[k + 1] === undefined ? 0 : 1];
}

/** Extended colour in the colon form: `38:5:n`, `38:2:r:g:b`, `38:2:cs:r:g:b`. */
function extendedFromSubs(sub: string[]): string | undefined {
  const mode = toInt(sub[1]);
  if (mode === 5) return color256(toInt(sub[2]));
  if (mode === 2) {
    const vals = sub.length >= 6 ? sub.slice(3, 6) : sub.slice(2, 5);
    const [r, g, b] = vals.map(toInt) as [number, number, number];
    if (vals.length === 3 && [r, g, b].every((v) => v >= 0 && v <= 255)) return rgb(r, g, b);
  }
  return undefined;
}

function applySgr(st: Style, params: string): void {
  const groups = params.split(';');
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k]!;
    if (g.includes(':')) {
      const sub = g.split(':');
      const code = toInt(sub[0]);
      if (code === 38) st.fg = extendedFromSubs(sub);
      else if (code === 48) st.bg = extendedFromSubs(sub);
      else if (code === 4) st.underline = toInt(sub[1]) !== 0;
      continue;
    }
    const code = toInt(g);
    if (code === 0) {
      delete st.fg;
      delete st.bg;
      delete st.bold;
      delete st.italic;
      delete st.underline;
      delete st.dim;
    } else if (code === 1) st.bold = true;
    else if (code === 2) st.dim = true;
    else if (code === 3) st.italic = true;
    else if (code === 4 || code === 21) st.underline = true;
    else if (code === 22) {
      delete st.bold;
      delete st.dim;
    } else if (code === 23) delete st.italic;
    else if (code === 24) delete st.underline;
    else if (code >= 30 && code <= 37) st.fg = ANSI_PALETTE[code - 30];
    else if (code === 39) delete st.fg;
    else if (code >= 40 && code <= 47) st.bg = ANSI_PALETTE[code - 40];
    else if (code === 49) delete st.bg;
    else if (code >= 90 && code <= 97) st.fg = ANSI_PALETTE[code - 90 + 8];
    else if (code >= 100 && code <= 107) st.bg = ANSI_PALETTE[code - 100 + 8];
    else if (code === 38 || code === 48) {
      const [col, used] = extendedFromGroups(groups, k);
      if (code === 38) st.fg = col;
      else st.bg = col;
      k += used;
    }
    if (st.fg === undefined) delete st.fg;
    if (st.bg === undefined) delete st.bg;
  }
}

function sameStyle(a: Style, b: Style): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.dim === b.dim
  );
}

/**
 * Split text into styled spans following SGR (16, 256 and truecolour, bold/dim/italic/underline); every other
 * control sequence is dropped exactly as `stripAnsi(s, { keepNewlines: true })` drops it, so the spans' texts
 * joined equal that. TAB and LF stay in the text. Adjacent spans of the same style are merged; no empty spans.
 */
export function ansiToSpans(s: string): AnsiSpan[] {
  const out: AnsiSpan[] = [];
  const st: Style = {};
  let cur: Style = {};
  let buf: string[] = [];
  const push = () => {
    if (buf.length === 0) return;
    const text = buf.join('');
    buf = [];
    if (text === '') return;
    const last = out[out.length - 1];
    if (last && sameStyle(last, cur)) last.text += text;
    else out.push({ text, ...cur });
  };
  scan(s, true, {
    text: (a, b) => {
      if (!sameStyle(cur, st)) {
        push();
        cur = { ...st };
      }
      buf.push(s.slice(a, b));
    },
    sgr: (p) => applySgr(st, p),
  });
  push();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Contrast (issue 11 #9): a log can choose colours that vanish on the theme's background (white on white, black on
// the dark theme, a foreground equal to its own background). Colours are kept where they can be read and moved
// towards black or white, just enough, where they cannot.

/** The minimum contrast ratio a log span keeps: WCAG 2 AA for normal text. */
export const MIN_CONTRAST = 4.5;

function parseHex(c: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (!m) return null;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance([r, g, b]: [number, number, number]): number {
  const ch = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 … 21); 21 when either cannot be read. */
export function contrastRatio(a: string, b: string): number {
  const x = parseHex(a), y = parseHex(b);
  if (!x || !y) return 21;
  const l1 = luminance(x), l2 = luminance(y);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** `fg` if it reads on `bg`; else `fg` mixed towards black or white (whichever reads better) until it does. */
export function readableOn(fg: string, bg: string, min: number = MIN_CONTRAST): string {
  const f = parseHex(fg), b = parseHex(bg);
  if (!f || !b || contrastRatio(fg, bg) >= min) return fg;
  const target: [number, number, number] = contrastRatio('#000000', bg) >= contrastRatio('#ffffff', bg) ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.1; t < 1; t += 0.1) {
    const mixed = rgb(...(f.map((v, i) => Math.round(v + (target[i]! - v) * t)) as [number, number, number]));
    if (contrastRatio(mixed, bg) >= min) return mixed;
  }
  return rgb(...target);
}

/**
 * Spans whose text could not be read on its background (the span's own, else the theme's `background`; the
 * foreground is the span's own, else the theme's `foreground`) get a foreground that can. Pure; new objects.
 */
export function withReadableColors(spans: readonly AnsiSpan[], theme: { background: string; foreground: string }, min: number = MIN_CONTRAST): AnsiSpan[] {
  return spans.map((s) => {
    if (!s.fg && !s.bg) return s;
    const bg = s.bg ?? theme.background;
    const fg = s.fg ?? theme.foreground;
    const ok = readableOn(fg, bg, min);
    return ok === fg ? s : { ...s, fg: ok };
  });
}
