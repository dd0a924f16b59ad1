/**
 * How the renderer reaches the API contract. In Electron the preload exposes `window.runlens` (IPC); in a browser
 * opened by `runlens serve` it is HTTP: `POST /api/<method>` with JSON, authenticated by the HttpOnly cookie the
 * server set from the start-up URL's token. Files to import are staged per transport: Electron hands their local
 * paths to `import.start({paths})`; HTTP uploads each file (`POST /api/upload?name=…`, streamed by the browser)
 * and passes the upload ids to `import.start({uploads})`.
 */
import type { Envelope, Params, Transport } from '../../shared/api';

/** The preload bridge (electron/main/bridge.ts) as the renderer uses it. */
export interface RunlensBridge {
  call(method: string, params?: unknown): Promise<Envelope<unknown>>;
  pathForFile?(file: File): string;
  onImportProgress?(cb: (progress: unknown) => void): () => void;
}

declare global {
  interface Window {
    runlens?: RunlensBridge;
  }
}

export interface AppTransport {
  kind: 'ipc' | 'http';
  call: Transport;
  /** Make `files` importable; `onProgress` gets the fraction of bytes sent (HTTP) . */
  stageFiles(
    files: File[],
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Params<'import.start'>>;
}

/** A file's name as the bundle knows it: its path inside a picked folder, else its name. */
export const relativeName = (f: File): string => (f.webkitRelativePath || f.name).replace(/^\/+/, '');

async function httpCall(method: string, params: unknown): Promise<Envelope<unknown>> {
  let res: Response;
  try {
    res = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: 'the Runlens server is not answering (was `runlens serve` stopped?)' };
  }
  const text = await res.text();
  try {
    return JSON.parse(text) as Envelope<unknown>;
  } catch {
    return { ok: false, error: `${res.status} ${res.statusText}: ${text.slice(0, 200)}` };
  }
}

function uploadOne(file: File, onBytes: (sent: number) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?name=${encodeURIComponent(relativeName(file))}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onerror = () => reject(new Error(`upload of ${file.name} failed: the server did not answer`));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    xhr.onload = () => {
      try {
        const env = JSON.parse(xhr.responseText) as Envelope<{ upload_id: string }>;
        if (env.ok) resolve(env.value.upload_id);
        else reject(new Error(env.error));
      } catch {
        reject(new Error(`upload of ${file.name} failed: ${xhr.status} ${xhr.statusText}`));
      }
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function httpTransport(): AppTransport {
  return {
    kind: 'http',
    call: httpCall,
    async stageFiles(files, onProgress, signal) {
      const total = files.reduce((n, f) => n + f.size, 0) || 1;
      let done = 0;
      const uploads: string[] = [];
      for (const f of files) {
        if (signal?.aborted) throw new DOMException('upload cancelled', 'AbortError');
        uploads.push(await uploadOne(f, (sent) => onProgress?.((done + sent) / total), signal));
        done += f.size;
        onProgress?.(done / total);
      }
      return { uploads };
    },
  };
}

function ipcTransport(bridge: RunlensBridge): AppTransport {
  return {
    kind: 'ipc',
    call: (method, params) => bridge.call(method, params ?? {}),
    async stageFiles(files) {
      const paths = files.map((f) => bridge.pathForFile?.(f) ?? '').filter((p) => p !== '');
      if (paths.length === 0) throw new Error('these files have no local path to import from');
      return { paths };
    },
  };
}

/** `window.runlens` when the preload put it there (Electron), else HTTP to the serving origin. */
export function pickTransport(win: Window = window): AppTransport {
  const bridge = win.runlens;
  return bridge && typeof bridge.call === 'function' ? ipcTransport(bridge) : httpTransport();
}
