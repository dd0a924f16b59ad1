/** Aligned plain-text tables for human output. Cells are escaped (escape.ts) before they are measured. */
import { cell } from './escape';

/** Display width in code points; wide (CJK) characters count as two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd)
      ? 2
      : 1;
  }
  return w;
}

export interface Column<T> {
  header: string;
  get: (row: T) => unknown;
  /** Right-align (numbers). */
  right?: boolean;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.get(r))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - width(s)));
    return columns[i]!.right ? gap + s : s + gap;
  };
  const line = (r: string[]) => r.map((s, i) => (i === r.length - 1 && !columns[i]!.right ? s : pad(s, i))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
