/**
 * The log pane's background and text colours as `#rrggbb`, read from the theme's CSS variables (--pane, --text) for
 * the scheme in force, so ANSI colours can be kept readable on them (shared/ansi.ts withReadableColors).
 */
const QUERY = '(prefers-color-scheme: dark)';
const cache = new Map<boolean, { background: string; foreground: string }>();

function toHex(css: string, fallback: string): string {
  const t = css.trim();
  if (/^#[0-9a-f]{6}$/i.test(t)) return t.toLowerCase();
  const m = /^rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(t);
  if (m) return '#' + [m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('');
  return fallback;
}

export function logThemeColors(): { background: string; foreground: string } {
  const dark = typeof window !== 'undefined' && !!window.matchMedia?.(QUERY).matches;
  let c = cache.get(dark);
  if (!c) {
    const st = typeof document !== 'undefined' ? getComputedStyle(document.documentElement) : null;
    c = {
      background: toHex(st?.getPropertyValue('--pane') ?? '', dark ? '#1b1f24' : '#ffffff'),
      foreground: toHex(st?.getPropertyValue('--text') ?? '', dark ? '#d7dce2' : '#1d2127'),
    };
    cache.set(dark, c);
  }
  return c;
}
