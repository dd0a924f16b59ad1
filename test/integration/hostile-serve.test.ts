/**
 * Hostile requests against a real `runlens serve` (real HTTP on 127.0.0.1, a real case file): a token of the right
 * length in multi-byte characters, an upload name longer than a file system allows, a malformed method name. Each
 * must get a 4xx answer and leave the server running.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../electron/serve/server';
import { makeStoryCase } from '../e2e/support/story-case';

let dir: string;
let tmpRoot: string;
let srv: ServeHandle;
let port: string;
let token: string;

function request(method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const alive = async () => (await request('POST', `/api/cases/${srv.caseId}/case.info`, { 'X-Runlens-Token': token, 'Content-Type': 'application/json' }, '{}')).status;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-hostile-serve-'));
  makeStoryCase(path.join(dir, 'story.runlens'));
  const staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  tmpRoot = path.join(dir, 'tmp');
  fs.mkdirSync(tmpRoot);
  srv = await startServe({ target: path.join(dir, 'story.runlens'), port: 0, staticDir, uploadDir: tmpRoot, caseDir: path.join(dir, 'cases') });
  const u = new URL(srv.url);
  port = u.port;
  token = u.searchParams.get('token')!;
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('serve under hostile requests', () => {
  it('a token of the right length in multi-byte characters is a 403, not a 500', async () => {
    const wide = 'a'.repeat(63) + 'é'; // 64 characters, 65 bytes
    expect((await request('GET', '/?token=' + encodeURIComponent(wide))).status).toBe(403);
    expect((await request('GET', '/', { Cookie: `runlens_token=${encodeURIComponent(wide).replace(/%C3%A9/, '\u00e9')}` })).status).toBe(403);
    expect((await request('GET', '/', { 'X-Runlens-Token': 'a'.repeat(63) + '\u00e9' })).status).toBe(403);
    expect(await alive()).toBe(200);
  });

  it('an upload name longer than the file system allows is a 400 and the server keeps running', async () => {
    const name = '\u20ac'.repeat(190) + '.jsonl'; // under 200 characters, 576 bytes
    const r = await request('POST', '/api/upload?name=' + encodeURIComponent(name), { 'X-Runlens-Token': token, 'Content-Type': 'application/octet-stream' }, 'x\n');
    expect(r.status).toBeLessThan(500);
    await new Promise((res) => setTimeout(res, 100));
    expect(await alive()).toBe(200);
    if (r.status === 200) {
      const id = JSON.parse(r.body).value.upload_id as string;
      expect(id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('a malformed percent-encoded method name is a 4xx', async () => {
    const r = await request('POST', '/api/%E0%A4', { 'X-Runlens-Token': token, 'Content-Type': 'application/json' }, '{}');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});
