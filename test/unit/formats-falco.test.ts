import { describe, expect, it } from 'vitest';
import { falcoImporter } from '../../electron/import/formats/falco';
import { parseRfc3339 } from '../../shared/time';
import { fixture, inputFromPath, runImporter } from './formats-harness';

describe('Falco importer', () => {
  it('every alert of the sample is a detection with kind, severity, exact ns time', async () => {
    const f = fixture('falco', 'elastic-integrations_test-nopreserve.log');
    expect(falcoImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(falcoImporter, f);
    expect(out.det.map((d) => [d.kind, d.severity, d.line])).toEqual([
      ['falco:Read sensitive file untrusted', 'medium', 1],
      ['falco:System user interactive', 'info', 2],
      ['falco:Read sensitive file untrusted', 'medium', 3],
    ]);
    expect(out.det[0]!.ts).toBe(parseRfc3339('2024-05-07T18:54:19.341081180Z'));
    expect(out.det[1]!.ts).toBe(1715108060008519431n);
    expect(out.det[0]!.title).toContain('Sensitive file opened for reading');
    // openat of /etc/shadow by event-generator: a file event (no proc.pid in these alerts)
    expect(out.files.map((x) => [x.path, x.op, x.exe])).toEqual([
      ['/etc/shadow', 'open', '/bin/event-generator'],
      ['/etc/shadow', 'open', '/bin/event-generator'],
    ]);
    expect(out.proc).toHaveLength(0); // the execve alert carries no proc.pid: no process can be placed
    expect(out.warnings).toEqual([]);
  });

  it('the same alerts as one JSON array (pretty-printed): recognised and read alike', async () => {
    const f = fixture('falco', 'alerts-array.json');
    expect(falcoImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.8);
    const out = await runImporter(falcoImporter, f);
    expect(out.det.map((d) => d.kind)).toEqual(['falco:Read sensitive file untrusted', 'falco:System user interactive', 'falco:Read sensitive file untrusted']);
    expect(out.det[1]!.ts).toBe(1715108060008519431n);
    expect(out.files).toHaveLength(2);
    expect(out.warnings).toEqual([]);
    // an array of something else is not Falco
    expect(falcoImporter.sniff({ name: 'x.json', relPath: 'x.json', bytes: 20, head: Buffer.from('[{"a":1},{"b":2}]') })).toBe(0);
  });

  it('process, network and exact evt.time from output_fields; bad lines warned', async () => {
    const lines = [
      JSON.stringify({
        output: 'x', priority: 'Critical', rule: 'Outbound connection to C2', time: '2026-06-17T08:40:44.310000001Z',
        output_fields: { 'evt.type': 'connect', 'fd.type': 'ipv4', 'fd.sip': '198.51.100.23', 'fd.sport': 8443, 'fd.l4proto': 'tcp', 'proc.pid': 2460, 'proc.ppid': 2300, 'proc.name': 'curl', 'proc.exepath': '/usr/bin/curl', 'proc.cmdline': 'curl -sS https://collector.example.org/' },
      }),
      '{"output":"y","priority":"Notice","rule":"Spawned process","output_fields":{"evt.time":1781685644001002003,"evt.type":"execve","proc.pid":2460,"proc.ppid":2300,"proc.exepath":"/usr/bin/curl","proc.cmdline":"curl -sS \'https://collector.example.org/\'","user.uid":1001}}',
      '{"output":"z","priority":"Error","rule":"No time here","output_fields":{}}',
      'not json at all',
      '{"output":"cut',
    ];
    const out = await runImporter(falcoImporter, { name: 'events.json', data: lines.join('\n') + '\n' });
    expect(out.det.map((d) => [d.kind, d.severity, d.endpoint])).toEqual([
      ['falco:Outbound connection to C2', 'critical', '198.51.100.23:8443'],
      ['falco:Spawned process', 'low', null],
    ]);
    expect(out.net).toEqual([expect.objectContaining({ ip: '198.51.100.23', port: 8443, pid: 2460, process: 'curl', command_line: 'curl -sS https://collector.example.org/' })]);
    expect(out.proc).toEqual([expect.objectContaining({ event: 'exec', pid: 2460, ppid: 2300, uid: 1001, args: ['curl', '-sS', 'https://collector.example.org/'] })]);
    expect(out.proc[0]!.ts).toBe(1781685644001002003n); // exact beyond 2^53
    expect(out.warnings.map((w) => w.line)).toEqual([3, 4, 5]);
  });
});
