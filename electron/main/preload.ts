/**
 * The preload script (sandboxed: bundled to CommonJS, may require only `electron`). It exposes `window.runlens` and
 * nothing else; everything goes through the one `runlens:call` channel, limited to the contract's method names.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';
import { ALLOWED_METHODS } from './channels';

contextBridge.exposeInMainWorld('runlens', createBridge(ipcRenderer, webUtils, ALLOWED_METHODS));
