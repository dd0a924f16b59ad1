/**
 * `npm start` where Electron cannot run (this machine: no display and no Electron binary). In a copy of the
 * project (node_modules linked, dist/ built there by start.mjs itself) it must say so in ONE line, run
 * `runlens serve` on the sample case, print the URL, and that URL must serve the app; Ctrl-C/SIGTERM stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const COPY = ['electron', 'shared', 'renderer', 'scripts', 'bin', 'resources', 'package.json', 'vite.config.ts', 'tsconfig.json', 'tsconfig.base.json'];
const ELECTRON_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
let dir: string;
let app: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-start-'));
  app = path.join(dir, 'app');
  fs.mkdirSync(app);
  for (const p of COPY) fs.cpSync(path.join(ROOT, p), path.join(app, p), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, RUNLENS_DATA_DIR: path.join(dir, 'data') };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.RUNLENS_SQLITE_BINDING;
  return env;
}

/** Start `node scripts/start.mjs --port 0`, collect stdout/stderr, resolve once the URL line appears. */
function startUntilUrl(env: NodeJS.ProcessEnv, timeoutMs: number) {
  const child = spawn(process.execPath, [path.join(app, 'scripts', 'start.mjs'), '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (b) => (err += b));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
    child.stdout!.on('data', (b) => {
      out += b;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+&case=[0-9a-f]{24})$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`start.mjs exited ${code} before printing a URL\nstdout:\n${out}\nstderr:\n${err}`)));
  });
  return { child, url, exited, output: () => ({ out, err }) };
}

async function checkServesApp(url: string) {
  const u = new URL(url);
  const token = u.searchParams.get('token')!;
  const page = await fetch(`${u.origin}/`, { headers: { 'X-Runlens-Token': token } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const script = /<script type="module"[^>]* src="\.?\/?(assets\/[^"]+\.js)"/.exec(html);
  expect(script, html).not.toBeNull();
  const js = await fetch(`${u.origin}/${script![1]}`, { headers: { 'X-Runlens-Token': token } });
  expect(js.status).toBe(200);
  expect(js.headers.get('content-type')).toMatch(/javascript/);
  expect((await js.text()).length).toBeGreaterThan(10_000);
  // The sample case is open behind it: serve prints its URL while the case is still being built, so wait for the
  // import to say complete (case.status: the page's own ready signal), then read it.
  const call = (method: string) =>
    fetch(`${u.origin}/api/cases/${u.searchParams.get('case')}/${method}`, {
      method: 'POST',
      headers: { 'X-Runlens-Token': token, 'Content-Type': 'application/json', Origin: u.origin },
      body: '{}',
    }).then((r) => r.json() as Promise<{ ok: boolean; error?: string; value?: { import_state?: string; counts: { network: number } } }>);
  await expect.poll(async () => (await call('case.status')).value?.import_state, { timeout: 120_000, interval: 100 }).toBe('complete');
  const env = await call('case.info');
  expect(env.ok).toBe(true);
  expect(env.value!.counts.network).toBeGreaterThan(0);
}

async function stop(s: ReturnType<typeof startUntilUrl>) {
  s.child.kill('SIGTERM');
  const code = await Promise.race([s.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
  expect(code).not.toBe('still running');
}

function runlensLines(out: string): string[] {
  return out.split('\n').filter((l) => l.startsWith('runlens:'));
}

describe('npm start without Electron', () => {
  it('on a headless box: builds, says so in one line, serves the sample case at the printed URL', async () => {
    const s = startUntilUrl(baseEnv(), 280_000);
    const url = await s.url;
    const { out, err } = s.output();
    expect(runlensLines(out)).toEqual([
      'runlens: no desktop app here (no display: DISPLAY and WAYLAND_DISPLAY are unset); serving the sample case in the browser instead: open the URL below.',
    ]);
    // The message comes right before the URL.
    const lines = out.split('\n');
    expect(lines[lines.findIndex((l) => l.startsWith('http://')) - 1]).toMatch(/^runlens: no desktop app here/);
    expect(out + err).not.toMatch(/\n\s+at .*:\d+:\d+/);
    await checkServesApp(url);
    await stop(s);
  }, 300_000);

  it('with a display but no Electron binary to be had: the fetch fails, one line says why, serve runs', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const env = {
      ...baseEnv(),
      DISPLAY: ':99',
      ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: path.join(dir, 'electron-cache'),
    };
    const s = startUntilUrl(env, 200_000);
    const url = await s.url;
    const { out, err } = s.output();
    const said = runlensLines(out);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^runlens: no desktop app here \\(could not download Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')}: .+\\); serving the sample case in the browser instead: open the URL below\\.$`));
    expect(out).not.toContain('build: dist/ ready'); // built by the first test: not stale, not rebuilt
    expect(out + err).not.toMatch(/\n\s+at .*:\d+:\d+/);
    await checkServesApp(url);
    await stop(s);
  }, 240_000);

  it('knows when dist/ is older than the sources', async () => {
    const mod = (await import(pathToFileURL(path.join(app, 'scripts', 'start.mjs')).href)) as { buildState(root: string): { stale: boolean; missing: string[]; outputs: string[] } };
    const fresh = mod.buildState(app);
    expect(fresh.missing).toEqual([]);
    expect(fresh.outputs.map((o) => path.relative(app, o)).sort()).toEqual(
      ['dist/electron/cli.cjs', 'dist/electron/import-worker.cjs', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].map((p) => p.split('/').join(path.sep)),
    );
    expect(fresh.stale).toBe(false);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(app, 'shared', 'time.ts'), later, later);
    expect(mod.buildState(app).stale).toBe(true);
    fs.rmSync(path.join(app, 'dist', 'electron', 'preload.cjs'));
    expect(mod.buildState(app).missing).toEqual([path.join(app, 'dist', 'electron', 'preload.cjs')]);
  });
});
