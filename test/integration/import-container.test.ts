/**
 * container.ts on real folders and archives made here: zip (yazl), tar.gz (tar-stream + zlib), a tgz holding
 * logs.zip; junk, traversal, symlinks, truncation, bombs; evidence untouched; temp files removed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerBombError, openContainer, type ContainerOptions, type SourceNode } from '../../electron/import/container';
import { hashInputs } from '../../electron/import/case-location';
import { ImportError } from '../../electron/import/types';
import type { ImportWarning } from '../../shared/model';
import { bundleEntries, copyDir, FIXTURE_BUNDLE, makeTar, makeZip, sha256File, snapshotTree, tempDir, zipBuffer } from './import-helpers';

const CLI_ZIP = path.join(path.dirname(FIXTURE_BUNDLE), 'cli-cli_run_log.zip');

interface Collected {
  entries: { relPath: string; name: string; key: number; text: string; bytes: number; error?: string }[];
  sources: Map<number, SourceNode>;
  hashes: Map<number, { sha256: string; bytes: number }>;
  warnings: ImportWarning[];
}

async function collect(input: string, opts: ContainerOptions = {}, read = true): Promise<Collected> {
  const c: Collected = { entries: [], sources: new Map(), hashes: new Map(), warnings: [] };
  for await (const e of openContainer(input, {
    ...opts,
    onSource: (n) => c.sources.set(n.key, n),
    onHashed: (k, sha256, bytes) => c.hashes.set(k, { sha256, bytes }),
    onWarning: (w) => c.warnings.push(w),
  })) {
    let text = '';
    let error: string | undefined;
    if (read) {
      const parts: Buffer[] = [];
      try {
        for await (const chunk of e.stream) parts.push(chunk as Buffer);
      } catch (err) {
        error = (err as Error).message; // what an importer would see: its read fails, the walk goes on
      }
      text = Buffer.concat(parts).toString('utf8');
    }
    c.entries.push({ relPath: e.file.relPath, name: e.file.name, key: e.key, text, bytes: e.file.bytes, ...(error ? { error } : {}) });
  }
  return c;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const fixtureRel = Object.keys(snapshotTree(FIXTURE_BUNDLE)).sort();

let work: string;
let tmpRoot: string;
beforeAll(() => {
  work = tempDir('rl-container-');
  tmpRoot = path.join(work, 'tmp');
  fs.mkdirSync(tmpRoot);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('folders', () => {
  it('yields every file (manifest first), hashes each, and the folder digest matches hashInputs', async () => {
    const dir = path.join(work, 'folder-bundle');
    copyDir(FIXTURE_BUNDLE, dir);
    fs.writeFileSync(path.join(dir, '.DS_Store'), 'junk');
    fs.mkdirSync(path.join(dir, '__MACOSX'));
    fs.writeFileSync(path.join(dir, '__MACOSX', '._network.jsonl'), 'junk');
    const before = snapshotTree(dir);
    const c = await collect(dir);
    expect(c.warnings).toEqual([]);
    expect(c.entries[0]!.relPath).toBe('manifest.json');
    expect(c.entries.map((e) => e.relPath).sort()).toEqual(fixtureRel);
    for (const e of c.entries) {
      expect(e.text).toBe(fs.readFileSync(path.join(dir, e.relPath), 'utf8'));
      expect(c.hashes.get(e.key)).toEqual({ sha256: before[e.relPath], bytes: Buffer.byteLength(e.text) });
      expect(c.sources.get(e.key)).toMatchObject({ parentKey: 1, name: path.join(dir, e.relPath), member: e.relPath, kind: 'file' });
    }
    expect(c.sources.get(1)).toMatchObject({ parentKey: null, name: dir, member: null, kind: 'folder' });
    expect(c.hashes.get(1)!.sha256).toBe((await hashInputs([dir]))[0]);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a single top-level folder is the bundle root; symlinks are not followed', async () => {
    const outer = path.join(work, 'outer');
    copyDir(FIXTURE_BUNDLE, path.join(outer, 'run-42'));
    const secret = path.join(work, 'secret.txt');
    fs.writeFileSync(secret, '{"ts":"2026-10-14T09:13:01Z","ip":"192.0.2.99","port":22}\n');
    fs.symlinkSync(secret, path.join(outer, 'run-42', 'network2.jsonl'));
    fs.symlinkSync(path.join(work), path.join(outer, 'run-42', 'loop'));
    const c = await collect(outer);
    expect(c.entries.map((e) => e.relPath).sort()).toEqual(fixtureRel);
    expect(c.entries.some((e) => e.text.includes('192.0.2.99'))).toBe(false);
    expect(c.warnings.map((w) => [path.basename(w.file!), w.message])).toEqual([
      ['loop', 'symbolic link not followed: skipped'],
      ['network2.jsonl', 'symbolic link not followed: skipped'],
    ]);
  });
});

describe('zip', () => {
  it('strips the single root, skips junk silently, hashes the archive and every member', async () => {
    const zip = path.join(work, 'bundle.zip');
    await makeZip(zip, [
      ...bundleEntries('run-42/'),
      { name: '__MACOSX/run-42/._manifest.json', data: 'junk' },
      { name: 'run-42/.DS_Store', data: 'junk' },
      { name: 'run-42/logs/._x.txt', data: 'junk' },
    ]);
    const zipSha = sha256File(zip);
    const c = await collect(zip);
    expect(c.warnings).toEqual([]);
    expect(c.entries[0]!.relPath).toBe('manifest.json');
    expect(c.entries.map((e) => e.relPath).sort()).toEqual(fixtureRel);
    expect(c.sources.get(1)).toMatchObject({ parentKey: null, name: zip, kind: 'zip' });
    expect(c.hashes.get(1)).toEqual({ sha256: zipSha, bytes: fs.statSync(zip).size });
    const net = c.entries.find((e) => e.relPath === 'network.jsonl')!;
    expect(net.name).toBe(`${zip}!/run-42/network.jsonl`);
    expect(c.sources.get(net.key)).toMatchObject({ parentKey: 1, member: 'run-42/network.jsonl' });
    expect(c.hashes.get(net.key)!.sha256).toBe(sha(fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl'))));
    expect(sha256File(zip)).toBe(zipSha);
  });

  it('hashes members the consumer never reads', async () => {
    const zip = path.join(work, 'unread.zip');
    await makeZip(zip, bundleEntries('', true));
    const c = await collect(zip, {}, false);
    for (const e of c.entries) {
      expect(c.hashes.get(e.key)!.sha256).toBe(sha(fs.readFileSync(path.join(FIXTURE_BUNDLE, e.relPath))));
    }
  });

  it('a GitHub log archive given directly is just a zip (junk skipped)', async () => {
    const c = await collect(CLI_ZIP);
    expect(c.warnings).toEqual([]);
    expect(c.entries).toHaveLength(9);
    expect(c.entries.map((e) => e.relPath)).toContain('cool job/2_barz the fob.txt');
    expect(c.entries.some((e) => /__MACOSX|\.DS_Store|\/\._/.test(e.relPath))).toBe(false);
  });

  it('skips members with absolute or .. paths and symlink members, with a warning naming them', async () => {
    let buf = await zipBuffer([
      { name: 'network.jsonl', data: fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl')) },
      { name: 'aa/evil.txt', data: 'owned' },
      { name: 'xabs/evil2.txt', data: 'owned' },
      { name: 'link.jsonl', data: '/etc/passwd', mode: 0o120777 },
    ]);
    // yazl refuses unsafe names, so write safe ones and patch them (same length) in both headers.
    const patch = (from: string, to: string) => {
      const f = Buffer.from(from);
      let at = buf.indexOf(f);
      let n = 0;
      while (at !== -1) {
        Buffer.from(to).copy(buf, at);
        n++;
        at = buf.indexOf(f, at + 1);
      }
      expect(n).toBe(2);
    };
    buf = Buffer.from(buf);
    patch('aa/evil.txt', '../evil.txt');
    patch('xabs/evil2.txt', '/tmp/evil2.txt');
    const zip = path.join(work, 'traversal.zip');
    fs.writeFileSync(zip, buf);
    const c = await collect(zip);
    expect(c.entries.map((e) => e.relPath)).toEqual(['network.jsonl']);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'path escapes the archive (..): ../evil.txt: skipped',
      'absolute path in archive: /tmp/evil2.txt: skipped',
      'symbolic link in archive not followed: skipped',
    ]);
    expect(c.warnings[2]!.file).toBe(`${zip}!/link.jsonl`);
    expect(fs.existsSync(path.join(work, 'evil.txt'))).toBe(false);
    expect(fs.existsSync('/tmp/evil2.txt')).toBe(false);
  });

  it('a truncated zip is an ImportError naming the file', async () => {
    const zip = path.join(work, 'truncated.zip');
    const whole = await zipBuffer(bundleEntries('', true));
    fs.writeFileSync(zip, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(collect(zip)).rejects.toThrow(ImportError);
    await expect(collect(zip)).rejects.toThrow(new RegExp(`${zip.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot open zip archive`));
  });

  it('stops a zip bomb by declared size and by ratio before reading it', async () => {
    const zip = path.join(work, 'bomb.zip');
    await makeZip(zip, [{ name: 'network.jsonl', data: Buffer.alloc(20 * 1024 * 1024) }]);
    expect(fs.statSync(zip).size).toBeLessThan(100 * 1024);
    await expect(collect(zip, { maxTotalBytes: 8 * 1024 * 1024, tempRoot: tmpRoot })).rejects.toThrow(ContainerBombError);
    await expect(collect(zip, { maxTotalBytes: 8 * 1024 * 1024 })).rejects.toThrow(/over the 8 MiB limit .*possible zip bomb/);
    await expect(collect(zip, { ratioMinBytes: 1024 * 1024, maxRatio: 100 })).rejects.toThrow(/expands \d+x .*over the 100x limit/);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });
});

describe('tar.gz', () => {
  it('reads a .tar.gz bundle; a single root folder is stripped; hashes match', async () => {
    const tgz = path.join(work, 'bundle.tar.gz');
    await makeTar(tgz, [{ name: 'run-42/', type: 'directory' }, ...bundleEntries('run-42/')]);
    const c = await collect(tgz);
    expect(c.warnings).toEqual([]);
    expect(c.entries.map((e) => e.relPath).sort()).toEqual(fixtureRel);
    expect(c.sources.get(1)).toMatchObject({ kind: 'tar', name: tgz, parentKey: null });
    expect(c.hashes.get(1)).toEqual({ sha256: sha256File(tgz), bytes: fs.statSync(tgz).size });
    for (const e of c.entries) expect(e.text).toBe(fs.readFileSync(path.join(FIXTURE_BUNDLE, e.relPath), 'utf8'));
  });

  it('descends into logs.zip (spooled to a temp file, removed afterwards)', async () => {
    const tgz = path.join(work, 'with-logs.tgz');
    await makeTar(tgz, [...bundleEntries('', true), { name: 'logs.zip', data: fs.readFileSync(CLI_ZIP) }]);
    const seenTemp: string[][] = [];
    const entries: string[] = [];
    const sources = new Map<number, SourceNode>();
    const hashes = new Map<number, string>();
    for await (const e of openContainer(tgz, { tempRoot: tmpRoot, onSource: (n) => sources.set(n.key, n), onHashed: (k, h) => hashes.set(k, h) })) {
      entries.push(e.file.relPath);
      if (e.file.relPath.startsWith('logs/')) {
        seenTemp.push(fs.readdirSync(tmpRoot).flatMap((d) => fs.readdirSync(path.join(tmpRoot, d))));
        const member = sources.get(e.key)!;
        const zipNode = sources.get(member.parentKey!)!;
        expect(zipNode).toMatchObject({ kind: 'zip', name: `${tgz}!/logs.zip`, member: 'logs.zip', parentKey: 1 });
        expect(e.file.name.startsWith(`${tgz}!/logs.zip!/`)).toBe(true);
      }
      e.stream.resume();
    }
    expect(entries.filter((r) => r.startsWith('logs/'))).toHaveLength(9);
    expect(entries).toContain('logs/cool job/1_fob the barz.txt');
    expect(seenTemp[0]!.length).toBe(1); // the spooled logs.zip
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
    const zipKey = [...sources.values()].find((n) => n.kind === 'zip')!.key;
    expect(hashes.get(zipKey)).toBe(sha256File(CLI_ZIP));
  });

  it('removes temp files when the consumer stops early', async () => {
    const tgz = path.join(work, 'early.tgz');
    await makeTar(tgz, [{ name: 'logs.zip', data: fs.readFileSync(CLI_ZIP) }, ...bundleEntries('', true)]);
    let n = 0;
    for await (const e of openContainer(tgz, { tempRoot: tmpRoot })) {
      expect(e.file.relPath.startsWith('logs/')).toBe(true);
      expect(fs.readdirSync(tmpRoot)).toHaveLength(1);
      if (++n === 2) break;
    }
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });

  it('skips traversal, absolute paths, symlinks and hard links in a tar', async () => {
    const tgz = path.join(work, 'evil.tgz');
    await makeTar(tgz, [
      { name: 'network.jsonl', data: fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl')) },
      { name: '../../evil.txt', data: 'owned' },
      { name: '/etc/evil.txt', data: 'owned' },
      { name: 'a/../../evil.txt', data: 'owned' },
      { name: 'dns.jsonl', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'files.jsonl', type: 'link', linkname: 'network.jsonl' },
    ]);
    const c = await collect(tgz);
    expect(c.entries.map((e) => e.relPath)).toEqual(['network.jsonl']);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'path escapes the archive (..): ../../evil.txt: skipped',
      'absolute path in archive: /etc/evil.txt: skipped',
      'path escapes the archive (..): a/../../evil.txt: skipped',
      'symbolic link in archive not followed: skipped',
      'hard link in archive not followed: skipped',
    ]);
  });

  it('a truncated tar.gz gives a partial import with a warning, or an ImportError when nothing was read', async () => {
    const tgz = path.join(work, 'cut.tgz');
    const noise = Buffer.alloc(400 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24; // poorly compressible
    await makeTar(tgz, [
      { name: 'network.jsonl', data: fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl')) },
      { name: 'blob.bin', data: noise },
      { name: 'dns.jsonl', data: fs.readFileSync(path.join(FIXTURE_BUNDLE, 'dns.jsonl')) },
    ]);
    const whole = fs.readFileSync(tgz);
    const cut = path.join(work, 'cut-half.tgz');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const c = await collect(cut).catch((e: unknown) => e);
    expect(c).not.toBeInstanceOf(Error);
    const got = c as Collected;
    expect(got.entries[0]!.relPath).toBe('network.jsonl');
    expect(got.entries[0]!.text).toBe(fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl'), 'utf8'));
    expect(got.entries[1]).toMatchObject({ relPath: 'blob.bin', error: expect.stringMatching(/unexpected end of file/) });
    expect(got.entries).toHaveLength(2);
    expect(got.warnings.some((w) => w.file === cut && /truncated or corrupt after \d member\(s\).*partial/.test(w.message))).toBe(true);
    const stub = path.join(work, 'cut-stub.tgz');
    fs.writeFileSync(stub, whole.subarray(0, 12));
    await expect(collect(stub)).rejects.toThrow(/cut-stub\.tgz: cannot read (gzip data|tar\.gz archive)/);
  });

  it('stops a gzip bomb while streaming', async () => {
    const tgz = path.join(work, 'bomb.tgz');
    await makeTar(tgz, [{ name: 'network.jsonl', data: Buffer.alloc(20 * 1024 * 1024) }]);
    await expect(collect(tgz, { maxTotalBytes: 8 * 1024 * 1024, tempRoot: tmpRoot })).rejects.toThrow(/expands to more than 8 MiB .*bomb/);
    await expect(collect(tgz, { ratioMinBytes: 2 * 1024 * 1024, maxRatio: 50 })).rejects.toThrow(ContainerBombError);
  });
});

describe('other inputs', () => {
  it('a plain file is one entry; a gzipped file is its decompressed content', async () => {
    const gz = path.join(work, 'network.jsonl.gz');
    const data = fs.readFileSync(path.join(FIXTURE_BUNDLE, 'network.jsonl'));
    fs.writeFileSync(gz, zlib.gzipSync(data));
    const c = await collect(gz);
    expect(c.entries).toEqual([expect.objectContaining({ relPath: 'network.jsonl', text: data.toString(), bytes: data.length })]);
    const plain = await collect(path.join(FIXTURE_BUNDLE, 'dns.jsonl'));
    expect(plain.entries).toEqual([expect.objectContaining({ relPath: 'dns.jsonl', name: path.join(FIXTURE_BUNDLE, 'dns.jsonl') })]);
    expect(plain.sources.get(1)).toMatchObject({ parentKey: null, member: null, kind: 'file' });
  });

  it('opens archives nested up to the depth limit, then warns', async () => {
    const inner = await zipBuffer([{ name: 'dns.jsonl', data: fs.readFileSync(path.join(FIXTURE_BUNDLE, 'dns.jsonl')) }]);
    const middle = await zipBuffer([{ name: 'inner.zip', data: inner }]);
    const outer = path.join(work, 'nested.zip');
    await makeZip(outer, [{ name: 'middle.zip', data: middle }]);
    const deep = await collect(outer, { maxDepth: 3, tempRoot: tmpRoot });
    expect(deep.entries.map((e) => e.name)).toEqual([`${outer}!/middle.zip!/inner.zip!/dns.jsonl`]);
    const shallow = await collect(outer, { maxDepth: 2, tempRoot: tmpRoot });
    expect(shallow.entries.map((e) => e.relPath)).toEqual(['inner.zip']);
    expect(shallow.warnings[0]!.message).toMatch(/nested more than 2 levels/);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });

  it('a missing input is an ImportError', async () => {
    await expect(collect(path.join(work, 'nope'))).rejects.toThrow(/cannot read input .*nope: no such file or folder/);
  });
});
