/**
 * The desktop app end to end.
 * 1. With Playwright's Electron driver: first start opens the bundled sample case, the investigation finds the call
 *    outside the policy, and Details says which step made it. Production settings only: the window is checked to be
 *    sandboxed and isolated, and the page to have nothing but `window.runlens`. Needs the Electron binary and
 *    better-sqlite3 built for it (`node scripts/fetch-electron.mjs`); where they are absent it reports itself
 *    skipped with the reason.
 * 2. Everything of the desktop app but Electron itself, in Chromium: the built renderer answered by the app
 *    protocol handler (with its CSP), `window.runlens` made by the preload's own bridge code, and every call going
 *    through the main side's `runlens:call` handler and case controller to a real case — the same walk.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createAppProtocolHandler } from '../../electron/main/app-protocol';
import { CaseController } from '../../electron/main/case-controller';
import { handleCall } from '../../electron/main/ipc-handler';
import { E2E_DIST } from './support/serve-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ElectronStatus {
  version: string;
  binary: string;
  binaryPresent: boolean;
  binding: string;
  sqliteReady: boolean;
}

async function electronStatus(): Promise<ElectronStatus> {
  const mod = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'fetch-electron.mjs')).href)) as { electronStatus(root: string): ElectronStatus };
  return mod.electronStatus(ROOT);
}

test('desktop app: sample case → finding → Details shows the step', async () => {
  const s = await electronStatus();
  test.skip(!s.binaryPresent, `no Electron binary at ${s.binary} (run \`node scripts/fetch-electron.mjs\` on a machine with internet)`);
  test.skip(!s.sqliteReady, `no better-sqlite3 build for Electron ${s.version} at ${s.binding} (run \`node scripts/fetch-electron.mjs\`)`);
  test.skip(process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY, 'no display (DISPLAY and WAYLAND_DISPLAY are unset; run under xvfb-run)');
  test.setTimeout(180_000);
  for (const f of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
    expect(fs.existsSync(path.join(ROOT, f)), `${f} (run npm run build)`).toBe(true);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  Object.assign(env, { RUNLENS_USER_DATA_DIR: path.join(tmp, 'userData'), RUNLENS_DATA_DIR: path.join(tmp, 'data'), RUNLENS_SQLITE_BINDING: s.binding });
  const app = await electron.launch({ executablePath: s.binary, args: [ROOT], env, cwd: ROOT });
  try {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      // Undocumented but long-standing: the preferences the page was actually created with.
      const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return { sandbox: p.sandbox, contextIsolation: p.contextIsolation, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity };
    });
    expect(prefs).toEqual({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });

    const page = await app.firstWindow();
    // First start: the sample bundle is imported into the case location, then the window loads its case.
    await expect(page).toHaveURL(/^runlens:\/\/app\/index\.html\?case=[0-9a-f]{24}$/, { timeout: 120_000 });
    await expect(page.getByText('acme/web').first()).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready', { timeout: 60_000 });

    expect(await page.evaluate(() => Object.keys((window as unknown as { runlens: object }).runlens).sort())).toEqual(['call', 'onImportProgress', 'stageFiles']);
    expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    const refused = await page.evaluate(() => (window as unknown as { runlens: { call(c: unknown): Promise<unknown> } }).runlens.call({ case: null, method: 'sql.exec', params: {} }));
    expect(refused).toEqual({ ok: false, error: 'unknown method: sql.exec' });

    await page.getByLabel('Findings only').check();
    const grid = page.getByRole('grid', { name: 'Network calls table' });
    await expect(grid.getByText('telemetry.exfil.example').first()).toBeVisible();
    await grid.getByRole('row').filter({ hasText: 'telemetry.exfil.example' }).first().click();
    const details = page.getByRole('region', { name: 'Details' });
    await expect(details).toContainText('telemetry.exfil.example');
    await expect(details.locator('dt', { hasText: /^Step$/ }).locator('xpath=following-sibling::dd[1]')).toContainText('4 · Run npm ci');
    await page.screenshot({ path: test.info().outputPath('electron-finding-details.png') });

    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getTitle());
    expect(title).toMatch(/— Runlens$/);
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/** The preload's bridge, bundled for a page: IPC is a function the test exposes, webUtils gives the file's name. */
async function bridgeScript(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `
        import { createBridge } from './electron/main/bridge';
        const listeners = new Set();
        const ipc = {
          invoke: (channel, ...args) => window.__runlensIpcInvoke(channel, ...args),
          on: (_channel, l) => listeners.add(l),
          removeListener: (_channel, l) => listeners.delete(l),
        };
        window.runlens = createBridge(ipc, { getPathForFile: (f) => f.name });
      `,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

test('desktop app without Electron: protocol handler + preload bridge + runlens:call → finding → step', async ({ page }) => {
  const rendererDir = path.join(E2E_DIST, 'renderer');
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), `${rendererDir} (made by the e2e global setup)`).toBe(true);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-bridge-'));
  const casePath = path.join(tmp, 'sample.runlens');
  execFileSync(process.execPath, [path.join(E2E_DIST, 'electron', 'cli.cjs'), 'import', path.join(ROOT, 'resources', 'sample-bundle'), '--case', casePath], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, RUNLENS_DATA_DIR: path.join(tmp, 'data') },
  });

  const controller = new CaseController({
    runner: async () => {
      throw new Error('no imports in this test');
    },
    recentFile: path.join(tmp, 'recent-cases.json'),
    events: { caseReady: () => {}, jobChanged: () => {}, opened: () => {} },
  });
  const { id } = controller.openCase(casePath);

  // The app protocol handler answers a local HTTP origin (Chromium has no runlens:// here): same files, same headers.
  const handler = createAppProtocolHandler(rendererDir);
  const server = http.createServer((req, res) => {
    void handler(new Request(`runlens://app${req.url ?? '/'}`, { method: req.method })).then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const calls: string[] = [];
  const httpApi: string[] = [];
  const cspErrors: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && httpApi.push(r.url()));
  page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && cspErrors.push(m.text()));
  await page.exposeFunction('__runlensIpcInvoke', async (channel: string, call: { method?: unknown }) => {
    if (channel !== 'runlens:call') return { ok: false, error: `unknown channel ${channel}` };
    calls.push(String(call?.method));
    // The frame is the app's: the page stands in for runlens://app/index.html (sender checks: unit tests).
    return handleCall(controller.route, { senderFrame: { url: 'runlens://app/index.html', parent: null } }, call);
  });
  await page.addInitScript({ content: await bridgeScript() });
  try {
    const res = await page.goto(`${origin}/index.html?case=${id}`);
    expect(res!.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready', { timeout: 60_000 });
    expect(await page.evaluate(() => Object.keys((window as unknown as { runlens: object }).runlens).sort())).toEqual(['call', 'onImportProgress', 'stageFiles']);

    await page.getByLabel('Findings only').check();
    const grid = page.getByRole('grid', { name: 'Network calls table' });
    await expect(grid.getByText('telemetry.exfil.example').first()).toBeVisible();
    await grid.getByRole('row').filter({ hasText: 'telemetry.exfil.example' }).first().click();
    const details = page.getByRole('region', { name: 'Details' });
    await expect(details.locator('dt', { hasText: /^Step$/ }).locator('xpath=following-sibling::dd[1]')).toContainText('4 · Run npm ci');
    await page.screenshot({ path: test.info().outputPath('desktop-bridge-finding-details.png') });

    // Every call went over the bridge; none over HTTP; the CSP refused nothing the app needs.
    expect(calls).toEqual(expect.arrayContaining(['case.info', 'network.query', 'network.explain']));
    expect(httpApi).toEqual([]);
    expect(cspErrors).toEqual([]);
    const refused = await page.evaluate(() => (window as unknown as { runlens: { call(c: unknown): Promise<unknown> } }).runlens.call({ case: null, method: 'sql.exec', params: {} }));
    expect(refused).toEqual({ ok: false, error: 'unknown method: sql.exec' });
  } finally {
    controller.dispose();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
