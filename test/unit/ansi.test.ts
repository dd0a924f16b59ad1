import { describe, expect, it } from 'vitest';
import { ANSI_PALETTE, ansiToSpans, color256, stripAnsi } from '../../shared/ansi';

const E = '\x1b';

describe('stripAnsi', () => {
  it('returns plain text unchanged (same string)', () => {
    const s = 'plain text\twith a tab';
    expect(stripAnsi(s)).toBe(s);
  });

  it('removes SGR colour codes as GitHub prints them around echoed scripts', () => {
    expect(stripAnsi(`${E}[36;1mok=true${E}[0m`)).toBe('ok=true');
    expect(stripAnsi(`${E}[38;5;196mred${E}[39m ${E}[48;2;1;2;3mbg${E}[m`)).toBe('red bg');
  });

  it('removes other CSI sequences, including private modes and intermediates', () => {
    expect(stripAnsi(`a${E}[2Kb${E}[?25lc${E}[?1049hd${E}[1;1He${E}[>0;1mf${E}[1 qg`)).toBe('abcdefg');
  });

  it('removes OSC titles and hyperlinks, keeping the link text', () => {
    expect(stripAnsi(`${E}]0;title${E}\\x`)).toBe('x');
    expect(stripAnsi(`${E}]8;;https://github.com/cli/cli\x07link${E}]8;;\x07 after`)).toBe('link after');
    expect(stripAnsi(`${E}]8;;https://github.com${E}\\docs${E}]8;;${E}\\`)).toBe('docs');
  });

  it('removes charset selects, two-character escapes, DCS/APC strings and C1 controls', () => {
    expect(stripAnsi(`${E}(Bx${E})0y${E}7z${E}8${E}c${E}=w`)).toBe('xyzw');
    expect(stripAnsi(`a${E}Pq#0;2;0;0;0${E}\\b${E}_apc payload${E}\\c`)).toBe('abc');
    expect(stripAnsi('a\u009b31mb\u009d0;t\u0007c\u0085d')).toBe('abcd');
  });

  it('removes a lone ESC and C0 controls except TAB; LF only when asked to keep it', () => {
    expect(stripAnsi(`a${E}`)).toBe('a');
    expect(stripAnsi(`a${E}${E}\u00e9`)).toBe('a\u00e9'); // ESC ESC: the first is lone
    expect(stripAnsi(`a${E}bc`)).toBe('ac'); // ESC b is a two-character escape
    expect(stripAnsi('a\x00b\x07c\x08d\re\tf\x7fg')).toBe('abcde\tfg');
    expect(stripAnsi('a\nb')).toBe('ab');
    expect(stripAnsi('a\nb', { keepNewlines: true })).toBe('a\nb');
  });

  it('keeps the payload of an unterminated OSC visible (hostile output cannot hide the rest of a line)', () => {
    expect(stripAnsi(`before${E}]8;;https://evil.example/ hidden?`)).toBe('before8;;https://evil.example/ hidden?');
    // terminated only on a later line: not terminated for this line
    expect(stripAnsi(`a${E}]0;x\nsecret\x07`, { keepNewlines: true })).toBe('a0;x\nsecret');
  });

  it('drops a CSI broken by another control or by the end of the text', () => {
    expect(stripAnsi(`x${E}[12;34`)).toBe('x');
    expect(stripAnsi(`x${E}[12${E}[31my`)).toBe('xy');
    expect(stripAnsi(`x${E}[12\u00e9y`)).toBe('x\u00e9y');
  });

  it('is linear on hostile input: a million unterminated introducers and a giant SGR', () => {
    const osc = `${E}]`.repeat(500_000) + 'tail';
    const csi = `${E}[` + '1;'.repeat(500_000);
    const sgr = `${E}[` + '38;5;'.repeat(200_000) + 'mX';
    expect(stripAnsi(osc)).toBe('tail');
    expect(stripAnsi(csi)).toBe('');
    expect(stripAnsi(sgr)).toBe('X');
    expect(
      ansiToSpans(sgr)
        .map((s) => s.text)
        .join(''),
    ).toBe('X');
    expect(
      ansiToSpans(osc)
        .map((s) => s.text)
        .join(''),
    ).toBe('tail');
  });
});

