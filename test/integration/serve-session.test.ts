/**
 * Issue 11 #8, each reproduced first: the token cookie is tied to the server's port (a second server neither breaks
 * the first one's tabs nor is the first's cookie named like its own); the token swap never redirects off the
 * server (`/.//evil.example/` was an open redirect); a refused concurrent import leaves the user's upload in place.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRunner } from '../../electron/api/imports';
import { startServe, type ServeHandle } from '../../electron/serve/server';
import { makeStoryCase } from '../e2e/support/story-case';

let dir: string;
let staticDir: string;
let a: ServeHandle;
let b: ServeHandle;

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
function request(srv: ServeHandle, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  const u = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: u.port, method, path: p, headers: { Host: u.host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const tokenOf = (srv: ServeHandle) => new URL(srv.url).searchParams.get('token')!;
const portOf = (srv: ServeHandle) => new URL(srv.url).port;

/** What a browser keeps for 127.0.0.1 (cookies are not isolated by port): name -> value, later ones win. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Res): void {
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const gate: { open: () => void } = { open: () => {} };
/** Imports wait at the gate, so a second one is surely concurrent. */
const gatedRunner: ImportRunner = async ({ signal }) => {
  await new Promise<void>((resolve, reject) => {
    gate.open = resolve;
    signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
  });
  throw new Error('this test imports nothing');
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-serve-session-'));
  makeStoryCase(path.join(dir, 'story.runlens'));
  staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(staticDir, { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Runlens test page</title>');
  const common = { target: path.join(dir, 'story.runlens'), port: 0, staticDir, caseDir: path.join(dir, 'cases'), uploadDir: dir };
  a = await startServe({ ...common, runner: gatedRunner });
  b = await startServe(common);
});
afterAll(async () => {
  gate.open();
  await a?.close();
  await b?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('serve session', () => {
  it('ties the token cookie to the port: a second server on the same host does not break the first', async () => {
    const jar = new Jar();
    const first = await request(a, 'GET', `/?token=${tokenOf(a)}`);
    jar.take(first);
    const second = await request(b, 'GET', `/?token=${tokenOf(b)}`);
    jar.take(second);
    expect(String(first.headers['set-cookie'])).toContain(`runlens_token_${portOf(a)}=`);
    expect(String(second.headers['set-cookie'])).toContain(`runlens_token_${portOf(b)}=`);
    // The browser sends both cookies to both servers: each finds its own.
    expect((await request(a, 'GET', '/', { Cookie: jar.header() })).status).toBe(200);
    expect((await request(b, 'GET', '/', { Cookie: jar.header() })).status).toBe(200);
    // One server's cookie is nothing to the other.
    const onlyA = `runlens_token_${portOf(a)}=${tokenOf(a)}`;
    expect((await request(b, 'GET', '/', { Cookie: onlyA })).status).toBe(403);
    expect((await request(b, 'GET', '/', { Cookie: `runlens_token_${portOf(b)}=${tokenOf(a)}` })).status).toBe(403);
  });

  it('never redirects off the server when it swaps the token', async () => {
    for (const p of ['/.//evil.example/', '//evil.example/', '/./\\evil.example/', '/%2F%2Fevil.example/', '/a/..//evil.example/x']) {
      const r = await request(a, 'GET', `${p}?token=${tokenOf(a)}&case=${a.caseId}`);
      if (r.status !== 303) {
        expect([400, 403, 404], p).toContain(r.status);
        continue;
      }
      const loc = String(r.headers.location);
      expect(loc, p).toMatch(/^\/(?![/\\])/);
      const resolved = new URL(loc, `http://127.0.0.1:${portOf(a)}/`);
      expect(resolved.origin, p).toBe(`http://127.0.0.1:${portOf(a)}`);
      expect(resolved.searchParams.get('token'), p).toBeNull();
    }
    const plain = await request(a, 'GET', `/?token=${tokenOf(a)}&case=${a.caseId}`);
    expect(plain.headers.location).toBe(`/?case=${a.caseId}`);
  });

  it('keeps the upload of an import refused because another one runs', async () => {
    const auth = { 'X-Runlens-Token': tokenOf(a) };
    const up = async (name: string) =>
      JSON.parse((await request(a, 'POST', `/api/upload?name=${name}`, { ...auth, 'Content-Type': 'application/octet-stream' }, '{}\n')).body).value
        .upload_id as string;
    const call = async (method: string, params: unknown) =>
      JSON.parse((await request(a, 'POST', `/api/${method}`, { ...auth, 'Content-Type': 'application/json' }, JSON.stringify(params))).body);
    const first = await up('one.jsonl');
    const second = await up('two.jsonl');
    const uploadDirs = () => fs.readdirSync(dir).filter((n) => n.startsWith('runlens-upload-'));
    expect(uploadDirs()).toHaveLength(2);
    const started = await call('import.start', { uploads: [first] });
    expect(started.ok).toBe(true);
    const refused = await call('import.start', { uploads: [second] });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/already running/) });
    // The refused upload is still there and still importable by its id.
    expect(uploadDirs()).toHaveLength(2);
    gate.open();
    for (let s = await call('import.status', { job: started.value.job }); s.value.state === 'running'; s = await call('import.status', { job: started.value.job })) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(uploadDirs()).toHaveLength(1);
    const again = await call('import.start', { uploads: [second] });
    expect(again.ok).toBe(true);
  });
});
