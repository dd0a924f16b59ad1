/**
 * Electron main entry (bundled to dist/electron/main.cjs; package.json "main"). Paths are relative to this file's
 * folder (CommonJS `__dirname`), which is dist/electron in development and inside app.asar when packaged.
 */
import { app } from 'electron';
import path from 'node:path';
import { runImportInWorker } from '../api/import-runner';
import { defaultQueryEngine } from '../api/query-worker-pool';
import { runApp } from './app-main';
import { electronQueryProcess } from './query-process';

const appRoot = path.join(__dirname, '..', '..');

runApp({
  paths: {
    appRoot,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    preloadPath: path.join(__dirname, 'preload.cjs'),
    iconPath: path.join(appRoot, 'resources', 'icons', 'icon.png'),
    sampleBundle: app.isPackaged ? path.join(process.resourcesPath, 'sample-bundle') : path.join(appRoot, 'resources', 'sample-bundle'),
  },
  runner: runImportInWorker,
  // Case queries off the main process's thread (it draws the windows), each with a time limit.
  queries: defaultQueryEngine({ spawn: electronQueryProcess }),
});
