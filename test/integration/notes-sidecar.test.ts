/**
 * Notes, verdicts and the action log through the API (createApi, as serve and the desktop app use it): kept in
 * the sidecar beside the case, the case file byte for byte unchanged (and read-only on disk here), and still there
 * after the API is closed and opened again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteOut, Result } from '../../shared/api';
import { createApi, type Api } from '../../electron/api/dispatch';
import { runImport } from '../../electron/import/run-import';
import { closeSidecars, sidecarPath } from '../../electron/notes/sidecar';

const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;
let kase: string;
const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

async function call<T>(api: Api, method: string, params: unknown): Promise<T> {
  const env = await api.call(method, params);
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-notes-'));
  kase = path.join(dir, 'sample.runlens');
  await runImport({ inputs: [path.join(ROOT, 'resources', 'sample-bundle')], casePath: kase });
  fs.chmodSync(kase, 0o444);
});
afterAll(() => {
  closeSidecars();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('notes in the sidecar', () => {
  it('add, change, delete; the action log; the case is never written; a restart keeps them', async () => {
    const before = sha(kase);
    const api = createApi(kase);
    const call1 = (await call<Result<'network.query'>>(api, 'network.query', { filter: { findingsOnly: true } })).rows[0]!;
    const a = await call<NoteOut>(api, 'notes.add', { target: { kind: 'call', id: call1.id }, verdict: 'malicious', text: 'exfil of .git/config' });
    expect(a).toMatchObject({ target: { kind: 'call', id: call1.id }, verdict: 'malicious', label: expect.stringContaining('telemetry.exfil.example') });
    await call(api, 'notes.add', { target: { kind: 'range', start: '2026-10-14T09:12:20Z', end: '2026-10-14T09:12:25Z' }, text: 'postinstall window' });
    const c = await call<NoteOut>(api, 'notes.add', { target: { kind: 'step', id: 1 }, verdict: 'benign' });
    await call(api, 'notes.update', { id: c.id, verdict: 'needs-review' });
    await call(api, 'notes.delete', { id: c.id });
    await call(api, 'actions.record', { action: 'reveal-secrets', detail: { where: 'test' } });
    // A target the case does not hold is refused.
    const bad = await api.call('notes.add', { target: { kind: 'process', id: 999999 }, text: 'x' });
    expect(bad).toMatchObject({ ok: false, error: 'no process with id 999999 in this case' });
    api.close();
    closeSidecars();

    expect(sha(kase)).toBe(before);
    expect(fs.existsSync(sidecarPath(kase))).toBe(true);
    const again = createApi(kase);
    const { notes } = await call<Result<'notes.list'>>(again, 'notes.list', {});
    expect(notes.map((n) => [n.target.kind, n.verdict, n.text])).toEqual([
      ['call', 'malicious', 'exfil of .git/config'],
      ['range', null, 'postinstall window'],
    ]);
    expect(notes[1]!.target).toEqual({ kind: 'range', start: '2026-10-14T09:12:20.000000000Z', end: '2026-10-14T09:12:25.000000000Z' });
    const { actions } = await call<Result<'actions.list'>>(again, 'actions.list', {});
    expect(actions.map((x) => x.action).reverse()).toEqual(['note-added', 'note-added', 'note-added', 'note-changed', 'note-deleted', 'reveal-secrets']);
    expect(actions.every((x) => /^\d{4}-\d\d-\d\dT/.test(x.at))).toBe(true);
    again.close();
    expect(sha(kase)).toBe(before);
  });

  it('secrets: masked in API answers by default; revealed for the case on request, which the action log records', async () => {
    const bundle = path.join(dir, 'bundle');
    fs.cpSync(path.join(ROOT, 'resources', 'sample-bundle'), bundle, { recursive: true });
    const token = `ghp_${'Qw7'.repeat(12)}`;
    // The same line in the step's file and in the job's log (the import keeps one of the two).
    for (const f of [path.join('test', '5_Run npm test.txt'), '1_test.txt']) {
      fs.appendFileSync(path.join(bundle, 'logs', f), `2026-10-14T09:13:00.0000000Z GH_TOKEN=${token}\n`);
    }
    const k2 = path.join(dir, 'secret.runlens');
    await runImport({ inputs: [bundle], casePath: k2 });
    const api = createApi(k2);
    const { index } = await call<Result<'log.search'>>(api, 'log.search', { query: 'GH_TOKEN', from: -1, direction: 'next' });
    const line = async () => (await call<Result<'log.window'>>(api, 'log.window', { offset: index, limit: 1 })).rows[0]!.raw;
    expect(await line()).toContain('GH_TOKEN=ghp_…[masked github-token]');
    expect(await call(api, 'secrets.reveal', { reveal: true })).toEqual({ revealed: true });
    expect(await line()).toContain(token);
    await call(api, 'secrets.reveal', { reveal: false });
    expect(await line()).not.toContain(token);
    const { actions } = await call<Result<'actions.list'>>(api, 'actions.list', {});
    expect(actions.map((a) => a.action).reverse()).toEqual(['reveal-secrets', 'hide-secrets']);
    const exported = await call<Result<'report.export'>>(api, 'report.export', { format: 'md' });
    expect(exported.filename).toBe('secret-report.md');
    expect(exported.content).toContain('[masked github-token]');
    expect(exported.content).not.toContain(token);
    api.close();
  });
});
