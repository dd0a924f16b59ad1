import { describe, expect, it } from 'vitest';
import { traceeImporter } from '../../electron/import/formats/tracee';
import { parseRfc3339 } from '../../shared/time';
import { fixture, inputFromPath, runImporter } from './formats-harness';

describe('Tracee importer', () => {
  it('legacy shape (the forensics sample): security_file_open -> write, exact ns timestamps', async () => {
    const f = fixture('tracee', 'EXTRACTED_forensics_legacy-trace-event.jsonl');
    expect(traceeImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(traceeImporter, f);
    expect(out.files).toEqual([
      expect.objectContaining({ path: '/tmp/testing.txt', op: 'write', pid: 2578238, line: 1, ts: 1657321167356748797n }),
    ]);
    expect(out.net).toHaveLength(0);
    // clone / close / openat carry nothing this case stores: one summary warning, no per-line noise
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]!.message).toMatch(/openat ×1.*clone ×1.*close ×1/);
  });

  it('legacy shape: exec, connect and DNS events', async () => {
    const base = { threadStartTime: 1, processId: 50, hostProcessId: 4050, hostParentProcessId: 4000, processName: 'curl', userId: 1001, processEntityId: 111, parentEntityId: 100, argsNum: 2 };
    // timestamps are written as exact digits (beyond 2^53: JSON.parse alone would round them)
    const line = (ts: string, rest: object) => JSON.stringify({ ...base, ...rest }).replace(/^\{/, `{"timestamp":${ts},`);
    const exact = [
      line('1781685644001002003', { eventName: 'sched_process_exec', args: [{ name: 'cmdpath', type: 'const char*', value: '/usr/bin/curl' }, { name: 'argv', type: 'const char**', value: ['curl', 'https://registry.example.com/'] }] }),
      line('1781685644100000000', { eventName: 'net_packet_dns_response', args: [{ name: 'dns_response', type: 'trace.DnsResponseData', value: [{ query_data: { query: 'registry.example.com', query_type: 'A', query_class: 'IN' }, dns_answer: [{ answer_type: 'A', ttl: 60, answer: '203.0.113.10' }, { answer_type: 'CNAME', ttl: 60, answer: 'x.example.com' }] }] }] }),
      line('1781685644310000001', { eventName: 'security_socket_connect', args: [{ name: 'sockfd', type: 'int', value: 3 }, { name: 'remote_addr', type: 'struct sockaddr*', value: { sa_family: 'AF_INET6', sin6_addr: '2001:db8::10', sin6_port: '443', sin6_flowinfo: '0', sin6_scopeid: '0' } }] }),
    ].join('\n');
    const out = await runImporter(traceeImporter, { name: 't.json', data: exact });
    expect(out.proc).toEqual([expect.objectContaining({ event: 'exec', pid: 4050, ppid: 4000, exe: '/usr/bin/curl', key: '111', parent_key: '100', args: ['curl', 'https://registry.example.com/'], ts: 1781685644001002003n })]);
    expect(out.dns).toEqual([expect.objectContaining({ domain: 'registry.example.com', answers: ['203.0.113.10'], pid: 4050 })]);
    expect(out.net).toEqual([expect.objectContaining({ ip: '2001:db8::10', port: 443, pid: 4050, process: 'curl', ts: 1781685644310000001n })]);
  });

  it('current shape: workload.process, data[], every timestamp form, duplicate connect hooks kept once', async () => {
    const f = fixture('tracee', 'current-events.jsonl');
    expect(traceeImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(traceeImporter, f);
    const exec = out.proc.find((p) => p.event === 'exec')!;
    expect(exec).toMatchObject({ pid: 2460, ppid: 2300, exe: '/usr/bin/curl', uid: 1001, key: '3104559218', parent_key: '2251408233', cwd: '/home/runner/work/app/app', args: ['curl', '-sS', 'https://collector.example.org/v1/upload'] });
    expect(exec.ts).toBe(1781685644001002003n);
    expect(out.dns).toEqual([expect.objectContaining({ domain: 'collector.example.org', answers: ['198.51.100.23'], ts: parseRfc3339('2026-06-17T08:40:44.1Z') })]);
    expect(out.net).toHaveLength(1); // security_socket_connect + connect syscall 0.4 ms apart: one call
    expect(out.net[0]).toMatchObject({ ip: '198.51.100.23', port: 443, pid: 2460, process: 'curl', line: 3, ts: 1781685644310000001n });
    expect(out.files.map((x) => [x.path, x.op])).toEqual([
      ['/run/systemd/resolve/io.systemd.Resolve', 'connect-unix'],
      ['/tmp/env.txt', 'read'],
    ]);
    expect(out.proc.find((p) => p.event === 'exit')).toMatchObject({ pid: 2460, exit_code: 7 });
    expect(out.det).toEqual([expect.objectContaining({ kind: 'tracee:Code injection', severity: 'high', det_id: 'TRC-1022', pid: 2470 })]);
    expect(out.warnings).toEqual([{ line: 9, message: expect.stringMatching(/timestamp/) }]);
  });
});
