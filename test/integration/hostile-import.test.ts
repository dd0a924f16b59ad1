/**
 * Hostile values inside bundle records, imported for real (runImport -> a real SQLite case file): times beyond the
 * 64-bit nanosecond range (year 0000, 9999), integers that are not safe (pid 1e300, 2^53+1), `__proto__` keys,
 * huge args arrays, deeply nested JSON. Each bad record is one warning naming file and line; every other record of
 * the file still loads, and the evidence is unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { sha256File, tempDir } from './import-helpers';

let dir: string;
let summary: ImportSummary;
let db: Database.Database;
let before: string;

const GOOD = (domain: string) => JSON.stringify({ ts: '2026-10-14T09:12:15Z', pid: 300, domain, ip: '192.0.2.1', port: 443 });
const lines = [
  JSON.stringify({ ts: '0000-01-01T00:00:00Z', pid: 300, domain: 'year0.example', ip: '192.0.2.1', port: 443 }), // 1
  GOOD('after-year0.example'), // 2
  JSON.stringify({ ts: '9999-12-31T23:59:59.999999999Z', pid: 300, domain: 'year9999.example', ip: '192.0.2.1', port: 443 }), // 3
  GOOD('after-year9999.example'), // 4
  '{"ts":"2026-10-14T09:12:15Z","pid":1e300,"domain":"bigpid.example","ip":"192.0.2.1","port":443}', // 5
  '{"ts":"2026-10-14T09:12:15Z","pid":9007199254740993,"domain":"unsafe.example","ip":"192.0.2.1","port":443}', // 6
  '{"ts":"2026-10-14T09:12:15Z","pid":300,"domain":"proto.example","ip":"192.0.2.1","port":443,"__proto__":{"status":"blocked"},"http":{"__proto__":{"method":"X"}}}', // 7
  '['.repeat(100000) + ']'.repeat(100000), // 8
  GOOD('last.example'), // 9
];

beforeAll(async () => {
  dir = tempDir('rl-hostile-import-');
  const b = path.join(dir, 'bundle');
  fs.mkdirSync(b);
  fs.writeFileSync(path.join(b, 'network.jsonl'), lines.join('\n') + '\n');
  fs.writeFileSync(
    path.join(b, 'processes.jsonl'),
    [
      JSON.stringify({ ts: '2026-10-14T09:12:14Z', event: 'exec', pid: 300, ppid: 1, exe: '/bin/sh', args: Array(200000).fill('sh') }),
      JSON.stringify({ ts: '2026-10-14T09:12:14Z', event: 'exec', pid: 1e20, ppid: 1, exe: '/bin/big', args: ['big'] }),
      JSON.stringify({ ts: '1000-01-01T00:00:00Z', event: 'exec', pid: 301, ppid: 1, exe: '/bin/old', args: ['old'] }),
      JSON.stringify({ ts: '2026-10-14T09:12:16Z', event: 'exec', pid: 302, ppid: 300, exe: '/bin/ok', args: ['ok'] }),
    ].join('\n') + '\n',
  );
  before = sha256File(path.join(b, 'network.jsonl'));
  summary = await runImport({ inputs: [b], casePath: path.join(dir, 'case.runlens') });
  db = new Database(path.join(dir, 'case.runlens'), { readonly: true });
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const warningsFor = (file: string) => summary.warnings.filter((w) => (w.file ?? '').endsWith(file));

describe('hostile values in records', () => {
  it('a time beyond the 64-bit range skips that record only; the rest of the file loads', () => {
    const domains = (db.prepare('SELECT domain FROM network ORDER BY id').pluck().all() as string[]);
    expect(domains).toEqual(expect.arrayContaining(['after-year0.example', 'after-year9999.example', 'proto.example', 'last.example']));
    expect(domains).not.toContain('year0.example');
    expect(domains).not.toContain('year9999.example');
    const w = warningsFor('network.jsonl');
    expect(w.find((x) => x.line === 1)?.message).toMatch(/out of range|too big/);
    expect(w.find((x) => x.line === 3)?.message).toMatch(/out of range|too big/);
    expect(w.some((x) => x.line === null && /rest of the file/.test(x.message))).toBe(false);
  });

  it('integers that are not safe are refused with a warning, never stored as REAL', () => {
    const pids = db.prepare("SELECT domain, pid, typeof(pid) AS t FROM network WHERE domain IN ('bigpid.example','unsafe.example')").all();
    expect(pids).toEqual([]);
    const w = warningsFor('network.jsonl');
    expect(w.find((x) => x.line === 5)?.message).toMatch(/pid/);
    expect(w.find((x) => x.line === 6)?.message).toMatch(/pid/);
    expect(db.prepare("SELECT count(*) FROM network WHERE typeof(pid) = 'real' OR typeof(port) = 'real'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM process_events WHERE typeof(pid) = 'real'").pluck().get()).toBe(0);
  });

  it('__proto__ keys change nothing; deep nesting is a warning for its line', () => {
    const row = db.prepare("SELECT status, http_method FROM network WHERE domain = 'proto.example'").get();
    expect(row).toEqual({ status: 'allowed', http_method: null });
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(warningsFor('network.jsonl').some((x) => x.line === 8)).toBe(true);
  });

  it('processes: a huge args array loads; unsafe pid and out-of-range time skip only their record', () => {
    const exes = db.prepare('SELECT exe FROM process_events ORDER BY id').pluck().all();
    expect(exes).toEqual(['/bin/sh', '/bin/ok']);
    const w = warningsFor('processes.jsonl');
    expect(w.find((x) => x.line === 2)?.message).toMatch(/pid/);
    expect(w.find((x) => x.line === 3)?.message).toMatch(/out of range|too big/);
  });

  it('the evidence is unchanged', () => {
    expect(sha256File(path.join(dir, 'bundle', 'network.jsonl'))).toBe(before);
  });
});

describe('deeply nested JSON in manifest.json', () => {
  it('a run or producer nested a million levels deep is a warning; the import completes with the rest', async () => {
    const d = tempDir('rl-hostile-manifest-');
    try {
      const b = path.join(d, 'bundle');
      fs.mkdirSync(b);
      const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
      fs.writeFileSync(
        path.join(b, 'manifest.json'),
        `{"format":"ci-run-bundle","version":1,"producer":{"name":"p","x":${deep}},"run":{"repository":"acme/web","job":"test","x":${deep}},` +
          `"policy":{"egress_policy":"audit","allowed_endpoints":["github.com:443"],"x":${deep}},"steps":[{"number":1,"name":"Build","x":${deep}}]}`,
      );
      fs.writeFileSync(path.join(b, 'network.jsonl'), GOOD('ok.example') + '\n');
      const s = await runImport({ inputs: [b], casePath: path.join(d, 'case.runlens') });
      expect(s.counts.network).toBe(1);
      expect(s.counts.steps).toBe(1);
      const m = s.warnings.filter((w) => (w.file ?? '').endsWith('manifest.json'));
      expect(m.some((w) => /run: .*nested too deeply/.test(w.message))).toBe(true);
      const c = new Database(path.join(d, 'case.runlens'), { readonly: true });
      try {
        const run = JSON.parse(c.prepare("SELECT value FROM meta WHERE key = 'run'").pluck().get() as string);
        expect(run).toMatchObject({ repository: 'acme/web', job: 'test' });
        expect(run.x).toBeUndefined();
      } finally {
        c.close();
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
