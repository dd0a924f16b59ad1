/**
 * `runlens serve`: the renderer and the API contract over HTTP on 127.0.0.1 only. A random token (32 bytes, hex)
 * guards every request: the first page load carries it as `?token=` and swaps it for an HttpOnly, SameSite=Strict
 * cookie named for this server's port (then redirects, on this server only, to drop it from the address bar); scripts may also send it as `X-Runlens-Token`. Without
 * it: 403. `Host` must name this server (no DNS rebinding); API calls must be JSON POSTs from this origin.
 *   GET  /…                            the built renderer (dist/renderer), strict CSP; `/?case=<id>` shows a case,
 *                                      `/` the start page (the open and recent cases)
 *   POST /api/cases/<case id>/<method> a case method: JSON params -> JSON envelope (shared/api.ts)
 *   POST /api/<method>                 a case-less method (cases.list, cases.open, import.*)
 *   POST /api/upload?name=<relative path>   a file body, streamed to a temporary file -> { upload_id }
 * Cases and jobs belong to the case owner (api/case-owner.ts): the server holds several open cases at once and
 * every call names its case, so what one tab does never changes another.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CaseOwner } from '../api/case-owner';
import { errorLine } from '../api/dispatch';
import { defaultQueryEngine } from '../api/query-worker-pool';
import type { ImportRunner } from '../api/imports';
import type { CaseSummary } from '../../shared/api';
import { isCaseFile } from '../db/case-file';
import { checkInputs } from '../import/case-location';
import type { EarlyWorker } from '../import/worker-client';
import { defaultStaticDir, mimeFor, resolveStatic, SECURITY_HEADERS, StaticFiles } from './static-files';
import { UploadError, UploadStore } from './uploads';
import { trace, tracing } from '../api/trace';

/** The cookie's name carries the port: browsers do not isolate cookies by port, so one name for every server
 *  would let a second server's cookie replace the first's (breaking its tabs). */
export const tokenCookie = (port: number) => `runlens_token_${port}`;
export const TOKEN_HEADER = 'x-runlens-token';
const MAX_JSON_BYTES = 1024 * 1024;

export interface ServeOptions {
  /** A case file, or a bundle (folder, .zip, .tar.gz): imported first into the default case location (or reused). */
  target: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Never: the server listens on 127.0.0.1 only. */
  host?: never;
  /** The built renderer (default: dist/renderer). */
  staticDir?: string;
  /** Where cases imported from the page go (default: the import's default case location). */
  caseDir?: string;
  /** Upload size cap in bytes. */
  maxUploadBytes?: number;
  /** Where uploads are spooled (default: the OS temp folder). */
  uploadDir?: string;
  /** How imports run (default: the import worker); tests hold one running with their own. */
  runner?: ImportRunner;
  /** The time limit of one read query (default: QUERY_TIME_LIMIT_MS). */
  queryTimeLimitMs?: number;
  /** The built worker (default: beside this file; none built: queries run in this thread). */
  workerPath?: string;
  /** The recent cases list the start page shows besides the open cases (none: only this run's cases). */
  recentFile?: string;
  /** What the server opens after it started (a case imported from a page), one line each (default: nothing). */
  onCaseOpened?: (line: string) => void;
  /** Import progress lines while a bundle target is imported (default: stderr). */
  onImportProgress?: (line: string) => void;
  /** Baseline case files opened beside the case (`compare.run`, new-endpoint findings). */
  baselines?: string[];
  /** An import worker started before the server (cmd-serve: its start is on the first screen's path): the target's
   *  import runs in it; discarded when the target is a case file or the start fails. */
  importWorker?: EarlyWorker;
}