describe('color256', () => {
  it('maps the 16 base colours, the 6x6x6 cube and the grey ramp', () => {
    expect(color256(1)).toBe(ANSI_PALETTE[1]);
    expect(color256(16)).toBe('#000000');
    expect(color256(196)).toBe('#ff0000');
    expect(color256(21)).toBe('#0000ff');
    expect(color256(232)).toBe('#080808');
    expect(color256(255)).toBe('#eeeeee');
    expect(color256(256)).toBeUndefined();
    expect(color256(-1)).toBeUndefined();
  });
});

describe('ansiToSpans', () => {
  it('gives one unstyled span for plain text, none for empty text', () => {
    expect(ansiToSpans('hello')).toEqual([{ text: 'hello' }]);
    expect(ansiToSpans('')).toEqual([]);
    expect(ansiToSpans(`${E}[31m${E}[0m`)).toEqual([]);
  });

  it('follows 16-colour, bright, bold and reset codes (GitHub echo style)', () => {
    expect(ansiToSpans(`${E}[36;1mok=true${E}[0m done`)).toEqual([
      { text: 'ok=true', fg: ANSI_PALETTE[6], bold: true },
      { text: ' done' },
    ]);
    expect(ansiToSpans(`${E}[91mA${E}[102mB${E}[39;49mC`)).toEqual([
      { text: 'A', fg: ANSI_PALETTE[9] },
      { text: 'B', fg: ANSI_PALETTE[9], bg: ANSI_PALETTE[10] },
      { text: 'C' },
    ]);
  });

  it('handles 256-colour and truecolour, in ; and : forms', () => {
    expect(ansiToSpans(`${E}[38;5;196mr${E}[48;5;21mb`)).toEqual([
      { text: 'r', fg: '#ff0000' },
      { text: 'b', fg: '#ff0000', bg: '#0000ff' },
    ]);
    expect(ansiToSpans(`${E}[38;2;18;52;86;1mt${E}[0m`)).toEqual([{ text: 't', fg: '#123456', bold: true }]);
    expect(ansiToSpans(`${E}[38:2::18:52:86mx${E}[48:5:196my`)).toEqual([
      { text: 'x', fg: '#123456' },
      { text: 'y', fg: '#123456', bg: '#ff0000' },
    ]);
    // out-of-range truecolour is ignored, the following parameter still applies
    expect(ansiToSpans(`${E}[38;2;300;0;0;3mi`)).toEqual([{ text: 'i', italic: true }]);
  });

  it('tracks italic, underline, dim and their resets', () => {
    expect(ansiToSpans(`${E}[3;4;2ma${E}[23mb${E}[24mc${E}[22md`)).toEqual([
      { text: 'a', italic: true, underline: true, dim: true },
      { text: 'b', underline: true, dim: true },
      { text: 'c', dim: true },
      { text: 'd' },
    ]);
  });

  it('merges spans split only by non-SGR sequences, and keeps TAB and LF', () => {
    expect(ansiToSpans(`${E}[32mab${E}[2Kcd${E}]0;t\x07\te\nf`)).toEqual([{ text: 'abcd\te\nf', fg: ANSI_PALETTE[2] }]);
  });

  it('spans joined equal stripAnsi(keepNewlines) on mixed input', () => {
    const samples = [
      `${E}[1;31mERR${E}[0m: x${E}]8;;https://github.com\x07y${E}]8;;\x07\n${E}(Bz\u009b1mw${E}`,
      `${E}[38;5;m${E}[38;2;1mq${E}[4:3mu${E}[?25h`,
      '\x00\x01a\x1b\x1b[b\x1b]',
    ];
    for (const s of samples) {
      expect(
        ansiToSpans(s)
          .map((x) => x.text)
          .join(''),
      ).toBe(stripAnsi(s, { keepNewlines: true }));
    }
  });
});
