/* eslint-disable @typescript-eslint/no-explicit-any -- a hand-made fake of Electron's loosely shaped objects */
/**
 * The main process wired together, with Electron's modules faked (vi.mock('electron')) and everything else real:
 * the renderer folder served by the protocol handler, case files in SQLite, the API dispatch, the recent list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportRunner } from '../../electron/api/imports';
import { createCase, migrate } from '../../electron/db/open';

type Listener = (...args: any[]) => any;

const fake = vi.hoisted(() => {
  const state = {
    appListeners: new Map<string, Listener[]>(),
    userData: '',
    readyResolve: null as null | (() => void),
    readyPromise: null as null | Promise<void>,
    lockHeld: false,
    exitCode: null as number | null,
    windows: [] as any[],
    menu: null as any[] | null,
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, (r: Request) => Promise<Response>>(),
    privileged: [] as unknown[],
    session: {} as Record<string, Listener>,
    errorBoxes: [] as string[][],
    messageBoxes: [] as unknown[],
    openDialogResult: { canceled: true, filePaths: [] as string[] },
    revealed: [] as string[],
    order: [] as string[],
  };
  const reset = () => {
    state.appListeners.clear();
    state.readyPromise = new Promise<void>((r) => (state.readyResolve = r));
    state.lockHeld = false;
    state.exitCode = null;
    state.windows = [];
    state.menu = null;
    state.ipcHandlers.clear();
    state.protocolHandlers.clear();
    state.privileged = [];
    state.session = {};
    state.errorBoxes = [];
    state.messageBoxes = [];
    state.revealed = [];
    state.order = [];
  };
  const emitter = () => {
    const m = new Map<string, Listener[]>();
    return {
      m,
      on(name: string, fn: Listener) {
        m.set(name, [...(m.get(name) ?? []), fn]);
        return this;
      },
      once(name: string, fn: Listener) {
        return this.on(name, fn);
      },
      emit(name: string, ...a: unknown[]) {
        for (const fn of m.get(name) ?? []) fn(...a);
      },
    };
  };
  class BrowserWindow {
    options: any;
    events = emitter();
    loaded: string[] = [];
    titles: string[] = [];
    progress: number[] = [];
    shown = false;
    webContents: any;
    constructor(options: any) {
      this.options = options;
      const wc = emitter();
      this.webContents = Object.assign(wc, {
        sent: [] as unknown[][],
        reloads: 0,
        openHandler: null as Listener | null,
        send: (channel: string, payload: unknown) => this.webContents.sent.push([channel, payload]),
        reload: () => void this.webContents.reloads++,
        setWindowOpenHandler: (fn: Listener) => (this.webContents.openHandler = fn),
      });
      state.windows.push(this);
      state.order.push('window');
    }
    on(n: string, f: Listener) {
      this.events.on(n, f);
    }
    once(n: string, f: Listener) {
      this.events.on(n, f);
    }
    async loadURL(u: string) {
      this.loaded.push(u);
      state.order.push('loadURL');
    }
    show() {
      this.shown = true;
    }
    setTitle(t: string) {
      this.titles.push(t);
    }
    setProgressBar(p: number) {
      this.progress.push(p);
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }
  return { state, reset, BrowserWindow };
});

vi.mock('electron', () => {
  const { state } = fake;
  return {
    app: {
      isPackaged: false,
      setPath: (name: string, p: string) => {
        if (name === 'userData') state.userData = p;
      },
      getPath: (name: string) => (name === 'userData' ? state.userData : os.tmpdir()),
      requestSingleInstanceLock: () => (state.lockHeld ? false : (state.lockHeld = true)),
      enableSandbox: () => state.order.push('enableSandbox'),
      on: (name: string, fn: Listener) => state.appListeners.set(name, [...(state.appListeners.get(name) ?? []), fn]),
      whenReady: () => state.readyPromise!,
      quit: () => state.order.push('quit'),
      exit: (code: number) => (state.exitCode = code),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => {
        state.privileged.push(...s);
        state.order.push('registerSchemesAsPrivileged');
      },
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (state.session.request = fn),
        setPermissionCheckHandler: (fn: Listener) => (state.session.check = fn),
        setDevicePermissionHandler: (fn: Listener) => (state.session.device = fn),
        webRequest: { onBeforeRequest: (fn: Listener) => (state.session.before = fn) },
      },
    },
    BrowserWindow: fake.BrowserWindow,
    ipcMain: {
      handle: (c: string, fn: Listener) => state.ipcHandlers.set(c, fn),
      removeHandler: (c: string) => state.ipcHandlers.delete(c),
    },
    Menu: { buildFromTemplate: (t: any[]) => t, setApplicationMenu: (m: any[]) => (state.menu = m) },
    dialog: {
      showErrorBox: (t: string, c: string) => state.errorBoxes.push([t, c]),
      showMessageBox: async (_w: unknown, o: unknown) => (state.messageBoxes.push(o), { response: 0 }),
      showOpenDialog: async () => state.openDialogResult,
    },
    // No openExternal: nothing in the app may open a link outside it (a call would throw here).
    shell: { showItemInFolder: (p: string) => state.revealed.push(p) },
  };
});

import { runApp } from '../../electron/main/app-main';

const NODE_SQLITE = path.resolve('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
let dir: string;

function layout() {
  const appRoot = path.join(dir, 'app');
  const rendererDir = path.join(appRoot, 'dist', 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Runlens</title><div id="root"></div>');
  const sampleBundle = path.join(appRoot, 'resources', 'sample-bundle');
  fs.mkdirSync(sampleBundle, { recursive: true });
  fs.writeFileSync(path.join(sampleBundle, 'manifest.json'), '{"format":"ci-run-bundle","version":1}');
  return { appRoot, rendererDir, preloadPath: path.join(appRoot, 'dist', 'electron', 'preload.cjs'), iconPath: path.join(appRoot, 'resources', 'icons', 'icon.png'), sampleBundle };
}

function recordingRunner(): ImportRunner & { seen: string[][] } {
  const seen: string[][] = [];
  const fn = (async (req) => {
    seen.push(req.inputs);
    req.onProgress({ phase: 'reading', fraction: 0.5 });
    await new Promise((r) => setTimeout(r, 5));
    const name = path.basename(req.inputs[0]!) === 'sample-bundle' ? 'sample' : path.basename(req.inputs[0]!);
    const file = path.join(dir, 'cases', `${name}.runlens`);
    const db = createCase(file);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('run', ?)").run(JSON.stringify({ repository: 'acme/web', workflow: 'CI', job: 'test' }));
    migrate(db);
    db.close();
    return { casePath: file, warnings: 0 };
  }) as ImportRunner & { seen: string[][] };
  fn.seen = seen;
  return fn;
}

async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const appFrame = { senderFrame: { url: 'runlens://app/index.html', parent: null } };
const caseOfUrl = (u: string | undefined) => (u ? new URL(u).searchParams.get('case') : null);
const menuItem = (label: string) => (fake.state.menu!.find((m) => m.label === 'File').submenu as any[]).find((i) => i.label === label);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-main-'));
  fake.reset();
});
afterEach(() => {
  for (const fn of fake.state.appListeners.get('before-quit') ?? []) fn();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(runner: ImportRunner, extraEnv: Record<string, string> = {}, argv?: string[]) {
  const paths = layout();
  const env: NodeJS.ProcessEnv = {
    RUNLENS_USER_DATA_DIR: path.join(dir, 'userData'),
    RUNLENS_SQLITE_BINDING: NODE_SQLITE,
    ...extraEnv,
  };
  fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
  const r = runApp({ paths, runner, env, argv: argv ?? ['electron', paths.appRoot] });
  return { paths, env, ...r };
}

describe('Electron main process (faked Electron)', () => {
  it('registers the privileged scheme before ready, then serves the renderer with a CSP', async () => {
    const { ready } = start(recordingRunner());
    expect(fake.state.order.slice(0, 2)).toEqual(['registerSchemesAsPrivileged', 'enableSandbox']);
    expect(fake.state.privileged).toEqual([{ scheme: 'runlens', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }]);
    expect(fake.state.windows).toHaveLength(0);
    fake.state.readyResolve!();
    await ready;
    const handler = fake.state.protocolHandlers.get('runlens')!;
    const res = await handler(new Request('runlens://app/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await res.text()).toContain('<div id="root">');
    expect((await handler(new Request('runlens://app/..%2f..%2fresources%2fsample-bundle%2fmanifest.json'))).status).toBe(403);
  });

  it('opens one sandboxed, isolated window on runlens://app/ and hardens every web contents', async () => {
    const { ready } = start(recordingRunner());
    fake.state.readyResolve!();
    await ready;
    expect(fake.state.windows).toHaveLength(1);
    const win = fake.state.windows[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(win.options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(win.loaded).toEqual(['runlens://app/index.html']);
    win.events.emit('ready-to-show');
    expect(win.shown).toBe(true);

    // Every web contents the app creates (windows, devtools, anything) gets the guards.
    const contents = { ...(function () {
      const m = new Map<string, Listener[]>();
      return { m, on: (n: string, f: Listener) => m.set(n, [...(m.get(n) ?? []), f]), setWindowOpenHandler(f: Listener) { (this as any).open = f; } };
    })() } as any;
    for (const fn of fake.state.appListeners.get('web-contents-created')!) fn({}, contents);
    const nav = { preventDefault: vi.fn() };
    contents.m.get('will-navigate')[0](nav, 'https://github.com/');
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(contents.open({ url: 'https://github.com/' })).toEqual({ action: 'deny' });

    // The session denies permissions and remote requests.
    const cb = vi.fn();
    fake.state.session.request!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(fake.state.session.check!({}, 'clipboard-read')).toBe(false);
    let decision: unknown;
    fake.state.session.before!({ url: 'https://telemetry.example.net/v2/collect' }, (d: unknown) => (decision = d));
    expect(decision).toEqual({ cancel: true });
  });

  it('on first start imports the bundled sample, pushes progress, and shows it in the window that waited', async () => {
    const runner = recordingRunner();
    const { ready, paths } = start(runner);
    fake.state.readyResolve!();
    await ready;
    expect(runner.seen).toEqual([[paths.sampleBundle]]);
    const win = fake.state.windows[0];
    await until(() => win.loaded.length > 1 || fake.state.messageBoxes.length > 0, 'the case loaded after the import');
    expect(fake.state.messageBoxes).toEqual([]);
    const id = caseOfUrl(win.loaded.at(-1));
    expect(win.loaded.at(-1)).toBe(`runlens://app/index.html?case=${id}`);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const sent = win.webContents.sent.filter(([c]: [string]) => c === 'runlens:import-progress').map(([, s]: [string, any]) => s.state);
    expect(sent[0]).toBe('running');
    await until(() => win.webContents.sent.some(([, s]: [string, any]) => s.state === 'done'), 'the done status');
    expect(win.webContents.sent.map(([, s]: [string, any]) => s.state).filter((x: string) => x !== 'running')).toEqual(['done']);
    expect(win.progress.at(-1)).toBe(-1);
    expect(fake.state.windows).toHaveLength(1);

    const call = fake.state.ipcHandlers.get('runlens:call')!;
    const info = await call(appFrame, { case: id, method: 'case.info', params: {} });
    expect(info).toMatchObject({ ok: true, value: { title: 'acme/web · CI · test' } });
    expect(await call({ senderFrame: { url: 'https://evil.example/', parent: null } }, { case: id, method: 'case.info', params: {} })).toMatchObject({ ok: false, error: expect.stringMatching(/^refused/) });
    expect(await call(appFrame, { case: id, method: 'sql.exec', params: { sql: 'DELETE FROM network' } })).toEqual({ ok: false, error: 'unknown method: sql.exec' });
    expect(await call(appFrame, { case: null, method: 'cases.list', params: {} })).toMatchObject({ ok: true, value: { cases: [{ id, title: 'acme/web · CI · test', open: true }] } });

    // The menu knows the window's case: Open Recent lists it, Reveal shows it, Close shows the start page.
    await until(() => (menuItem('Open Recent').submenu as any[])[0].label !== 'No Recent Cases', 'the recent list');
    const recent = menuItem('Open Recent').submenu as any[];
    expect(recent[0].label).toBe('acme/web · CI · test — sample.runlens');
    expect(menuItem('Close Case').enabled).toBe(true);
    menuItem('Reveal Case File').click();
    expect(fake.state.revealed).toEqual([path.join(dir, 'cases', 'sample.runlens')]);
    menuItem('Close Case').click();
    expect(win.loaded.at(-1)).toBe('runlens://app/index.html');
    expect(menuItem('Close Case').enabled).toBe(false);
    // File ▸ New Window: another window with the start page.
    menuItem('New Window').click();
    expect(fake.state.windows).toHaveLength(2);
    expect(fake.state.windows[1].loaded).toEqual(['runlens://app/index.html']);
  });

  it('on a later start reopens the last case without importing', async () => {
    const first = recordingRunner();
    const a = start(first);
    fake.state.readyResolve!();
    await a.ready;
    await until(() => fake.state.windows[0].webContents.sent.some(([, s]: [string, any]) => s.state === 'done'), 'first import');
    await until(() => fs.existsSync(path.join(dir, 'userData', 'recent-cases.json')), 'the recent list');
    for (const fn of fake.state.appListeners.get('before-quit') ?? []) fn();
    fake.reset();

    const second = recordingRunner();
    const b = runApp({ paths: a.paths, runner: second, env: a.env, argv: ['electron', a.paths.appRoot] });
    fake.state.readyResolve!();
    await b.ready;
    expect(second.seen).toEqual([]);
    const id = caseOfUrl(fake.state.windows[0].loaded[0]);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const info = await fake.state.ipcHandlers.get('runlens:call')!(appFrame, { case: id, method: 'case.info', params: {} });
    expect(info).toMatchObject({ ok: true, value: { title: 'acme/web · CI · test' } });
    expect(fake.state.windows[0].loaded).toHaveLength(1);
  });

  it('leaves a page-started import (drop / picker → stage → import.start) to the page: no load by main', async () => {
    const runner = recordingRunner();
    const { ready } = start(runner);
    fake.state.readyResolve!();
    await ready;
    const win = fake.state.windows[0];
    await until(() => win.loaded.length === 2, 'the first-start case');
    const call = fake.state.ipcHandlers.get('runlens:call')!;
    const stage = fake.state.ipcHandlers.get('runlens:stage')!;
    const dropped = path.join(dir, 'dropped.zip');
    fs.writeFileSync(dropped, 'x');
    const staged = stage(appFrame, [dropped]);
    expect(staged).toMatchObject({ ok: true, value: { uploads: [expect.stringMatching(/^[0-9a-f]{32}$/)] } });
    const started = await call(appFrame, { case: null, method: 'import.start', params: { uploads: staged.value.uploads } });
    expect(started).toMatchObject({ ok: true, value: { job: expect.any(String) } });
    await until(() => runner.seen.length === 2, 'the dropped import');
    let status: any;
    await until(() => {
      void call(appFrame, { case: null, method: 'import.status', params: { job: started.value.job } }).then((s: any) => (status = s));
      return status?.value?.state === 'done';
    }, 'import.status done');
    expect(runner.seen[1]).toEqual([dropped]);
    await new Promise((r) => setTimeout(r, 30));
    expect(win.loaded).toHaveLength(2);
    expect(fake.state.windows).toHaveLength(1);
    // The page never names a path: only staged ids are imported.
    expect(await call(appFrame, { case: null, method: 'import.start', params: { paths: ['/etc/passwd'] } })).toMatchObject({ ok: false, error: expect.stringMatching(/Unrecognized key: "paths"/) });
    expect(await call(appFrame, { case: null, method: 'import.start', params: { uploads: ['0123456789abcdef0123456789abcdef'] } })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown or expired/) });
    expect(stage({ senderFrame: { url: 'https://evil.example/', parent: null } }, [dropped])).toMatchObject({ ok: false });
  });

  it('imports bundles picked in File → Open Bundle…, and shows them in a new window when this one has a case', async () => {
    const runner = recordingRunner();
    const { ready } = start(runner);
    fake.state.readyResolve!();
    await ready;
    await until(() => fake.state.windows[0].loaded.length === 2, 'sample case shown');
    const picked = [path.join(dir, 'network.jsonl'), path.join(dir, 'manifest.json')];
    fake.state.openDialogResult = { canceled: false, filePaths: picked };
    menuItem('Open Bundle…').click();
    await until(() => runner.seen.length === 2, 'the picked import');
    expect(runner.seen[1]).toEqual(picked);
    await until(() => fake.state.windows.length === 2, 'a second window');
    const [first, second] = fake.state.windows;
    expect(first.loaded).toHaveLength(2);
    expect(caseOfUrl(second.loaded[0])).toMatch(/^[0-9a-f]{24}$/);
    expect(caseOfUrl(second.loaded[0])).not.toBe(caseOfUrl(first.loaded[1]));
  });

  it('says in a dialog, not a stack trace, when the Electron build of better-sqlite3 is missing', async () => {
    const { ready } = start(recordingRunner(), { RUNLENS_SQLITE_BINDING: '' });
    fake.state.readyResolve!();
    await ready;
    expect(fake.state.exitCode).toBe(1);
    expect(fake.state.errorBoxes).toHaveLength(1);
    expect(fake.state.errorBoxes[0]![1]).toMatch(/better-sqlite3 for Electron is missing .*fetch-electron\.mjs/);
    expect(fake.state.windows).toHaveLength(0);
  });

  it('says so when the renderer is not built', async () => {
    const paths = layout();
    fs.rmSync(path.join(paths.rendererDir, 'index.html'));
    const r = runApp({ paths, runner: recordingRunner(), env: { RUNLENS_USER_DATA_DIR: path.join(dir, 'u'), RUNLENS_SQLITE_BINDING: NODE_SQLITE }, argv: ['electron'] });
    fake.state.readyResolve!();
    await r.ready;
    expect(fake.state.exitCode).toBe(1);
    expect(fake.state.errorBoxes[0]![1]).toMatch(/not built.*npm run build/);
  });

  it('a second instance hands its bundle paths to the first', async () => {
    const runner = recordingRunner();
    const { ready } = start(runner, {}, ['electron', path.join(dir, 'app'), path.join(dir, 'given.zip')]);
    fake.state.readyResolve!();
    await ready;
    expect(runner.seen).toEqual([[path.join(dir, 'given.zip')]]);
    await until(() => fake.state.windows[0].webContents.sent.some(([, s]: [string, any]) => s.state === 'done'), 'given import');
    expect(caseOfUrl(fake.state.windows[0].loaded.at(-1))).toMatch(/^[0-9a-f]{24}$/);
    for (const fn of fake.state.appListeners.get('second-instance')!) fn({}, ['electron', path.join(dir, 'app'), '--flag', 'other.tgz'], dir);
    await until(() => runner.seen.length === 2, 'second-instance import');
    expect(runner.seen[1]).toEqual([path.join(dir, 'other.tgz')]);
  });
});
