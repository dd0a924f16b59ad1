/**
 * The desktop app: wires Electron to the pieces in this folder. `main.ts` computes the real paths and calls `runApp`;
 * tests call it with Electron faked. Nothing here relaxes security for tests or development.
 */
import { isCaseFile } from '../db/case-file';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportStatus } from '../../shared/api';
import { errorLine } from '../api/dispatch';
import type { ImportRunner } from '../api/imports';
import type { QueryEngine } from '../api/query-engine';
import { buildMenuTemplate, type MenuActions } from './app-menu';
import { createAppProtocolHandler } from './app-protocol';
import { APP_ENTRY_URL, APP_SCHEME, caseFromUrl } from './app-url';
import { CaseController } from './case-controller';
import { IMPORT_PROGRESS_CHANNEL } from './channels';
import { hardenWebContents, lockDownSession } from './hardening';
import { registerCallHandler } from './ipc-handler';
import { clearRecent, readRecent, RECENT_FILE_NAME, removeRecent } from '../api/recent-cases';
import { configureSqliteBinding } from './sqlite-binding';
import { mainWindowOptions } from './window-options';

export interface AppPaths {
  /** Folder holding package.json, dist/ and resources/ (app.asar when packaged). */
  appRoot: string;
  rendererDir: string;
  preloadPath: string;
  iconPath: string;
  sampleBundle: string;
}

export interface RunOptions {
  paths: AppPaths;
  runner?: ImportRunner;
  /** Where case queries run (main.ts: the query worker, off the thread that draws windows). */
  queries?: QueryEngine;
  env?: NodeJS.ProcessEnv;
  argv?: string[];
}

/** Must run before `ready`: the app's scheme is standard (relative URLs, origin), secure and may use fetch. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Bundle paths given on the command line (flags and the app folder itself left out). */
export function pathsFromArgv(argv: string[], isPackaged: boolean, cwd: string, appRoot: string): string[] {
  const rest = argv.slice(isPackaged ? 1 : 2);
  return rest
    .filter((a) => a !== '' && !a.startsWith('-'))
    .map((a) => path.resolve(cwd, a))
    .filter((a) => a !== path.resolve(appRoot));
}

function logBlocked(what: string, url: string): void {
  console.warn(`runlens: blocked ${what}${url ? ` ${url}` : ''}`);
}

