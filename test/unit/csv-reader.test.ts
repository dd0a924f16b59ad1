/**
 * The one CSV reader (csv-parse driven line by line): records keep their lines, quoted line breaks, and a stray
 * quote costs a bounded amount of work with a warning naming its line (issue 11 #3: it used to re-parse the
 * pending record for every new line, 1 MB took about an hour).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvFields, MAX_RECORD_LINES, readCsv, type CsvReadStats, type CsvRecord } from '../../electron/import/bundle/csv';

async function all(text: string, stats?: CsvReadStats): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(Readable.from([Buffer.from(text)]), new AbortController().signal, { stats })) out.push(r);
  return out;
}

describe('readCsv', () => {
  it('gives fields, first and last line, raw text; quoted commas, quotes and line breaks', async () => {
    const rs = await all('pid,args\n1,"a,b"\n\n2,"say ""hi""\nsecond line"\n3,plain\n');
    expect(rs.map((r) => [r.line, r.lineEnd, r.fields, r.problem])).toEqual([
      [1, 1, ['pid', 'args'], null],
      [2, 2, ['1', 'a,b'], null],
      [4, 5, ['2', 'say "hi"\nsecond line'], null],
      [6, 6, ['3', 'plain'], null],
    ]);
    const stray = await all('a,b\n1,x"y\n2,z\n');
    expect(stray.map((r) => [r.line, r.problem === null])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(stray[1]!.problem).not.toMatch(/line \d/);
    expect(rs[2]!.raw).toBe('2,"say ""hi""\nsecond line"');
  });

  it('a quote never closed skips only its own line, names it, and reads on', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `${i + 3},ok${i}`).join('\n');
    const rs = await all(`pid,args\n2,"never closed\n${body}\n`);
    expect(rs[1]).toMatchObject({ line: 2, fields: [] });
    expect(rs[1]!.problem).toMatch(/unterminated quoted field/);
    const good = rs.filter((r) => r.problem === null);
    expect(good).toHaveLength(201);
    expect(good[good.length - 1]).toMatchObject({ line: 202, fields: ['202', 'ok199'] });
  });

  it('1 MB with an unterminated quote: bounded work (each character parsed at most twice), every line accounted', async () => {
    const lines = ['pid,ppid,start,end,exe,args,cwd,uid', '7,1,2026-01-01T00:00:00Z,,/bin/sh,"sh -c ""x']; // quote never closed
    let n = 2;
    let bytes = 0;
    while (bytes < 1024 * 1024) {
      const l = `${++n},1,2026-01-01T00:00:01Z,,/bin/true,true,/,0`;
      lines.push(l);
      bytes += l.length + 1;
    }
    const text = lines.join('\n') + '\n';
    const stats: CsvReadStats = { work: 0 };
    const rs = await all(text, stats);
    expect(stats.work).toBeLessThanOrEqual(2 * text.length);
    expect(rs.filter((r) => r.problem !== null).map((r) => r.line)).toEqual([2]);
    expect(rs).toHaveLength(lines.length);
    expect(rs[rs.length - 1]!.line).toBe(lines.length);
  });

  it('every line opening a quote: still linear (at most MAX_RECORD_LINES re-reads per skipped line)', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `${i},"open`).join('\n') + '\n';
    const stats: CsvReadStats = { work: 0 };
    const rs = await all(text, stats);
    expect(rs.every((r) => r.problem !== null)).toBe(true);
    expect(rs.reduce((n, r) => n + r.lineEnd - r.line + 1, 0)).toBe(3000);
    expect(stats.work).toBeLessThanOrEqual((MAX_RECORD_LINES + 2) * text.length);
  });

  it('csvFields: one line, other delimiters, a broken quote split best effort', () => {
    expect(csvFields('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(csvFields('a\tb', '\t')).toEqual(['a', 'b']);
    expect(csvFields('a,"b')).toEqual(['a', 'b']);
  });
});
