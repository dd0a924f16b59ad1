/** Issue 11 #9: ANSI colours never make log text unreadable on the theme's background (shared/ansi.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ansiToSpans, contrastRatio, MIN_CONTRAST, readableOn, withReadableColors } from '../../shared/ansi';

const LIGHT = { background: '#ffffff', foreground: '#1d2127' };
const DARK = { background: '#1b1f24', foreground: '#d7dce2' };
const fgOn = (s: { fg?: string; bg?: string }, t: typeof LIGHT) => contrastRatio(s.fg ?? t.foreground, s.bg ?? t.background);

describe('ANSI colours keep a minimum contrast', () => {
  it('WCAG ratios: black on white is 21, a colour on itself is 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#cd3131', '#cd3131')).toBe(1);
  });
  it('bright white on the light theme, black on the dark theme, red on red: all made readable', () => {
    for (const [text, theme] of [['\x1b[97mhidden\x1b[0m', LIGHT], ['\x1b[30mhidden', DARK], ['\x1b[31;41msecret', LIGHT], ['\x1b[38;2;27;31;36mx', DARK], ['\x1b[107mbg only', DARK]] as const) {
      const raw = ansiToSpans(text)[0]!;
      expect(fgOn(raw, theme)).toBeLessThan(MIN_CONTRAST);
      const fixed = withReadableColors(ansiToSpans(text), theme)[0]!;
      expect(fgOn(fixed, theme)).toBeGreaterThanOrEqual(MIN_CONTRAST);
      expect(fixed.text).toBe(raw.text);
    }
  });
  it('colours that read well are kept as the log chose them', () => {
    const spans = ansiToSpans('\x1b[34mblue\x1b[0m plain');
    expect(withReadableColors(spans, DARK.background === '#1b1f24' ? LIGHT : DARK)).toEqual(spans);
    expect(readableOn('#000000', '#ffffff')).toBe('#000000');
  });
  it('property: every 256-colour/truecolour fg and bg pair ends readable on both themes', () => {
    const col = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map((i) => `5;${i}`),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([r, g, b]) => `2;${r};${g};${b}`),
    );
    fc.assert(
      fc.property(fc.option(col), fc.option(col), fc.boolean(), (f, b, dark) => {
        const theme = dark ? DARK : LIGHT;
        const text = `${f ? `\x1b[38;${f}m` : ''}${b ? `\x1b[48;${b}m` : ''}word`;
        for (const s of withReadableColors(ansiToSpans(text), theme)) expect(fgOn(s, theme)).toBeGreaterThanOrEqual(MIN_CONTRAST);
      }),
      { numRuns: 3000 },
    );
  });
});
