import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonDocs, type JsonItem } from '../../electron/import/formats/json-docs';
import { falcoImporter } from '../../electron/import/formats/falco';
import { runImporter } from './formats-harness';

async function items(data: Buffer | string, chunk = 3, maxDocBytes?: number): Promise<JsonItem[]> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const out: JsonItem[] = [];
  for await (const it of readJsonDocs(Readable.from(parts), { maxDocBytes })) out.push(it);
  return out;
}

describe('streaming JSON document splitter', () => {
  it('splits pretty-printed documents with braces and quotes inside strings, across tiny chunks', async () => {
    const a = { s: 'a } { " \\ ] [', n: { m: [1, { x: '}' }] }, u: 'é😀' };
    const b = { k: 2 };
    const text = JSON.stringify(a, null, 2) + '\n' + JSON.stringify(b, null, 3) + '\n';
    for (const chunk of [1, 2, 5, 64]) {
      const got = await items(text, chunk);
      expect(got.map((g) => g.kind)).toEqual(['doc', 'doc']);
      const [d1, d2] = got as Extract<JsonItem, { kind: 'doc' }>[];
      expect(JSON.parse(d1!.text)).toEqual(a);
      expect(JSON.parse(d2!.text)).toEqual(b);
      expect([d1!.line, d1!.lineEnd]).toEqual([1, JSON.stringify(a, null, 2).split('\n').length]);
      expect(d2!.line).toBe(d1!.lineEnd + 1);
    }
  });

  it('reads a top-level array of objects', async () => {
    const got = await items('[\n {"a":1},\n {"b":2}\n]\n');
    expect(got.map((g) => (g.kind === 'doc' ? [g.line, JSON.parse(g.text)] : g.kind))).toEqual([[2, { a: 1 }], [3, { b: 2 }]]);
  });

  it('in JSON lines a cut line is one broken document and the next lines still read', async () => {
    const got = await items('{"a":1}\n{"b":"cut\n{"c":{"d":3}\n{"e":5}\ngarbage here\n{"f":6}');
    expect(got.map((g) => [g.kind, g.line])).toEqual([
      ['doc', 1], ['broken', 2], ['broken', 3], ['doc', 4], ['garbage', 5], ['doc', 6],
    ]);
  });

  it('a document over the size limit is skipped as tooLong without holding it; bad UTF-8 is flagged', async () => {
    const big = '{"x":"' + 'A'.repeat(5000) + '"}\n{"ok":1}\n';
    const got = await items(big, 512, 1000);
    expect(got.map((g) => g.kind)).toEqual(['tooLong', 'doc']);
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const g2 = await items(bad);
    expect(g2[0]).toMatchObject({ kind: 'doc', badUtf8: true });
  });

  it('an unterminated last document is reported, not lost silently', async () => {
    const got = await items('{"a":1}\n\n{"b": [1, 2');
    expect(got.map((g) => [g.kind, g.line])).toEqual([['doc', 1], ['broken', 3]]);
  });

  it('importer level: wrong types and bad lines are warnings with line numbers, never a crash', async () => {
    const data = [
      '{"rule":"R1","priority":"Warning","output":"o","time":"2026-06-17T08:40:00Z","output_fields":{}}',
      '[1,2,3]',
      '{"rule":7,"priority":"Warning","output":"o","time":"2026-06-17T08:40:00Z"}',
      '{"rule":"R2","priority":"Warning","output":"o","time":"2026-06-17T08:40:00","output_fields":null}',
      '"just a string"',
      '{"rule":"R3","priority":{"x":1},"output":"o","time":"2026-06-17T08:40:01Z","output_fields":{"proc.pid":"abc","fd.sport":"x"}}',
    ].join('\n');
    const out = await runImporter(falcoImporter, { name: 'f.json', data });
    expect(out.det.map((d) => [d.kind, d.line])).toEqual([['falco:R1', 1], ['falco:R3', 6]]);
    expect(out.warnings.map((w) => w.line)).toEqual([2, 3, 4, 5]);
  });
});