export interface ServeHandle {
  /** The start-up URL: token and the target's case (`/?token=…&case=<id>`). */
  url: string;
  close(): Promise<void>;
  /** The case the server was started with (imports from a page open further cases beside it); a bundle target's once
   *  its import has named it (its inputs hashed), '' before. */
  readonly casePath: string;
  /** Its id (a bundle target's: an alias of the case's own id, answered by the owner like it: case-owner.ts). */
  readonly caseId: string;
  /** Its title (what the terminal says is served), once the case is readable (a bundle target: its first screen). */
  readonly title: Promise<string>;
  readonly owner: CaseOwner;
}

function sameToken(a: string | undefined, token: string): boolean {
  if (!a) return false;
  // Compare bytes: a value of the right length in multi-byte characters must be a mismatch, not a RangeError.
  const given = Buffer.from(a);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

const sendJson = (res: http.ServerResponse, status: number, value: unknown) =>
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

/**
 * Where the token swap sends the browser: this server's path and query, never another host. A path that starts
 * with two slashes (`/.//evil.example/` normalizes to `//evil.example/`) or a backslash would be read by the browser
 * as another host: leading slashes and backslashes collapse to one slash.
 */
export function localLocation(url: URL): string {
  return '/' + url.pathname.replace(/^[/\\]+/, '') + url.search;
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_JSON_BYTES) throw new UploadError(413, 'request body too large');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new UploadError(400, 'request body is not JSON');
  }
}

