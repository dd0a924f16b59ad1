/** Default case location per platform, and input hashing (same digest as the import records). */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir, defaultCasePath, hashFileOffThread, hashInputs } from '../../electron/import/case-location';
import { copyDir, FIXTURE_BUNDLE, tempDir } from '../integration/import-helpers';

const work = tempDir('rl-caseloc-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('dataDir / defaultCasePath', () => {
  it('follows RUNLENS_DATA_DIR, XDG, macOS and Windows conventions', () => {
    expect(dataDir({ RUNLENS_DATA_DIR: '/srv/rl' }, 'linux', '/home/u')).toBe('/srv/rl');
    expect(dataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe('/x/data/runlens');
    expect(dataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/runlens');
    expect(dataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/runlens');
    expect(dataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Runlens');
    expect(dataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toBe(path.join('C:/Users/u/AppData/Roaming', 'Runlens'));
  });

  it('names the case by a hash of the input hashes: same inputs, same case; different inputs, different case', () => {
    const env = { RUNLENS_DATA_DIR: '/srv/rl' };
    const a = defaultCasePath(['aa', 'bb'], env, 'linux');
    expect(a).toMatch(/^\/srv\/rl\/cases\/[0-9a-f]{32}\.runlens$/);
    expect(defaultCasePath(['aa', 'bb'], env, 'linux')).toBe(a);
    expect(defaultCasePath(['bb', 'aa'], env, 'linux')).not.toBe(a);
    expect(defaultCasePath(['aa'], env, 'linux')).not.toBe(a);
  });
});

describe('hashInputs', () => {
  it('hashes a file by its bytes and a folder by its sorted files (junk ignored, content changes seen)', async () => {
    const file = path.join(FIXTURE_BUNDLE, 'network.jsonl');
    const [h] = await hashInputs([file]);
    expect(h).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));

    const a = path.join(work, 'a');
    copyDir(FIXTURE_BUNDLE, a);
    const [ha] = await hashInputs([a]);
    const [hf] = await hashInputs([FIXTURE_BUNDLE]);
    expect(ha).toBe(hf);
    fs.writeFileSync(path.join(a, '.DS_Store'), 'junk');
    expect((await hashInputs([a]))[0]).toBe(hf);
    fs.appendFileSync(path.join(a, 'dns.jsonl'), '\n');
    expect((await hashInputs([a]))[0]).not.toBe(hf);
  });
});

describe('hashing off the thread (serve: the page is answered meanwhile)', () => {
  it('gives the same digests as on the thread, says why it cannot read, and stops when aborted', async () => {
    const f = path.join(work, 'three-mib.bin');
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    fs.writeFileSync(f, data);
    expect(await hashFileOffThread(f)).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
    const b = path.join(work, 'off-thread-bundle');
    copyDir(FIXTURE_BUNDLE, b);
    expect(await hashInputs([b, f], undefined, { offThread: true })).toEqual(await hashInputs([b, f]));
    await expect(hashFileOffThread(path.join(work, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    const abort = new AbortController();
    const stopped = hashFileOffThread(f, abort.signal);
    abort.abort();
    await expect(stopped).rejects.toThrow();
  });
});
