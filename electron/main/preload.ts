/**
 * The preload script (sandboxed: bundled to CommonJS, may require only `electron`). It exposes `window.runlens` and
 * nothing else: calls of the contract over `runlens:call`, and staging of picked or dropped files (bridge.ts).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('runlens', createBridge(ipcRenderer, webUtils));
