/**
 * How the renderer reaches the API contract. Every call names its case (`{ case, method, params }`). In Electron
 * the preload exposes `window.runlens` (IPC); in a browser opened by `runlens serve` it is HTTP:
 * `POST /api/cases/<case>/<method>` (or `/api/<method>` for a case-less one) with JSON, authenticated by the
 * HttpOnly cookie the server set from the start-up URL's token. Files to import are staged per transport: Electron's
 * preload turns picked or dropped files into ids (the page never sees or names a path); HTTP uploads each file
 * (`POST /api/upload?name=…`, streamed by the browser). Either way `import.start({uploads})` takes the ids.
 * Job progress: pushed where the transport can (`onJobProgress`, IPC), polled where it cannot (HTTP).
 */
import type { AppParams, Call, Envelope, ImportStatus, Transport } from '../../shared/api';
import { firstScreenGate } from './first-screen-gate';
import { whenFirstScreenDrawn } from './state/first-screen';

/** The preload bridge (electron/main/bridge.ts) as the renderer uses it. */
export interface RunlensBridge {
  call(call: Call): Promise<Envelope<unknown>>;
  stageFiles?(files: File[]): Promise<Envelope<{ uploads: string[] }>>;
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
  ): Promise<AppParams<'import.start'>>;
  /** Job status pushed by the host (IPC only); returns the unsubscribe function. Absent: poll `import.status`. */
  onJobProgress?(cb: (status: ImportStatus) => void): () => void;
}

/** A file's name as the bundle knows it: its path inside a picked folder, else its name. */
export const relativeName = (f: File): string => (f.webkitRelativePath || f.name).replace(/^\/+/, '');

/** The HTTP route of a call: `/api/cases/<case>/<method>` or `/api/<method>`. */
export function callPath(call: Pick<Call, 'case' | 'method'>): string {
  const m = encodeURIComponent(call.method);
  return call.case === null ? `/api/${m}` : `/api/cases/${encodeURIComponent(call.case)}/${m}`;
}

/** What public/first-screen.js asked for before the bundle was parsed, by `<case> <method> <JSON params>`. */
type EarlyAnswer = { status: number; statusText: string; text: string };
declare global {
  interface Window {
    __runlensFirstScreen?: Record<string, Promise<EarlyAnswer> | undefined>;
    /** Those of them already answered (and not yet taken), by the same key. */
    __runlensFirstScreenReady?: Record<string, EarlyAnswer | undefined>;
  }
}

/** The key public/first-screen.js files an early answer under (the same string it builds). */
const earlyKey = ({ case: caseId, method, params }: Call): string => `${caseId} ${method} ${JSON.stringify(params ?? {})}`;

/**
 * An early answer that is already in, read synchronously: a pane's first render can show it instead of waiting for an
 * effect, a call and another render. Left in place for the call that takes it, or `take`n (no call will). Null when
 * it is not in yet, was taken, or is not valid JSON.
 */
export function peekEarlyAnswer(call: Call, take = false): Envelope<unknown> | null {
  const key = earlyKey(call);
  const a = call.case === null ? undefined : window.__runlensFirstScreenReady?.[key];
  if (!a) return null;
  if (take) {
    // no call will take it: nor may a later one (it would read the first screen's state of the case)
    delete window.__runlensFirstScreenReady![key];
    if (window.__runlensFirstScreen) delete window.__runlensFirstScreen[key];
  }
  try {
    return JSON.parse(a.text) as Envelope<unknown>;
  } catch {
    return null;
  }
}

/** The first identical call takes the early answer (once); one that failed is asked again. */
async function earlyAnswer(call: Call): Promise<Envelope<unknown> | null> {
  const early = window.__runlensFirstScreen;
  if (!early || call.case === null) return null;
  const key = earlyKey(call);
  const asked = early[key];
  if (!asked) return null;
  delete early[key];
  if (window.__runlensFirstScreenReady) delete window.__runlensFirstScreenReady[key];
  try {
    const a = await asked;
    return JSON.parse(a.text) as Envelope<unknown>;
  } catch {
    return null;
  }
}

async function httpCall(call: Call): Promise<Envelope<unknown>> {
  const early = await earlyAnswer(call);
  if (early) return early;
  const { case: caseId, method, params } = call;
  let res: Response;
  try {
    res = await fetch(callPath({ case: caseId, method }), {
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
    call: (c) => bridge.call({ case: c.case, method: c.method, params: c.params ?? {} }),
    async stageFiles(files) {
      if (!bridge.stageFiles) throw new Error('this window cannot import files');
      const env = await bridge.stageFiles(files);
      if (!env.ok) throw new Error(env.error);
      return { uploads: env.value.uploads };
    },
    ...(bridge.onImportProgress
      ? { onJobProgress: (cb: (s: ImportStatus) => void) => bridge.onImportProgress!((p) => cb(p as ImportStatus)) }
      : {}),
  };
}

/** `window.runlens` when the preload put it there (Electron), else HTTP to the serving origin. */
export function pickTransport(win: Window = window): AppTransport {
  const bridge = win.runlens;
  return counted(bridge && typeof bridge.call === 'function' ? ipcTransport(bridge) : httpTransport(), win);
}

/**
 * Calls in flight, on the page's root element as `data-api-pending`: a ready signal (the end-to-end tests wait for
 * it to be 0 instead of sleeping).
 */
function counted(t: AppTransport, win: Window): AppTransport {
  const root = win.document?.documentElement;
  if (!root) return t;
  // A page opened on a case draws the log's first rows before its other panes ask (first-screen-gate.ts); not one
  // opened on a selection (`#call=…`, `#log=…`): every pane takes its place around it as it loads.
  const gate =
    typeof win.requestAnimationFrame === 'function' &&
    new URLSearchParams(win.location?.search ?? '').get('case') &&
    (win.location.hash ?? '').replace(/^#/, '') === ''
      ? firstScreenGate(win)
      : null;
  // The log drew its first rows (also from answers it read without a call: the gate then sees no log.window).
  if (gate) void whenFirstScreenDrawn().then(() => gate.release());
  let pending = 0;
  const show = () => {
    root.dataset.apiPending = String(pending);
  };
  show();
  return {
    ...t,
    call: async (c) => {
      pending++;
      show();
      try {
        if (gate && !gate.open) {
          await gate.wait(c);
          const env = await t.call(c);
          gate.answered(c, env);
          return env;
        }
        return await t.call(c);
      } finally {
        pending--;
        show();
      }
    },
  };
}
