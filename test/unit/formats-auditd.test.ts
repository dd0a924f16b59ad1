import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditdImporter, decodeSockaddr } from '../../electron/import/formats/auditd';
import { formatNanos } from '../../shared/time';
import { runImport } from '../../electron/import/run-import';
import { fixture, inputFromBytes, inputFromPath, runImporter, type Collected } from './formats-harness';

const strip = (o: Collected) =>
  [...o.proc, ...o.net, ...o.files].map((r) => {
    const { raw: _raw, line: _line, ...rest } = r as unknown as Record<string, unknown>;
    return rest;
  });

describe('auditd importer', () => {
  it('normal.log: execs of grep and cat, connect to 169.254.169.254:80, unix connect of postfix', async () => {
    const f = fixture('auditd', 'go-libaudit_testdata_normal.log');
    expect(auditdImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(auditdImporter, f);
    expect(out.proc.map((p) => [p.pid, p.ppid, p.exe, p.args, p.cwd, p.uid])).toEqual([
      [13393, 12041, '/usr/bin/grep', ['grep', '--color=auto', 'mapping'], '/home/andrew_kroh', 1000],
      [13392, 12041, '/usr/bin/cat', ['cat', 'securitybeat'], '/home/andrew_kroh', 1000],
    ]);
    expect(formatNanos(out.proc[0]!.ts)).toBe('2017-04-12T22:48:11.036000000Z');
    // connect(2) with EINPROGRESS by a python process whose exe was hex-encoded
    expect(out.net).toEqual([
      expect.objectContaining({ pid: 1172, ip: '169.254.169.254', port: 80, status: 'allowed', process: 'google_accounts', exe: '/usr/bin/python2.7;58d1ccfb (deleted)', line: 1 }),
    ]);
    expect(out.files).toEqual([expect.objectContaining({ pid: 1229, op: 'connect-unix', path: 'public/pickup', exe: '/usr/libexec/postfix/master' })]);
    expect(out.warnings).toEqual([]);
  });

  it('out_of_order.log gives the same records as normal.log', async () => {
    const a = await runImporter(auditdImporter, fixture('auditd', 'go-libaudit_testdata_normal.log'));
    const b = await runImporter(auditdImporter, fixture('auditd', 'go-libaudit_testdata_out_of_order.log'));
    expect(strip(b)).toEqual(strip(a));
    expect(strip(a)).toHaveLength(4);
  });

  it('ENRICHED format with node=, EOE, hex arguments, IPv6 failure and a bad line', async () => {
    const out = await runImporter(auditdImporter, fixture('auditd', 'enriched.log'));
    expect(out.proc).toEqual([
      expect.objectContaining({
        pid: 2460, ppid: 2300, exe: '/usr/bin/curl', uid: 1001, cwd: '/home/runner/work/app/app', ts: 1781685644001000000n,
        args: ['curl', '-sS', '-H', 'Authorization: Bearer x', 'https://registry.example.com/v1'],
      }),
    ]);
    expect(out.net.map((n) => [n.ip, n.port, n.status, n.policy])).toEqual([
      ['203.0.113.10', 443, 'allowed', null],
      ['2001:db8::10', 443, 'failed', { reason: 'connect: ECONNREFUSED (-111)' }],
    ]);
    expect(out.files).toEqual([expect.objectContaining({ path: '/var/run/docker.sock', op: 'connect-unix', pid: 900 })]);
    expect(out.warnings).toEqual([{ line: 14, message: expect.stringContaining('not an audit record') }]);
  });

  it('decodes sockaddr families', () => {
    expect(decodeSockaddr('02000050A9FEA9FE0000000000000000')).toEqual({ family: 'inet', ip: '169.254.169.254', port: 80 });
    expect(decodeSockaddr('0A0001BB0000000020010DB800000000000000000000001000000000')).toEqual({ family: 'inet6', ip: '2001:db8::10', port: 443 });
    expect(decodeSockaddr('0100002F746D7000')).toEqual({ family: 'unix', path: '@/tmp' });
    expect(decodeSockaddr('zz')).toBeNull();
  });

  it('a file of garbage is refused with a clear error', async () => {
    await expect(runImporter(auditdImporter, { name: 'x.log', data: 'hello\nworld\n' })).rejects.toThrow(/no audit records/);
  });
});

describe('auditd with a head of comments and blank lines', () => {
  it('is recognised beyond the first 20 non-blank lines and reads the same events', async () => {
    const normal = fs.readFileSync(fixture('auditd', 'go-libaudit_testdata_normal.log'), 'utf8');
    const head = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? '' : `# audit log exported from host ci-${i}.example`)).join('\n');
    const data = head + '\n\n' + normal;
    expect(auditdImporter.sniff(inputFromBytes('audit.log', data))).toBeGreaterThanOrEqual(0.9);
    const plain = await runImporter(auditdImporter, fixture('auditd', 'go-libaudit_testdata_normal.log'));
    const withHead = await runImporter(auditdImporter, { name: 'audit.log', data });
    const shift = data.split('\n').length - normal.split('\n').length;
    expect(withHead.proc.map((p) => [p.pid, p.exe, p.line! - shift])).toEqual(plain.proc.map((p) => [p.pid, p.exe, p.line]));
    expect(withHead.net.map((n) => [n.ip, n.port])).toEqual(plain.net.map((n) => [n.ip, n.port]));
    expect(withHead.warnings).toEqual(plain.warnings);
  });
});

