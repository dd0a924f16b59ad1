/**
 * Serving the built renderer (dist/renderer) on `runlens://app/…`. The file lookup, MIME types and the strict CSP
 * are serve's (electron/serve/static-files.ts): the desktop app and `runlens serve` answer with the same headers.
 * Here: only our scheme, host and no port; encoded separators refused; GET/HEAD only.
 */
import fs from 'node:fs';
import { mimeFor, resolveStatic, SECURITY_HEADERS, type StaticResult } from '../serve/static-files';
import { APP_HOST, APP_SCHEME } from './app-url';

/** Map a `runlens://app/<path>` URL to a file under `rootDir` (or say why not, with an HTTP status). */
export function resolveAppFile(rootDir: string, requestUrl: string): StaticResult {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.hostname !== APP_HOST || u.port !== '' || u.username || u.password) {
    return { ok: false, status: 403, reason: `not an app URL: ${u.protocol}//${u.host}` };
  }
  // An encoded separator or NUL is never part of an app asset's path (`..%2f`, `%5c..`, `%00`).
  if (/%2f|%5c|%00/i.test(u.pathname)) return { ok: false, status: 403, reason: 'path outside the app' };
  return resolveStatic(rootDir, u.pathname);
}

function headers(contentType: string): Record<string, string> {
  return { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-cache' };
}

/** The handler `protocol.handle('runlens', …)` installs (standard Request/Response of Electron's main process). */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const text = 'text/plain; charset=utf-8';
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: headers(text) });
    let r: StaticResult;
    try {
      r = resolveAppFile(rootDir, request.url);
    } catch {
      r = { ok: false, status: 404, reason: 'not found' };
    }
    if (!r.ok) return new Response(r.reason, { status: r.status, headers: headers(text) });
    const body = request.method === 'HEAD' ? null : await fs.promises.readFile(r.file);
    return new Response(body, { status: 200, headers: headers(mimeFor(r.file)) });
  };
}
