/** serve's static files in memory (electron/serve/static-files.ts StaticFiles): read once, sent from memory while the
 *  file on disk is unchanged, read again when it changed; source maps and links are not read ahead. Real files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticFiles } from '../../electron/serve/static-files';

let dir: string;
let root: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-static-')));
  root = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-AAAAAAAA.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'index-AAAAAAAA.js.map'), '{"version":3}');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not the app');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('StaticFiles', () => {
  it('sends what it read at the start while the file is unchanged, and the new bytes once it changed', () => {
    const js = path.join(root, 'assets', 'index-AAAAAAAA.js');
    const t = 1_700_000_000; // a whole second: set again exactly below
    fs.utimesSync(js, t, t);
    const files = new StaticFiles(root);
    expect(files.get(js).toString()).toBe('console.log(1)');
    // the same size and time on disk, other bytes: still the bytes read at the start (from memory, no disk read)
    fs.writeFileSync(js, 'console.log(9)');
    fs.utimesSync(js, t, t);
    expect(files.get(js).toString()).toBe('console.log(1)');
    // rebuilt (another size): read again, and kept
    fs.writeFileSync(js, 'console.log("rebuilt")');
    expect(files.get(js).toString()).toBe('console.log("rebuilt")');
    expect(files.get(js).toString()).toBe('console.log("rebuilt")');
    expect(files.get(path.join(root, 'index.html')).toString()).toContain('<title>t</title>');
    expect(files.get(path.join(root, 'assets', 'index-AAAAAAAA.js.map')).toString()).toBe('{"version":3}'); // from disk
  });

  it('does not follow links when it reads ahead', () => {
    const files = new StaticFiles(root);
    expect((files as unknown as { files: Map<string, unknown> }).files.has(path.join(root, 'assets', 'link.txt'))).toBe(false);
    expect((files as unknown as { files: Map<string, unknown> }).files.has(path.join(dir, 'secret.txt'))).toBe(false);
  });
});