describe('auditd fork/clone records', () => {
  it('link a child to its parent (threads left out); the child’s later exec takes over', async () => {
    const rec = (serial: number, sc: string, extra = '') =>
      `type=SYSCALL msg=audit(1781685600.${String(serial).padStart(3, '0')}:${serial}): arch=c000003e ${sc} ppid=1 pid=2300 auid=1001 uid=1001 comm="bash" exe="/usr/bin/bash"${extra}\ntype=EOE msg=audit(1781685600.${String(serial).padStart(3, '0')}:${serial}):`;
    const data = [
      rec(1, 'syscall=56 success=yes exit=2460 a0=1200011'), // clone, a child process
      rec(2, 'syscall=56 success=yes exit=2461 a0=3d0f00'), // clone with CLONE_THREAD: a thread
      rec(3, 'syscall=57 success=yes exit=2462 a0=0'), // fork
      rec(4, 'syscall=58 success=no exit=-11 a0=0'), // failed vfork
    ].join('\n') + '\n';
    const out = await runImporter(auditdImporter, { name: 'audit.log', data });
    expect(out.proc.map((p) => [p.event, p.pid, p.ppid, p.exe])).toEqual([
      ['exec', 2460, 2300, '/usr/bin/bash'],
      ['exec', 2462, 2300, '/usr/bin/bash'],
    ]);
  });

  it('clone3 (flags in a struct the record does not show): a child only when a record names it as a process', async () => {
    const rec = (serial: number, sc: string, pid = 2300, ppid = 1) =>
      `type=SYSCALL msg=audit(1781685600.${String(serial).padStart(3, '0')}:${serial}): arch=c000003e ${sc} ppid=${ppid} pid=${pid} auid=1001 uid=1001 comm="node" exe="/usr/bin/node"\ntype=EOE msg=audit(1781685600.${String(serial).padStart(3, '0')}:${serial}):`;
    const data = [
      rec(1, 'syscall=435 success=yes exit=2470 a0=7ffd5c1b2a40 a1=58'), // clone3: pthread_create (a thread)
      rec(2, 'syscall=435 success=yes exit=2471 a0=7ffd5c1b2a40 a1=58'), // clone3: posix_spawn (a process)
      // the thread's own calls are recorded under the thread group's pid (2300); the process's under its own
      rec(3, 'syscall=42 success=yes exit=0 a0=3', 2300),
      rec(4, 'syscall=42 success=no exit=-2 a0=3', 2471, 2300),
    ].join('\n') + '\n';
    const out = await runImporter(auditdImporter, { name: 'audit.log', data });
    expect(out.proc.map((p) => [p.event, p.pid, p.ppid, p.exe, p.line])).toEqual([['exec', 2471, 2300, '/usr/bin/node', 3]]);
    // no silent loss: the thread's clone3 (its SYSCALL and EOE lines) is skipped with the reason; the rest stored
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-auditd-clone3-'));
    try {
      fs.writeFileSync(path.join(dir, 'audit.log'), data);
      const summary = await runImport({ inputs: [path.join(dir, 'audit.log')], casePath: path.join(dir, 'c.runlens') });
      const f = summary.files![0]!;
      // stored: the process's clone3 (SYSCALL + EOE); the two connects without a SOCKADDR are not used
      expect([f.lines, f.lines_stored, f.lines_skipped]).toEqual([8, 2, 6]);
      expect(f.skipped['clone3 child never seen as a process (a thread, or no audited call of its own)']).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
