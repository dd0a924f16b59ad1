/**
 * Terminal safety for human output: text from a bundle is the attacker's. Every C0 and C1 control character, DEL,
 * bidi controls (overrides, embeddings, isolates, marks), line/paragraph separators, zero-width characters, other
 * characters drawn as nothing (soft hyphen, Hangul fillers, Mongolian vowel separator, combining grapheme joiner, the
 * Unicode tag characters U+E0000–E007F that smuggle hidden ASCII) and lone surrogates become visible escapes (`\x1b`,
 * `\r`, `\n`, `\t`, `\u202e`, `\u{e0041}` …), so nothing can move the cursor, recolour, retitle, reorder the
 * terminal or hide text in it. JSON output needs none of this (JSON.stringify escapes C0; C1/bidi are harmless
 * inside a JSON string read by a program).
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb]|\u034f|\u1160|\u17b4|\u17b5|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}

export function escapeText(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    if (c.length === 2) return `\\u{${c.codePointAt(0)!.toString(16)}}`; // a tag character (a surrogate pair)
    const code = c.charCodeAt(0);
    return code < 0x80 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
  });
}

/** Anything printable as one escaped cell: null → '-', arrays joined, numbers/bigints as text. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  return escapeText(JSON.stringify(v));
}
