/**
 * lines.ts, the line reader under every line-based importer: a BOM only at the start of a file, U+FEFF elsewhere
 * kept; CRLF, LF and CR-only files; any chunking gives the same lines (property-based, fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CR_DECIDE_BYTES, readLines, type Line } from '../../electron/import/lines';

async function lines(data: Buffer | string, chunk = 1 << 16, maxLineBytes?: number): Promise<Line[]> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  async function* chunks() {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  }
  const out: Line[] = [];
  for await (const l of readLines(chunks(), maxLineBytes ? { maxLineBytes } : {})) out.push(l);
  return out;
}
const texts = async (d: Buffer | string, chunk?: number) => (await lines(d, chunk)).map((l) => l.text);

describe('U+FEFF', () => {
  it('strips a BOM only at the very start of the file, whatever the chunking', async () => {
    for (const c of [1, 2, 3, 7, 1 << 16]) {
      expect(await texts('\uFEFFfirst\n\uFEFFsecond\ngit\uFEFFhub.com\n', c)).toEqual(['first', '\uFEFFsecond', 'git\uFEFFhub.com']);
    }
  });

  it('strips one BOM, not two', async () => {
    expect(await texts('\uFEFF\uFEFFx\n')).toEqual(['\uFEFFx']);
  });
});

describe('line ends', () => {
  it('LF and CRLF: the CR of a CRLF is not text; a CR inside an LF line is kept', async () => {
    expect(await texts('a\r\nb\nprogress 10%\rprogress 20%\n')).toEqual(['a', 'b', 'progress 10%\rprogress 20%']);
  });

  it('splits a CR-only file on its CRs, with line numbers', async () => {
    for (const c of [1, 2, 5, 1 << 16]) {
      const got = await lines('one\rtwo\r\rfour\r', c);
      expect(got.map((l) => [l.no, l.text])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [3, ''],
        [4, 'four'],
      ]);
    }
  });

  it('splits a CR-only file longer than the look-ahead, a CRLF split across chunks counting once', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `row ${i}`);
    const text = rows.join('\r') + '\r\n' + 'after crlf\r';
    expect(text.length).toBeGreaterThan(CR_DECIDE_BYTES);
    for (const c of [4093, 1 << 16]) {
      const got = await texts(text, c);
      expect(got).toEqual([...rows, 'after crlf']);
    }
  });

  it('in a CR file, a CRLF whose CR ends one chunk and LF starts the next ends one line', async () => {
    const rows = Array.from({ length: 8000 }, (_, i) => `r${String(i).padStart(8, '0')}`);
    const first = rows.join('\r') + '\r';
    expect(first.length).toBeGreaterThan(CR_DECIDE_BYTES);
    expect(await texts(first + '\nnext\r', first.length)).toEqual([...rows, 'next']);
  });

  it('a file whose first LF comes after CRs within the look-ahead is an LF file', async () => {
    expect(await texts('a\rb\nc\n')).toEqual(['a\rb', 'c']);
  });

  it('a line over the cap is reported, not returned, in either mode', async () => {
    const long = 'x'.repeat(100);
    expect((await lines(`${long}\nok\n`, 7, 50)).map((l) => [l.no, l.tooLong, l.text])).toEqual([
      [1, true, ''],
      [2, false, 'ok'],
    ]);
    expect((await lines(`a\r${long}\rok\r`, 7, 50)).map((l) => [l.no, l.tooLong, l.text])).toEqual([
      [1, false, 'a'],
      [2, true, ''],
      [3, false, 'ok'],
    ]);
  });
});

describe('any chunking gives the same lines (fast-check)', () => {
  it('for LF, CRLF and CR files', async () => {
    const lineText = fc.string({ unit: fc.constantFrom('a', 'é', '\uFEFF', ' ', '😀', 'z'), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(lineText, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.integer({ min: 1, max: 17 }), async (ls, eol, chunk) => {
        // A CR-only file is recognised only when it has a CR before its last byte: give it at least two lines.
        const rows = eol === '\r' && ls.length < 2 ? [...ls, 'tail'] : ls;
        const text = rows.join(eol) + eol;
        const got = await texts(text, chunk);
        const want = rows.map((r, i) => (i === 0 && r.startsWith('\uFEFF') ? r.slice(1) : r));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The reference: every line decoded on its own (the reader's line-by-line path, as it was before chunks were
 * decoded in bulk): split on LF, one trailing CR dropped, longer than `max` bytes -> tooLong, bad UTF-8 -> U+FFFD
 * and badUtf8, the file's BOM dropped.
 */
function referenceLines(buf: Buffer, max: number): [number, string, boolean, boolean][] {
  const out: [number, string, boolean, boolean][] = [];
  let start = 0;
  let no = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    if (nl === -1) nl = buf.length;
    const piece = buf.subarray(start, nl);
    no++;
    if (piece.length > max) out.push([no, '', false, true]);
    else {
      const b = piece.length && piece[piece.length - 1] === 0x0d ? piece.subarray(0, -1) : piece;
      let text: string;
      let bad = false;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
      } catch {
        text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
        bad = true;
      }
      if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      out.push([no, text, bad, false]);
    }
    start = nl + 1;
  }
  return out;
}

describe('chunks decoded in bulk give the lines decoded one by one (fast-check)', () => {
  it('LF/CRLF files with bad UTF-8, split characters, over-long lines, any chunk size and cap', async () => {
    const piece = fc.constantFrom('a', 'é', '€', '😀', '\uFEFF', ' ', '\r', '\t', 'xyzxyzxyz', '\xff', '\xc3', '\xed\xa0\x80');
    const line = fc.array(piece, { maxLength: 20 }).map((ps) => ps.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(8, 40, 1 << 20),
        fc.boolean(),
        async (ls, eol, chunk, max, lastEol) => {
          // strings of code units below 0x100 stand for raw bytes ('\xff', '\xc3', a CESU surrogate): latin1 for
          // those, UTF-8 for the rest
          const parts = (ls.join(eol) + (lastEol ? eol : '')).split(/([\x80-\xff]+)/);
          const buf = Buffer.concat(parts.map((p, i) => Buffer.from(p, i % 2 ? 'latin1' : 'utf8')));
          // (a file whose first LF is not within its first min(64 KiB, cap) bytes may be read as CR-only)
          const lf = buf.indexOf(0x0a);
          if (lf === -1 || lf >= Math.min(CR_DECIDE_BYTES, max)) return;
          const got = (await lines(buf, chunk, max)).map((l) => [l.no, l.text, l.badUtf8, l.tooLong]);
          expect(got).toEqual(referenceLines(buf, max));
        },
      ),
      { numRuns: 400 },
    );
  });
});
