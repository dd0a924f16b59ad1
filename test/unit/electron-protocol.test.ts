import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppFile } from '../../electron/main/app-protocol';
import { SERVE_CSP as CONTENT_SECURITY_POLICY } from '../../electron/serve/static-files';

let base: string;
let root: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-proto-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  // Secrets beside the served folder, and a symlink pointing at them from inside it.
  fs.writeFileSync(path.join(base, 'secret.txt'), 'do not serve');
  fs.mkdirSync(path.join(base, 'renderer-evil'));
  fs.writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('runlens://app/ path resolution', () => {
  it('serves files under the renderer folder', () => {
    expect(resolveAppFile(root, 'runlens://app/assets/app.js')).toEqual({ ok: true, file: fs.realpathSync(path.join(root, 'assets', 'app.js')) });
    expect(resolveAppFile(root, 'runlens://app/')).toMatchObject({ ok: true, file: fs.realpathSync(path.join(root, 'index.html')) });
    expect(resolveAppFile(root, 'runlens://app/assets/app.js?v=1#x')).toMatchObject({ ok: true });
    // An app route (no extension) falls back to the page; a missing asset does not.
    expect(resolveAppFile(root, 'runlens://app/case/findings')).toMatchObject({ ok: true, file: fs.realpathSync(path.join(root, 'index.html')) });
    expect(resolveAppFile(root, 'runlens://app/assets/missing.js')).toMatchObject({ ok: false, status: 404 });
  });

  it('refuses every way out of the folder', () => {
    const attempts = [
      'runlens://app/../secret.txt',
      'runlens://app/%2e%2e/secret.txt',
      'runlens://app/..%2fsecret.txt',
      'runlens://app/assets/..%2f..%2fsecret.txt',
      'runlens://app/%2e%2e%2fsecret.txt',
      'runlens://app/..%5csecret.txt',
      'runlens://app/assets%5c..%5c..%5csecret.txt',
      'runlens://app/%2fetc%2fpasswd',
      'runlens://app/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      'runlens://app/..%2frenderer-evil%2fx.js',
      'runlens://app/C:%5cWindows%5cwin.ini',
      'runlens://app/index.html%00.js',
      'runlens://app/assets/link.txt',
    ];
    for (const url of attempts) {
      const r = resolveAppFile(root, url);
      expect(r.ok, url).toBe(false);
      if (!r.ok) expect([400, 403, 404], url).toContain(r.status);
      if (r.ok) expect(r.file.startsWith(fs.realpathSync(root) + path.sep), url).toBe(true);
    }
    // The URL parser drops leading dot segments (`/etc/passwd` is left): what it names must be inside the folder.
    const r = resolveAppFile(root, 'runlens://app/../../../../etc/passwd');
    if (r.ok) expect(r.file).toBe(fs.realpathSync(path.join(root, 'index.html')));
    expect(resolveAppFile(root, 'runlens://app/../../secret.txt')).toMatchObject({ ok: false, status: 404 });
  });

  it('refuses other hosts, schemes and bad encodings', () => {
    expect(resolveAppFile(root, 'runlens://evil/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(root, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(root, 'runlens://app:81/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile(root, 'runlens://app/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppFile(root, '::::')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('protocol handler responses', () => {
  it('serves the page with a strict CSP and the right type', async () => {
    const handle = createAppProtocolHandler(root);
    const res = await handle(new Request('runlens://app/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<div id="root">');
    const js = await handle(new Request('runlens://app/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("app")');
  });

  it('answers traversal with 403 and never the file, also carrying the CSP', async () => {
    const handle = createAppProtocolHandler(root);
    const res = await handle(new Request('runlens://app/..%2fsecret.txt'));
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('do not serve');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('accepts only GET and HEAD', async () => {
    const handle = createAppProtocolHandler(root);
    expect((await handle(new Request('runlens://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handle(new Request('runlens://app/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