export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const token = randomBytes(32).toString('hex');
  const staticDir = opts.staticDir ?? defaultStaticDir();
  if (!fs.existsSync(staticDir)) throw new Error(`the app is not built (no ${staticDir}); run \`npm run build\``);
  const statics = new StaticFiles(staticDir);
  const uploads = new UploadStore({ maxBytes: opts.maxUploadBytes, tmpRoot: opts.uploadDir });
  /** The job importing a bundle target (its progress goes to the terminal, not to onCaseOpened). */
  let targetJob: string | null = null;
  const progress = opts.onImportProgress ?? ((l: string) => process.stderr.write(l + '\n'));
  let lastLine = '';
  const owner = new CaseOwner({
    staged: uploads,
    runner: opts.runner,
    caseDir: opts.caseDir,
    recentFile: opts.recentFile,
    onJobChange: (s) => {
      if (s.job === targetJob) {
        const line = `importing ${opts.target}: ${s.phase ?? ''}${s.fraction != null && s.state === 'running' ? ` ${Math.round(s.fraction * 100)}%` : ''}${s.error ? ` (${s.error})` : ''}`;
        if (line !== lastLine) progress(line);
        lastLine = line;
        return;
      }
      if (s.state === 'done' && s.case_file && s.case_id) {
        opts.onCaseOpened?.(`opened ${s.case_file} (case ${s.case_id}), imported from a page; listed on the start page`);
      }
    },
    // Queries off this thread, each with a time limit: a crafted case cannot stop the server answering.
    queries: defaultQueryEngine({ timeLimitMs: opts.queryTimeLimitMs, workerPath: opts.workerPath, prestart: 'on-open', firstScreenLane: true, firstScreenHere: true }),
    baselines: () => opts.baselines ?? [],
  });
  let port = 0;
  const hostOk = (h: string | undefined) => h === `127.0.0.1:${port}` || h === `localhost:${port}`;

  const server = http.createServer((req, res) => {
    if (tracing) {
      const what = `${req.method} ${(req.url ?? '').replace(/token=[0-9a-f]+/, 'token=…')}`;
      trace(`http: ${what}`);
      res.once('finish', () => trace(`http: ${what} answered ${res.statusCode}`));
    }
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        if (e instanceof UploadError) sendJson(res, e.status, { ok: false, error: e.message });
        else sendJson(res, 500, { ok: false, error: errorLine(e) });
      } else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostOk(req.headers.host)) return send(res, 403, 'forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    // The first visit carries the token in the URL: set the cookie and drop the token from the address bar.
    const qToken = url.searchParams.get('token');
    if (qToken !== null && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!sameToken(qToken, token)) return send(res, 403, 'forbidden: wrong token');
      url.searchParams.delete('token');
      return send(res, 303, '', 'text/plain; charset=utf-8', {
        'Set-Cookie': `${tokenCookie(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: localLocation(url),
      });
    }
    const given = (req.headers[TOKEN_HEADER] as string | undefined) ?? cookie(req, tokenCookie(port));
    if (!sameToken(given, token)) return send(res, 403, 'forbidden: this server needs the token from its start-up URL');

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'method not allowed', undefined, { Allow: 'POST' });
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
        return send(res, 403, 'forbidden: cross-origin request');
      }
      let route: string[];
      try {
        route = url.pathname.slice('/api/'.length).split('/').map(decodeURIComponent);
      } catch {
        return sendJson(res, 400, { ok: false, error: 'malformed percent-encoding in the method name' });
      }
      // `/api/cases/<id>/<method>`: a case method about that case; `/api/<method>`: a case-less one.
      const caseId = route.length === 3 && route[0] === 'cases' ? route[1]! : null;
      const method = caseId !== null ? route[2]! : route.length === 1 ? route[0]! : '';
      if (method === 'upload') {
        const name = url.searchParams.get('name');
        if (!name) throw new UploadError(400, 'upload needs ?name=<file name>');
        const len = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
        const r = await uploads.receive(req, name, Number.isFinite(len) ? len : null);
        return sendJson(res, 200, { ok: true, value: r });
      }
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        return sendJson(res, 415, { ok: false, error: 'API calls must be application/json' });
      }
      const params = await readJson(req);
      return sendJson(res, 200, await owner.call({ case: caseId, method, params }));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed', undefined, { Allow: 'GET, HEAD' });
    const r = resolveStatic(staticDir, url.pathname);
    if (!r.ok) return send(res, r.status, r.reason);
    const body = statics.get(r.file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': mimeFor(r.file),
      'Content-Length': String(body.length),
      // The build names its scripts and styles by their content (assets/<name>-<hash>.js): a browser keeps them
      // (the next page of any serve run loads at once); the page itself is asked for again each time.
      'Cache-Control': /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(url.pathname) ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  let first: { id: string; case_file: string; summary: Promise<CaseSummary> };
  try {
    // Listening first: the page can load while the case is opened or imported.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    trace('serve: listening');
    server.requestTimeout = 0; // uploads may be long; idle sockets still time out
    server.headersTimeout = 60_000;
    if (isCaseFile(opts.target)) {
      opts.importWorker?.discard();
      first = owner.open(opts.target);
    } else {
      if (!fs.existsSync(opts.target)) throw new Error(`no such file or folder: ${opts.target}`);
      checkInputs([opts.target]); // a FIFO or a device: refused here, not after the URL
      // First screen first: served at once. The case is known by an id from the start (an alias of the case's own
      // id, which comes from the inputs' hashes, computed beside the import: api/import-runner.ts); the page's calls
      // about it wait until its first lines are in, then it shows its log, steps and timeline and fills in as the
      // import goes on. An identical bundle reuses its case. An import that fails is said here (stderr) and in the page.
      const started = owner.startImportAs({
        paths: [path.resolve(opts.target)],
        release: () => {},
        ...(opts.importWorker ? { worker: opts.importWorker } : {}),
      });
      targetJob = started.job;
      first = { id: started.id, case_file: '', summary: owner.summaryOf(started.id)! };
    }
  } catch (e) {
    if (!targetJob) opts.importWorker?.discard();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    owner.dispose();
    uploads.close();
    throw e;
  }
  // A case whose summary cannot be read is still served (its calls say what is wrong); it is named by its file.
  const firstId = first.id;
  const title = first.summary.then(
    (c) => c.title,
    () => path.basename(owner.casePathOf(firstId) ?? opts.target),
  );

  return {
    url: `http://127.0.0.1:${port}/?token=${token}&case=${first.id}`,
    get casePath() {
      return owner.casePathOf(firstId) ?? '';
    },
    caseId: first.id,
    title,
    owner,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      owner.dispose();
      uploads.close();
    },
  };
}
