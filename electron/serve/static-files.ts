/**
 * Static files of the built renderer for `runlens serve`: path-traversal safe (decoded `..`, backslashes, NUL and
 * symlinks leading out are refused), GET/HEAD only, a MIME type per extension, and the strict CSP on every answer.
 */
import fs from 'node:fs';
import path from 'node:path';

/** No remote origins, no inline scripts (nor inline styles: React sets styles through the CSSOM, which CSP allows). */
export const SERVE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': SERVE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const mimeFor = (file: string) => MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export type StaticResult = { ok: true; file: string } | { ok: false; status: number; reason: string };

/** The file under `root` that a URL path names; `/` and extension-less app routes are index.html. */
export function resolveStatic(root: string, urlPath: string): StaticResult {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (rel.includes('\0') || rel.includes('\\') || /(^|\/)\.\.?(\/|$)/.test(rel) || !rel.startsWith('/')) {
    return { ok: false, status: 403, reason: 'path outside the app' };
  }
  const realRoot = fs.realpathSync(root);
  let file = path.resolve(realRoot, '.' + (rel === '/' ? '/index.html' : rel));
  if (!inside(realRoot, file)) return { ok: false, status: 403, reason: 'path outside the app' };
  let st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st && path.extname(rel) === '') {
    file = path.join(realRoot, 'index.html');
    st = fs.statSync(file, { throwIfNoEntry: false });
  }
  if (!st || !st.isFile()) return { ok: false, status: 404, reason: 'not found' };
  const real = fs.realpathSync(file);
  if (!inside(realRoot, real)) return { ok: false, status: 403, reason: 'path outside the app' };
  return { ok: true, file: real };
}

/**
 * The built renderer's files in memory, each read once and sent in one write (benchmark 7: the page's script, 0.5 MB,
 * streamed from disk in 64 KB reads took several turns of the thread that also answers the page's first calls, and
 * arrived after them). Source maps are not kept (rarely asked: read from disk). A file changed on disk since it was
 * read (a rebuild while serving: same size and modification time or not) is read again.
 */
export class StaticFiles {
  private readonly files = new Map<string, { body: Buffer; size: number; mtimeMs: number }>();

  /** Read the files the page loads first (index.html and everything beside it but source maps). */
  constructor(root: string) {
    const realRoot = fs.realpathSync(root);
    const walk = (dir: string, depth: number) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && depth < 2) walk(p, depth + 1);
        else if (e.isFile() && !e.name.endsWith('.map')) this.read(p);
      }
    };
    walk(realRoot, 0);
  }

  private read(file: string): Buffer {
    const body = fs.readFileSync(file);
    const st = fs.statSync(file);
    // Kept only if unchanged while it was read (a rebuild in between: read from disk each time until it settles).
    if (st.size === body.length) this.files.set(file, { body, size: st.size, mtimeMs: st.mtimeMs });
    return body;
  }

  /** The bytes of a file resolveStatic found (its real path), and its size: from memory while it is unchanged. */
  get(file: string): Buffer {
    const c = this.files.get(file);
    const st = fs.statSync(file);
    if (c && c.size === st.size && c.mtimeMs === st.mtimeMs) return c.body;
    if (file.endsWith('.map')) return fs.readFileSync(file);
    return this.read(file);
  }
}

/** Where the built renderer is: beside dist/electron (bundled) or at the repo's dist/renderer (running from source). */
export function defaultStaticDir(): string {
  const candidates = [path.join(__dirname, '..', 'renderer'), path.join(__dirname, '..', '..', 'dist', 'renderer')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}
