/**
 * `runlens serve` delegates to electron/serve/server.ts: started as a real child process on a case file it prints
 * its 127.0.0.1 URL and answers the API with the token (or, when the renderer is not built, exits 1 saying so);
 * bad usage is exit 2.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCase } from '../unit/queries-fixture';
import { BIN, buildCli, ROOT, runlens } from './cli-helpers';

let dir: string;
let kase: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-serve-'));
  kase = buildCase(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runlens serve', () => {
  it('bad usage is exit 2, a missing target exit 1', () => {
    expect(runlens(['serve', kase, kase]).code).toBe(2);
    expect(runlens(['serve', kase, '--port', 'http']).code).toBe(2);
    expect(runlens(['serve', path.join(dir, 'missing')])).toMatchObject({ code: 1, stderr: `runlens: no such file or folder: ${path.join(dir, 'missing')}\n` });
  });

  it('serves a case on 127.0.0.1 until stopped (or says the app is not built)', async () => {
    const built = existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'));
    const child = spawn(process.execPath, [BIN, 'serve', kase, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string | null>((resolve) => {
      const t = setInterval(() => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
        if (m) {
          clearInterval(t);
          resolve(m[1]!);
        }
      }, 50);
      void exited.then(() => {
        clearInterval(t);
        resolve(null);
      });
    });
    if (!built) {
      expect(url).toBeNull();
      expect(await exited).toBe(1);
      expect(err).toMatch(/^runlens: serve: .*not built/);
      expect(err).not.toMatch(/\n\s+at /);
      return;
    }
    expect(url, err).not.toBeNull();
    const token = new URL(url!).searchParams.get('token');
    const base = new URL(url!).origin;
    const r = await fetch(`${base}/api/cases/${new URL(url!).searchParams.get('case')}/steps.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Runlens-Token': token ?? '', Origin: base },
      body: '{}',
    });
    const env = (await r.json()) as { ok: boolean; value: { steps: { number: number }[] } };
    expect(env.ok).toBe(true);
    expect(env.value.steps.map((s) => s.number)).toEqual([1, 2, 3]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
