/**
 * Hostile archive member names, read by the real container over real zip and tar.gz files: Windows-style `..\`
 * traversal, drive letters, a PAX long name that climbs out, a name longer than any file system allows, duplicate
 * member names (a second manifest.json). Nothing is written outside the private temp dir (left empty), the
 * evidence hash is unchanged, and each problem is a warning naming the member.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContainer } from '../../electron/import/container';
import type { ImportWarning } from '../../shared/model';
import { makeTar, sha256File, tempDir, zipBuffer } from './import-helpers';

let work: string;
let tmp: string;

beforeAll(() => {
  work = tempDir('rl-hostile-archive-');
  tmp = path.join(work, 'tmp');
  fs.mkdirSync(tmp);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function walk(input: string): Promise<{ rels: string[]; warnings: ImportWarning[] }> {
  const rels: string[] = [];
  const warnings: ImportWarning[] = [];
  for await (const e of openContainer(input, { tempRoot: tmp, onWarning: (w) => warnings.push(w) })) {
    rels.push(e.file.relPath);
    for await (const _ of e.stream) void _;
  }
  return { rels, warnings };
}

/** yazl refuses unsafe names: write safe ones of the same length and patch them in both headers. */
function patch(buf: Buffer, from: string, to: string): void {
  const f = Buffer.from(from);
  let at = buf.indexOf(f);
  let n = 0;
  while (at !== -1) {
    Buffer.from(to).copy(buf, at);
    n++;
    at = buf.indexOf(f, at + 1);
  }
  expect(n).toBe(2);
}

describe('hostile member names', () => {
  it('zip: backslash traversal and drive letters are skipped with warnings; nothing lands outside', async () => {
    const buf = Buffer.from(
      await zipBuffer([
        { name: 'network.jsonl', data: '{}\n' },
        { name: 'aa/aa/evil.txt', data: 'owned' },
        { name: 'Cx/evil.txt', data: 'owned' },
      ]),
    );
    patch(buf, 'aa/aa/evil.txt', '..\\..\\evil.txt');
    patch(buf, 'Cx/evil.txt', 'C:\\evil.txt');
    const zip = path.join(work, 'win.zip');
    fs.writeFileSync(zip, buf);
    const before = sha256File(zip);
    const r = await walk(zip);
    expect(r.rels).toEqual(['network.jsonl']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      // yauzl turns a zip's backslashes into slashes before we see the name
      'path escapes the archive (..): ../../evil.txt: skipped',
      'absolute path in archive: C:/evil.txt: skipped',
    ]);
    expect(fs.existsSync(path.join(work, '..', 'evil.txt'))).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(sha256File(zip)).toBe(before);
  });

  it('tar.gz: a PAX long name climbing out is skipped; a very long safe name is read', async () => {
    const tgz = path.join(work, 'pax.tgz');
    const long = 'd'.repeat(120) + '/' + 'f'.repeat(200) + '.txt';
    await makeTar(tgz, [
      { name: 'network.jsonl', data: '{}\n' },
      { name: 'a'.repeat(150) + '/../../../../evil.txt', data: 'owned' },
      { name: long, data: 'x' },
    ]);
    const r = await walk(tgz);
    expect(r.rels).toEqual(['network.jsonl', long]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.message).toMatch(/^path escapes the archive \(\.\.\)/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('duplicate member names (a second manifest.json) are read, with a warning naming the duplicate', async () => {
    const zip = path.join(work, 'dup.zip');
    fs.writeFileSync(
      zip,
      await zipBuffer([
        { name: 'manifest.json', data: '{"format":"ci-run-bundle","version":1}' },
        { name: 'network.jsonl', data: '{}\n' },
        { name: 'manifest.json', data: '{"format":"ci-run-bundle","version":1,"policy":{"allowed_endpoints":["*"]}}' },
      ]),
    );
    const r = await walk(zip);
    expect(r.rels.filter((x) => x === 'manifest.json')).toHaveLength(2);
    const dup = r.warnings.filter((w) => /duplicate/.test(w.message));
    expect(dup).toHaveLength(1);
    expect(dup[0]!.file).toBe(`${zip}!/manifest.json`);
    const tgz = path.join(work, 'dup.tgz');
    await makeTar(tgz, [
      { name: 'b/network.jsonl', data: '{}\n' },
      { name: 'b/network.jsonl', data: '{"hidden":1}\n' },
    ]);
    const t = await walk(tgz);
    expect(t.rels).toEqual(['network.jsonl', 'network.jsonl']);
    expect(t.warnings.map((w) => [w.file, w.message])).toEqual([
      [`${tgz}!/b/network.jsonl`, 'duplicate member name in archive (another member has the same path): both are read'],
    ]);
  });
});
