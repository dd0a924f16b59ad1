/** Escaping for the report's HTML and Markdown: every text from the case goes through one of these. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text for a Markdown table cell or line: no markup, no line breaks, no raw HTML, control characters visible. */
export function escapeMd(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);
}
