/** Issue 11 #6: what the app shows of evidence text (shared/evidence-text.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHost, evidencePieces, hostToAscii, punycodeLabel, visibleText } from '../../shared/evidence-text';

describe('hidden characters become visible marks', () => {
  it('a right-to-left override cannot make "moc.buhtig" read as github.com', () => {
    expect(visibleText('\u202Emoc.buhtig')).toBe('⟨RLO⟩moc.buhtig');
    expect(evidencePieces('\u202Emoc.buhtig')[0]).toMatchObject({ mark: '⟨RLO⟩', code: 0x202e });
  });
  it('zero-width and other invisible characters, controls, tags and lone surrogates are marked', () => {
    expect(visibleText('git\uFEFFhub.com')).toBe('git⟨ZWNBSP⟩hub.com');
    expect(visibleText('a\u200Bb\u200Dc\u2060d\u00ADe')).toBe('a⟨ZWSP⟩b⟨ZWJ⟩c⟨WJ⟩d⟨SHY⟩e');
    expect(visibleText('x\u{E0041}y')).toBe('x⟨U+E0041⟩y');
    expect(visibleText('x\uD800y')).toBe('x⟨U+D800⟩y');
    expect(visibleText('x\x1b[2Jy\u009b')).toBe('x⟨ESC⟩[2Jy⟨U+009B⟩');
    expect(visibleText('\u2066a\u2069\u200F')).toBe('⟨LRI⟩a⟨PDI⟩⟨RLM⟩');
  });
  it('ordinary text, tabs and real non-Latin scripts stay as they are', () => {
    for (const s of ['npm ci --ignore-scripts', 'a\tb', 'שלום', 'Привет', '例え', 'émoji 🎉 ok']) expect(visibleText(s)).toBe(s);
  });
  it('property: the marked text has no bidi control or invisible character left, and the plain text is kept in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const v = visibleText(s);
        expect(v).not.toMatch(/[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\x00-\x08\x0a-\x1f\x7f-\x9f]/);
        const kept = evidencePieces(s).filter((p): p is { text: string } => 'text' in p).map((p) => p.text).join('');
        let i = 0;
        for (const c of kept) {
          i = s.indexOf(c, i);
          expect(i).toBeGreaterThanOrEqual(0);
          i += c.length;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('hosts', () => {
  it('punycode as RFC 3492 (its own sample strings)', () => {
    expect(punycodeLabel('bücher')).toBe('bcher-kva');
    expect(punycodeLabel('mañana')).toBe('maana-pta');
    expect(punycodeLabel('例え')).toBe('r8jz45g');
    expect(hostToAscii('аррӏе.com')).toBe('xn--80ak6aa92e.com');
  });
  it('mixed scripts and look-alikes are named, with the punycode beside', () => {
    const c = checkHost('gіthub.com'); // Cyrillic і
    expect(c.warnings.join(' ')).toMatch(/mixed scripts.*Latin \+ Cyrillic/);
    expect(c.looksLike).toBe('github.com');
    expect(c.ascii).toMatch(/^xn--/);
    expect(checkHost('аррӏе.com').looksLike).toBe('apple.com');
    expect(checkHost('ｇｉｔｈｕｂ.com').looksLike).toBe('github.com');
    expect(checkHost('\u202Emoc.buhtig').warnings).toContain('bidi control characters');
    expect(checkHost('xn--80ak6aa92e.com').warnings).toContain('punycode (internationalised) label');
  });
  it('a plain ASCII host has nothing to say', () => {
    expect(checkHost('github.com')).toEqual({ host: 'github.com', warnings: [], ascii: null, looksLike: null });
  });
});
