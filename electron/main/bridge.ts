/**
 * What the preload exposes as `window.runlens`: exactly `call`, `stageFiles` and `onImportProgress`. Built from
 * injected `ipcRenderer`/`webUtils` so tests can drive it; the preload wires in Electron's own.
 *
 * The page never names a local path: `stageFiles` takes `File` objects that came from a file dialog or a drop (a
 * File the page builds itself has no path), turns them into paths here, in the isolated preload, and hands them to
 * main, which answers ids that `import.start({uploads})` accepts. So the renderer can import only what the user
 * picked or dropped.
 */
import type { Call, Envelope } from '../../shared/api';
import { CALL_CHANNEL, IMPORT_PROGRESS_CHANNEL, isCaseShape, isMethodShape, STAGE_CHANNEL } from './channels';

export interface RunlensBridge {
  /** One call of the API contract; a malformed call is refused here, and every call is checked again in main. */
  call(call: Call): Promise<Envelope<unknown>>;
  /** Stage files the user picked or dropped for `import.start({uploads})`. */
  stageFiles(files: File[]): Promise<Envelope<{ uploads: string[] }>>;
  /** Job progress pushed by main; returns the unsubscribe function. */
  onImportProgress(cb: (progress: unknown) => void): () => void;
}

export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface BridgeWebUtils {
  getPathForFile(file: File): string;
}

export function createBridge(ipc: BridgeIpc, webUtils: BridgeWebUtils): RunlensBridge {
  return {
    call(call: Call): Promise<Envelope<unknown>> {
      const c = (call ?? {}) as Partial<Call>;
      if (!isMethodShape(c.method)) return Promise.resolve({ ok: false, error: `unknown method: ${String(c.method)}` });
      if (!isCaseShape(c.case ?? null)) return Promise.resolve({ ok: false, error: `not a case id: ${String(c.case)}` });
      // A fresh plain object: nothing but the three fields crosses.
      return ipc.invoke(CALL_CHANNEL, { case: c.case ?? null, method: c.method, params: c.params ?? {} }) as Promise<Envelope<unknown>>;
    },
    async stageFiles(files: File[]): Promise<Envelope<{ uploads: string[] }>> {
      const paths: string[] = [];
      for (const f of Array.from(files ?? [])) {
        let p: string;
        try {
          p = webUtils.getPathForFile(f);
        } catch {
          p = '';
        }
        if (!p) return { ok: false, error: `${String((f as { name?: unknown })?.name ?? 'a file')} has no local path: pick or drop it` };
        paths.push(p);
      }
      if (paths.length === 0) return { ok: false, error: 'nothing to import' };
      return ipc.invoke(STAGE_CHANNEL, paths) as Promise<Envelope<{ uploads: string[] }>>;
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
  };
}
