/**
 * `startServe` over real HTTP on 127.0.0.1 with a real case file: token handling (query -> HttpOnly cookie, header,
 * 403 without), Host and Origin checks, static files (MIME, CSP, traversal), API envelopes, uploads streamed to
 * temporary files that are removed again.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../electron/serve/server';
import { makeStoryCase, STORY } from '../e2e/support/story-case';

let dir: string;
let staticDir: string;
let tmpRoot: string;
let srv: ServeHandle;
let base: string;
let token: string;

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP (fetch cannot set Host): every header is ours to choose. */
function request(
  method: string,
  p: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Res> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: u.port, method, path: p, headers: { Host: u.host, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
const authed = (extra: Record<string, string> = {}) => ({ 'X-Runlens-Token': token, ...extra });
const CASE_LESS = new Set(['cases.list', 'cases.open', 'import.start', 'import.status', 'import.cancel']);
/** A call as the page makes it: a case method names the server's first case (or `caseId`), a case-less one none. */
const apiCall = (method: string, params: unknown, headers: Record<string, string> = authed(), caseId = srv.caseId) =>
  request('POST', CASE_LESS.has(method) ? `/api/${method}` : `/api/cases/${caseId}/${method}`, {
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });
const uploadDirs = () =>
  fs.readdirSync(tmpRoot).filter((n) => n.startsWith('runlens-upload-') || n.startsWith('runlens-bundle-'));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-serve-'));
  makeStoryCase(path.join(dir, 'story.runlens'));
  staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Runlens test page</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-B5dUQqv7.js'), 'console.log(2)'); // named by its content
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
  tmpRoot = path.join(dir, 'tmp');
  fs.mkdirSync(tmpRoot);
  srv = await startServe({
    target: path.join(dir, 'story.runlens'),
    port: 0,
    staticDir,
    maxUploadBytes: 1024 * 1024,
    uploadDir: tmpRoot,
    caseDir: path.join(dir, 'cases'),
  });
  base = srv.url;
  token = new URL(srv.url).searchParams.get('token')!;
});
afterAll(async () => {
  await srv?.close();
  expect(uploadDirs()).toEqual([]); // closing removes uploads never imported
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runlens serve', () => {
  it('listens on 127.0.0.1 with a 32-byte hex token in the URL', () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}&case=[0-9a-f]{24}$/);
  });

  it('swaps the URL token for an HttpOnly SameSite=Strict cookie and refuses requests without it', async () => {
    const first = await request('GET', `/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/runlens_token_\d+=[0-9a-f]{64}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request('GET', '/', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Runlens test page');

    expect((await request('GET', '/')).status).toBe(403);
    expect((await request('GET', `/?token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await request('GET', '/', { headers: { Cookie: `runlens_token_${new URL(base).port}=${'a'.repeat(64)}` } })).status).toBe(403);
    expect((await apiCall('case.info', {}, {})).status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-origin API call', async () => {
    expect((await request('GET', '/', { headers: { ...authed(), Host: 'attacker.example' } })).status).toBe(403);
    expect((await apiCall('case.info', {}, authed({ Origin: 'http://attacker.example' }))).status).toBe(403);
    expect((await apiCall('case.info', {}, authed({ Origin: base.replace(/\/\?.*$/, '') }))).status).toBe(200);
  });

  it('serves static files with their MIME type and the strict CSP, and nothing outside the app', async () => {
    const js = await request('GET', '/assets/app.js', { headers: authed() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const csp = String(js.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    // Kept by the browser only when named by its content (the build's assets); the page and anything else: asked again.
    expect(js.headers['cache-control']).toBe('no-cache');
    expect((await request('GET', '/assets/index-B5dUQqv7.js', { headers: authed() })).headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect((await request('GET', '/', { headers: authed() })).headers['cache-control']).toBe('no-cache');
    expect((await request('GET', '/assets/app.css', { headers: authed() })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    for (const p of [
      '/../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/link.txt',
      '/assets\\..\\..\\secret.txt',
      '/a%00b',
    ]) {
      const r = await request('GET', p, { headers: authed() });
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body).not.toContain('TOP-SECRET-CONTENT');
    }
    // An app route without an extension is the app.
    expect((await request('GET', '/investigate', { headers: authed() })).body).toContain('Runlens test page');
    expect((await request('POST', '/', { headers: authed() })).status).toBe(405);
  });

  it('answers the API contract with envelopes, one-line errors, and refuses non-JSON bodies', async () => {
    const r = await apiCall('network.query', { filter: { findingsOnly: true } });
    expect(r.status).toBe(200);
    const env = JSON.parse(r.body);
    expect(env.ok).toBe(true);
    expect(env.value.rows.map((x: { id: number }) => x.id)).toEqual([STORY.findingCallId, STORY.beaconCallId]);
    const bad = JSON.parse((await apiCall('network.query', { limit: -3 })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^bad params for network\.query: limit/);
    const broken = await request('POST', `/api/cases/${srv.caseId}/case.info`, {
      headers: authed({ 'Content-Type': 'application/json' }),
      body: '{"oops',
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ ok: false, error: 'request body is not JSON' });
    const form = await request('POST', `/api/cases/${srv.caseId}/case.info`, {
      headers: authed({ 'Content-Type': 'text/plain' }),
      body: '{}',
    });
    expect(form.status).toBe(415);
    expect((await request('GET', `/api/cases/${srv.caseId}/case.info`, { headers: authed() })).status).toBe(405);
    // Every case call names its case; a case-less route for a case method, or an unknown case, is refused.
    expect(JSON.parse((await request('POST', '/api/case.info', { headers: authed({ 'Content-Type': 'application/json' }), body: '{}' })).body).error).toMatch(
      /needs the case/,
    );
    expect(JSON.parse((await apiCall('case.info', {}, authed(), 'f'.repeat(24))).body).error).toMatch(/no such case/);
    expect(JSON.parse((await apiCall('case.info', {}, authed(), encodeURIComponent('../../etc/passwd'))).body).error).toMatch(/needs the case/);
    expect(JSON.parse((await request('POST', `/api/cases/${srv.caseId}/cases.list`, { headers: authed({ 'Content-Type': 'application/json' }), body: '{}' })).body).error).toMatch(
      /not about one case/,
    );
  });

  it('streams uploads to temporary files, caps their size, and removes them when an import ends', async () => {
    const up = await request('POST', '/api/upload?name=' + encodeURIComponent('../../etc/network.jsonl'), {
      headers: authed({ 'Content-Type': 'application/octet-stream' }),
      body: '{"ts":"2026-10-14T09:00:00Z","domain":"a.example","port":443}\n',
    });
    expect(up.status).toBe(200);
    const { upload_id } = JSON.parse(up.body).value;
    expect(upload_id).toMatch(/^[0-9a-f]{32}$/);
    // Stored under its base name only, inside a fresh folder of the upload dir.
    expect(uploadDirs()).toHaveLength(1);
    expect(fs.readdirSync(path.join(tmpRoot, uploadDirs()[0]!))).toEqual(['network.jsonl']);
    const tooBig = await request('POST', '/api/upload?name=big.bin', {
      headers: authed({ 'Content-Type': 'application/octet-stream' }),
      body: Buffer.alloc(2 * 1024 * 1024, 1),
    });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).error).toMatch(/too large/);
    const noName = await request('POST', '/api/upload', { headers: authed(), body: 'x' });
    expect(noName.status).toBe(400);
    // Local paths are never accepted over HTTP; unknown upload ids are refused.
    expect(JSON.parse((await apiCall('import.start', { paths: ['/etc'] })).body).error).toMatch(/Unrecognized key: "paths"/);
    expect(JSON.parse((await apiCall('import.start', { uploads: ['f'.repeat(32)] })).body).error).toMatch(
      /unknown or expired upload/,
    );
    expect(uploadDirs()).toHaveLength(1); // the one good upload, still waiting for its import
  });

  it('imports uploaded bundle files into a new case beside the first (which stays as it was) and removes the uploads', async () => {
    const sample = path.join(__dirname, '..', '..', 'resources', 'sample-bundle');
    const ids: string[] = [];
    for (const name of ['manifest.json', 'network.jsonl']) {
      const r = await request('POST', `/api/upload?name=${encodeURIComponent('sample-bundle/' + name)}`, {
        headers: authed({ 'Content-Type': 'application/octet-stream' }),
        body: fs.readFileSync(path.join(sample, name)),
      });
      ids.push(JSON.parse(r.body).value.upload_id);
    }
    const before = JSON.parse((await apiCall('case.info', {})).body).value;
    const start = JSON.parse((await apiCall('import.start', { uploads: ids })).body);
    expect(start.ok).toBe(true);
    let status: { state: string; case_file: string | null; case_id: string | null; error: string | null } = {
      state: 'running',
      case_file: null,
      case_id: null,
      error: null,
    };
    for (let i = 0; i < 300 && status.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = JSON.parse((await apiCall('import.status', { job: start.value.job })).body).value;
    }
    expect(status.error).toBeNull();
    expect(status.state).toBe('done');
    expect(status.case_file).toMatch(/\.runlens$/);
    expect(status.case_id).toMatch(/^[0-9a-f]{24}$/);
    expect(status.case_id).not.toBe(srv.caseId);
    // The first case answers as before: an import opens a case, it switches nothing.
    expect(JSON.parse((await apiCall('case.info', {})).body).value).toEqual(before);
    const listed = JSON.parse((await apiCall('cases.list', {})).body).value.cases as { id: string; open: boolean }[];
    expect(listed.map((c) => c.id).sort()).toEqual([srv.caseId, status.case_id].sort());
    const calls = fs
      .readFileSync(path.join(sample, 'network.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length;
    const q = JSON.parse((await apiCall('network.query', { limit: 1 }, authed(), status.case_id!)).body);
    expect(q.value.total).toBe(calls);
    // The imported uploads and their bundle folder are gone; only the earlier, never-imported upload is left.
    expect(uploadDirs()).toHaveLength(1);
    expect(JSON.parse((await apiCall('import.start', { uploads: ids })).body).error).toMatch(
      /unknown or expired upload/,
    );
  });
});