export function runApp(opts: RunOptions): { ready: Promise<void> } {
  const env = opts.env ?? process.env;
  const argv = opts.argv ?? process.argv;
  const { paths } = opts;

  registerAppScheme();
  if (env.RUNLENS_USER_DATA_DIR) app.setPath('userData', path.resolve(env.RUNLENS_USER_DATA_DIR));
  // One instance per profile: a second launch hands its paths over (see 'second-instance') and quits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve() };
  }
  const sqliteProblem = configureSqliteBinding({ env, isPackaged: app.isPackaged, appRoot: paths.appRoot });
  app.enableSandbox();

  // Files handed over before ready (macOS "Open With", a second instance) wait here.
  const pending: string[] = [];
  let controller: CaseController | null = null;
  /** Open windows and the case each shows (null: the start page). One case per window. */
  const windows = new Map<BrowserWindow, string | null>();
  /** The window that asked for a job the app started (its case is shown there, or in a new window). */
  const jobWindow = new Map<string, BrowserWindow | null>();
  /** Baseline case files picked in File → Compare with Baseline… (compare.run, new-endpoint findings). */
  let baselines: string[] = [];

  const focused = (): BrowserWindow | null => {
    const f = BrowserWindow.getFocusedWindow?.() ?? null;
    if (f && windows.has(f)) return f;
    return [...windows.keys()].at(-1) ?? null;
  };
  const showError = (title: string, detail: string) => {
    const w = focused();
    if (w && !w.isDestroyed()) void dialog.showMessageBox(w, { type: 'error', title: 'Runlens', message: title, detail });
    else dialog.showErrorBox(title, detail);
  };
  const fatal = (message: string) => {
    dialog.showErrorBox('Runlens cannot start', message);
    app.exit(1);
  };

  const recentFile = () => path.join(app.getPath('userData'), RECENT_FILE_NAME);
  const urlFor = (caseId: string | null) => (caseId ? `${APP_ENTRY_URL}?case=${caseId}` : APP_ENTRY_URL);

  const newWindow = (caseId: string | null): BrowserWindow => {
    const w = new BrowserWindow(mainWindowOptions({ preloadPath: paths.preloadPath, devTools: !app.isPackaged, iconPath: paths.iconPath }));
    windows.set(w, caseId);
    w.once('ready-to-show', () => w.show());
    w.webContents.on('render-process-gone', (_e: unknown, d: { reason: string }) =>
      showError('The window stopped', `reason: ${d.reason}; reopen the case from File → Open Recent.`),
    );
    // The page changes its case itself (start page, an import it started): follow its URL.
    w.webContents.on('did-navigate-in-page', (_e: unknown, url: string) => {
      windows.set(w, caseFromUrl(url));
      refreshMenu();
    });
    w.on('focus', () => refreshMenu());
    w.on('closed', () => {
      windows.delete(w);
      refreshMenu();
    });
    void w.loadURL(urlFor(caseId));
    refreshMenu();
    return w;
  };

  /** Show a case: in `asker` when it shows no case (or the same one), else in a new window (one case per window). */
  const showCase = (caseId: string, asker: BrowserWindow | null) => {
    if (asker && !asker.isDestroyed() && windows.has(asker) && (windows.get(asker) === null || windows.get(asker) === caseId)) {
      windows.set(asker, caseId);
      void asker.loadURL(urlFor(caseId));
      refreshMenu();
      return;
    }
    newWindow(caseId);
  };

  const openPaths = (list: string[], asker: BrowserWindow | null) => {
    if (!controller) {
      pending.push(...list);
      return;
    }
    try {
      const r = controller.openPaths(list);
      if ('caseId' in r) showCase(r.caseId, asker);
      else jobWindow.set(r.job, asker);
    } catch (e) {
      showError('Cannot open the bundle', errorLine(e));
    }
  };

  const refreshMenu = () => {
    const actions: MenuActions = {
      newWindow: () => void newWindow(null),
      openBundleFiles: () => {
        const w = focused();
        const options: Electron.OpenDialogOptions = {
          title: 'Open Bundle',
          buttonLabel: 'Open',
          properties: ['openFile', 'multiSelections'],
          filters: [
            { name: 'Run bundles, logs and cases', extensions: ['zip', 'gz', 'tgz', 'json', 'jsonl', 'csv', 'txt', 'log', 'runlens'] },
            { name: 'All files', extensions: ['*'] },
          ],
        };
        void (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options)).then((r) =>
          r.canceled || r.filePaths.length === 0 ? undefined : openPaths(r.filePaths, w),
        );
      },
      openBundleFolder: () => {
        const w = focused();
        const options: Electron.OpenDialogOptions = { title: 'Open Bundle Folder', buttonLabel: 'Open', properties: ['openDirectory'] };
        void (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options)).then((r) =>
          r.canceled || r.filePaths.length === 0 ? undefined : openPaths(r.filePaths, w),
        );
      },
      openCase: (casePath) => {
        if (!fs.existsSync(casePath)) {
          removeRecent(recentFile(), casePath);
          refreshMenu();
          showError('The case file is gone', `${casePath} no longer exists; it was removed from Open Recent.`);
          return;
        }
        openPaths([casePath], focused());
      },
      clearRecent: () => {
        clearRecent(recentFile());
        refreshMenu();
      },
      cancelImport: () => controller?.cancelImport(),
      closeCase: () => {
        const w = focused();
        if (!w) return;
        windows.set(w, null);
        void w.loadURL(urlFor(null));
        refreshMenu();
      },
      revealCase: () => {
        const w = focused();
        const id = w ? windows.get(w) : null;
        const p = id ? controller?.owner.pathOf(id) : undefined;
        if (p) shell.showItemInFolder(p);
      },
      compareWithBaseline: () => {
        const win = focused();
        if (!win) return;
        // Only what the user picks here becomes a baseline (the page can never name files); the page reloads
        // and its Compare panel asks compare.run.
        void dialog
          .showOpenDialog(win, {
            title: 'Compare with Baseline Runs',
            buttonLabel: 'Compare',
            properties: ['openFile', 'multiSelections'],
            filters: [{ name: 'Runlens cases', extensions: ['runlens'] }],
          })
          .then((r) => {
            if (r.canceled) return;
            const picked = r.filePaths.filter((f) => isCaseFile(f));
            if (picked.length < r.filePaths.length) showError('Not a case file', 'A baseline must be a Runlens case file (import the bundle first).');
            baselines = picked;
            if (!win.isDestroyed()) win.webContents.reload();
          });
      },
    };
    const w = focused();
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          {
            platform: process.platform,
            recent: readRecent(recentFile()),
            caseOpen: w ? windows.get(w) != null : false,
            importing: controller?.importing ?? false,
            devTools: !app.isPackaged,
          },
          actions,
        ),
      ),
    );
  };

  let lastState: string | null = null;
  const onJobChanged = (s: ImportStatus) => {
    if (s.state !== lastState) refreshMenu();
    lastState = s.state;
    // Every window hears every job; a page follows only the job it started (by id).
    for (const w of windows.keys()) if (!w.isDestroyed()) w.webContents.send(IMPORT_PROGRESS_CHANNEL, s);
    const asker = jobWindow.get(s.job);
    if (asker && !asker.isDestroyed()) asker.setProgressBar(s.state === 'running' ? (s.fraction ?? 2) : -1);
    if (s.state !== 'running' && jobWindow.has(s.job)) {
      if (s.state === 'failed') showError('The import failed', s.error ?? 'unknown error');
      if (s.state !== 'done') jobWindow.delete(s.job);
    }
  };
  const onCaseReady = (caseId: string, job: string) => {
    const asker = jobWindow.get(job) ?? null;
    jobWindow.delete(job);
    showCase(caseId, asker);
  };

  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, logBlocked));
  app.on('window-all-closed', () => app.quit());
  app.on('open-file', (e, file) => {
    e.preventDefault();
    openPaths([file], null);
  });
  app.on('second-instance', (_e, secondArgv, workingDirectory) => {
    const list = pathsFromArgv(secondArgv, app.isPackaged, workingDirectory, paths.appRoot);
    if (list.length) openPaths(list, null);
    const w = focused();
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });
  app.on('before-quit', () => controller?.dispose());

  const start = async () => {
    if (sqliteProblem) return fatal(sqliteProblem);
    if (!fs.existsSync(path.join(paths.rendererDir, 'index.html'))) {
      return fatal(`The app is not built: ${path.join(paths.rendererDir, 'index.html')} is missing. Run \`npm run build\`.`);
    }
    lockDownSession(session.defaultSession, logBlocked);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir));

    controller = new CaseController({
      runner: opts.runner,
      recentFile: recentFile(),
      queries: opts.queries,
      baselines: () => baselines,
      events: { jobChanged: onJobChanged, caseReady: onCaseReady, opened: () => refreshMenu() },
    });
    registerCallHandler(ipcMain, controller.route, controller.stage);
    refreshMenu();

    // What to show first: paths given to the app, else the last case, else (first start) the bundled sample; a
    // window with the start page while an import runs (its case then opens in it).
    const given = [...pathsFromArgv(argv, app.isPackaged, process.cwd(), paths.appRoot), ...pending.splice(0)];
    const firstStart = !fs.existsSync(recentFile());
    let first: string | null = null;
    if (!given.length) {
      for (const r of readRecent(recentFile())) {
        if (!fs.existsSync(r.path)) continue;
        try {
          first = controller.openCase(r.path).id;
          break;
        } catch (e) {
          console.warn(`runlens: ${errorLine(e)}`);
        }
      }
    }
    const win = newWindow(first);
    if (given.length) openPaths(given, win);
    else if (!first && firstStart && fs.existsSync(paths.sampleBundle)) openPaths([paths.sampleBundle], win);
  };

  const ready = app.whenReady().then(start).catch((e: unknown) => fatal(errorLine(e)));
  return { ready };
}
