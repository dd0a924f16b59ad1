/**
 * The application menu as a pure template (labels, accelerators, enabled states), so tests can walk it.
 * main.ts turns it into a Menu with `Menu.buildFromTemplate`.
 */
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { RecentCase } from '../api/recent-cases';

export interface MenuActions {
  newWindow(): void;
  openBundleFiles(): void;
  openBundleFolder(): void;
  openCase(casePath: string): void;
  clearRecent(): void;
  cancelImport(): void;
  closeCase(): void;
  revealCase(): void;
  /** Pick baseline case files to compare the open case with (the Compare panel; runs engineer). */
  compareWithBaseline?(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  recent: RecentCase[];
  caseOpen: boolean;
  importing: boolean;
  devTools: boolean;
}

function recentLabel(r: RecentCase): string {
  const file = path.basename(r.path);
  return r.title && r.title !== file ? `${r.title} — ${file}` : file;
}

export function buildMenuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = state.recent.length
    ? [
        ...state.recent.map((r): MenuItemConstructorOptions => ({ label: recentLabel(r), toolTip: r.path, click: () => actions.openCase(r.path) })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Cases', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Window', accelerator: 'CmdOrCtrl+N', click: () => actions.newWindow() },
      { type: 'separator' },
      { label: 'Open Bundle…', accelerator: 'CmdOrCtrl+O', enabled: !state.importing, click: () => actions.openBundleFiles() },
      { label: 'Open Bundle Folder…', accelerator: 'CmdOrCtrl+Shift+O', enabled: !state.importing, click: () => actions.openBundleFolder() },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Cancel Import', enabled: state.importing, click: () => actions.cancelImport() },
      { type: 'separator' },
      ...(actions.compareWithBaseline
        ? ([{ label: 'Compare with Baseline…', enabled: state.caseOpen, click: () => actions.compareWithBaseline?.() }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { label: 'Close Case', accelerator: 'CmdOrCtrl+Shift+W', enabled: state.caseOpen, click: () => actions.closeCase() },
      { label: mac ? 'Reveal Case File in Finder' : 'Reveal Case File', enabled: state.caseOpen, click: () => actions.revealCase() },
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'quit' }] as MenuItemConstructorOptions[])),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'copy' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(state.devTools ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  };
  const window: MenuItemConstructorOptions = { role: 'windowMenu' };
  const template: MenuItemConstructorOptions[] = [file, edit, view, window];
  if (mac) template.unshift({ role: 'appMenu' });
  return template;
}
