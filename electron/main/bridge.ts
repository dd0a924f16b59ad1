/**
 * What the preload exposes as `window.runlens`: exactly `call`, `onImportProgress` and `pathForFile`. Built from
 * injected `ipcRenderer`/`webUtils` so tests can drive it; the preload wires in Electron's own.
 */
import type { Envelope } from '../../shared/api';
import { CALL_CHANNEL, IMPORT_PROGRESS_CHANNEL } from './channels';

export interface RunlensBridge {
  /** One call of the API contract; unknown method names are refused here and again in main. */
  call(method: string, params?: unknown): Promise<Envelope<unknown>>;
  /** Import progress pushed by main; returns the unsubscribe function. */
  onImportProgress(cb: (progress: unknown) => void): () => void;
  /** The file system path of a dropped or picked `File` ('' when it has none). */
  pathForFile(file: File): string;
}

export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface BridgeWebUtils {
  getPathForFile(file: File): string;
}

export function createBridge(ipc: BridgeIpc, webUtils: BridgeWebUtils, allowed: ReadonlySet<string>): RunlensBridge {
  return {
    call(method: string, params?: unknown): Promise<Envelope<unknown>> {
      if (typeof method !== 'string' || !allowed.has(method)) {
        return Promise.resolve({ ok: false, error: `unknown method: ${String(method)}` });
      }
      return ipc.invoke(CALL_CHANNEL, method, params ?? {}) as Promise<Envelope<unknown>>;
    },
    onImportProgress(cb: (progress: unknown) => void): () => void {
      if (typeof cb !== 'function') throw new TypeError('onImportProgress needs a function');
      // Only the payload crosses over: the IPC event object (with its sender) never reaches the page.
      const listener = (_event: unknown, progress: unknown) => cb(progress);
      ipc.on(IMPORT_PROGRESS_CHANNEL, listener);
      return () => {
        ipc.removeListener(IMPORT_PROGRESS_CHANNEL, listener);
      };
    },
    pathForFile(file: File): string {
      return webUtils.getPathForFile(file);
    },
  };
}
