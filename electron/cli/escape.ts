/**
 * Terminal safety for human output: text from a bundle is the attacker's. Every C0 and C1 control character, DEL,
 * bidi controls (overrides, embeddings, isolates, marks), line/paragraph separators, zero-width characters and lone
 * surrogates become visible escapes (`\x1b`, `\r`, `\n`, `\t`, `\u202e` …), so nothing can move the cursor, recolour,
 * retitle or reorder the terminal. JSON output needs none of this (JSON.stringify escapes C0; C1/bidi are harmless
 * inside a JSON string read by a program).
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}

export function escapeText(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
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
