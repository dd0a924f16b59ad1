/**
 * The desktop app: wires Electron to the pieces in this folder. `main.ts` computes the real paths and calls `runApp`;
 * tests call it with Electron faked. Nothing here relaxes security for tests or development.
 */
import { isCaseFile } from '../db/case-file';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportStatus } from '../../shared/api';
import { createApi, errorLine } from '../api/dispatch';
import type { ImportRunner } from '../api/imports';
import { buildMenuTemplate, type MenuActions } from './app-menu';
import { createAppProtocolHandler } from './app-protocol';
import { APP_ENTRY_URL, APP_SCHEME } from './app-url';
import { CaseController, type OpenCase } from './case-controller';
import { IMPORT_PROGRESS_CHANNEL } from './channels';
import { hardenWebContents, lockDownSession } from './hardening';
import { registerCallHandler } from './ipc-handler';
import { clearRecent, readRecent, RECENT_FILE_NAME, removeRecent } from './recent-cases';
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
  runner: ImportRunner;
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
  let win: BrowserWindow | null = null;
  let pageRequested = false;
  /** Baseline case files picked in File → Compare with Baseline… (compare.run, new-endpoint findings). */
  let baselines: string[] = [];

  const showError = (title: string, detail: string) => {
    if (win && !win.isDestroyed()) void dialog.showMessageBox(win, { type: 'error', title: 'Runlens', message: title, detail });
    else dialog.showErrorBox(title, detail);
  };
  const fatal = (message: string) => {
    dialog.showErrorBox('Runlens cannot start', message);
    app.exit(1);
  };

  const recentFile = () => path.join(app.getPath('userData'), RECENT_FILE_NAME);

  const openPaths = async (list: string[]) => {
    if (!controller) {
      pending.push(...list);
      return;
    }
    try {
      await controller.openPaths(list);
    } catch (e) {
      showError('Cannot open the bundle', errorLine(e));
    }
  };

  const refreshMenu = () => {
    const actions: MenuActions = {
      openBundleFiles: () => {
        if (!win) return;
        void dialog
          .showOpenDialog(win, {
            title: 'Open Bundle',
            buttonLabel: 'Open',
            properties: ['openFile', 'multiSelections'],
            filters: [
              { name: 'Run bundles, logs and cases', extensions: ['zip', 'gz', 'tgz', 'json', 'jsonl', 'csv', 'txt', 'log', 'runlens'] },
              { name: 'All files', extensions: ['*'] },
            ],
          })
          .then((r) => (r.canceled || r.filePaths.length === 0 ? undefined : openPaths(r.filePaths)));
      },
      openBundleFolder: () => {
        if (!win) return;
        void dialog
          .showOpenDialog(win, { title: 'Open Bundle Folder', buttonLabel: 'Open', properties: ['openDirectory'] })
          .then((r) => (r.canceled || r.filePaths.length === 0 ? undefined : openPaths(r.filePaths)));
      },
      openCase: (casePath) => {
        if (!fs.existsSync(casePath)) {
          removeRecent(recentFile(), casePath);
          refreshMenu();
          showError('The case file is gone', `${casePath} no longer exists; it was removed from Open Recent.`);
          return;
        }
        void openPaths([casePath]);
      },
      clearRecent: () => {
        clearRecent(recentFile());
        refreshMenu();
      },
      cancelImport: () => controller?.cancelImport(),
      closeCase: () => controller?.closeCase(),
      revealCase: () => {
        const c = controller?.current;
        if (c) shell.showItemInFolder(c.casePath);
      },
      compareWithBaseline: () => {
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
            win?.webContents.reload();
          });
      },
    };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          {
            platform: process.platform,
            recent: readRecent(recentFile()),
            caseOpen: controller?.current != null,
            importing: controller?.importing ?? false,
            devTools: !app.isPackaged,
          },
          actions,
        ),
      ),
    );
  };

  const onCaseChanged = (c: OpenCase | null, pageKnows: boolean) => {
    refreshMenu();
    if (!win || win.isDestroyed()) return;
    win.setTitle(c ? `${c.title} — Runlens` : 'Runlens');
    // A case opened from the menu, the command line or on first start: the page loads it afresh. (An import the
    // page started itself is followed by the page, which reloads its panes when the job is done.)
    if (pageRequested && !pageKnows) win.webContents.reload();
  };

  let lastState: string | null = null;
  const onImportProgress = (s: ImportStatus) => {
    if (s.state !== lastState) refreshMenu();
    lastState = s.state;
    if (!win || win.isDestroyed()) return;
    win.webContents.send(IMPORT_PROGRESS_CHANNEL, s);
    win.setProgressBar(s.state === 'running' ? (s.fraction ?? 2) : -1);
    if (s.state === 'failed') showError('The import failed', s.error ?? 'unknown error');
  };

  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, logBlocked));
  app.on('window-all-closed', () => app.quit());
  app.on('open-file', (e, file) => {
    e.preventDefault();
    void openPaths([file]);
  });
  app.on('second-instance', (_e, secondArgv, workingDirectory) => {
    const list = pathsFromArgv(secondArgv, app.isPackaged, workingDirectory, paths.appRoot);
    if (list.length) void openPaths(list);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
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
      createApi: (p) => createApi(p, { baselines: () => baselines }),
      runner: opts.runner,
      recentFile: recentFile(),
      events: { caseChanged: onCaseChanged, importProgress: onImportProgress },
    });
    registerCallHandler(ipcMain, controller.route);

    win = new BrowserWindow(mainWindowOptions({ preloadPath: paths.preloadPath, devTools: !app.isPackaged, iconPath: paths.iconPath }));
    win.once('ready-to-show', () => win?.show());
    win.webContents.on('render-process-gone', (_e, d) => showError('The window stopped', `reason: ${d.reason}; reopen the case from File → Open Recent.`));
    win.on('closed', () => (win = null));
    refreshMenu();

    // What to show first: paths given to the app, else the last case, else (first start) the bundled sample.
    const given = [...pathsFromArgv(argv, app.isPackaged, process.cwd(), paths.appRoot), ...pending.splice(0)];
    const recent = readRecent(recentFile());
    const firstStart = !fs.existsSync(recentFile());
    if (given.length) {
      await openPaths(given);
    } else {
      for (const r of recent) {
        if (!fs.existsSync(r.path)) continue;
        try {
          await controller.openCase(r.path);
          break;
        } catch (e) {
          console.warn(`runlens: ${errorLine(e)}`);
        }
      }
      if (!controller.current && firstStart && fs.existsSync(paths.sampleBundle)) {
        await openPaths([paths.sampleBundle]);
      }
    }
    pageRequested = true;
    await win.loadURL(APP_ENTRY_URL);
  };

  const ready = app.whenReady().then(start).catch((e: unknown) => fatal(errorLine(e)));
  return { ready };
}
