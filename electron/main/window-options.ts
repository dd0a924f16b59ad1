/**
 * The main window's options, kept pure so tests can assert every security setting without Electron.
 * Production settings are the only settings: there is no "relaxed" variant for tests or development.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** Whether the developer tools may open (off in packaged builds). */
  devTools: boolean;
  /** PNG used as the window icon on Linux/Windows (macOS takes the bundle's icon). */
  iconPath?: string;
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Runlens',
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    backgroundColor: '#14171c',
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      // Dropping a file must reach the page's drop handler, never navigate the window to file://.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
    },
  };
}
