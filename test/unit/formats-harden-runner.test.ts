import { describe, expect, it } from 'vitest';
import { scanLogLine } from '../../electron/import/formats/log-embedded';
import { hardenRunnerAgentLogImporter, hardenRunnerConfigImporter } from '../../electron/import/formats/harden-runner';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { collector, fixture, inputFromPath, runImporter } from './formats-harness';

const T = (s: string) => parseRfc3339(s);

describe('scanLogLine (Harden-Runner lines inside a job log)', () => {
  it('turns an endpoint line into a network call at the AGENT time, not the log line time', () => {
    const { sink, out } = collector();
    const logTs = T('2026-07-26T12:12:07.9527320Z');
    const line =
      'Sun, 26 Jul 2026 12:09:47 GMT:endpoint called ip address:port 104.18.18.12:443, domain: repo.maven.apache.org., pid: 3567, process: java';
    expect(scanLogLine(line, 42, logTs, sink)).toBe(true);
    expect(out.net).toHaveLength(1);
    const n = out.net[0]!;
    expect(formatNanos(n.ts)).toBe('2026-07-26T12:09:47.000000000Z');
    expect(n).toMatchObject({ ip: '104.18.18.12', port: 443, domain: 'repo.maven.apache.org', pid: 3567, process: 'java', status: 'allowed', line: 42 });
    expect(n.raw).toBe(line);
  });

  it('parses DNS, dropped, source-overwrite and sudo lines', () => {
    const { sink, out } = collector();
    const ts = T('2026-06-17T08:41:10Z');
    expect(scanLogLine('Wed, 17 Jun 2026 08:40:35 GMT:domain resolved: registry.example.com., ip address: 203.0.113.10, TTL: 300', 1, ts, sink)).toBe(true);
    expect(scanLogLine('Wed, 17 Jun 2026 08:40:47 GMT:ip address dropped: 192.0.2.66, reason: Global Block List', 2, ts, sink)).toBe(true);
    expect(
      scanLogLine(
        'Wed, 17 Jun 2026 08:40:52 GMT:[Source code overwritten] file: /w/src/main.go syscall: openat by exe: /usr/bin/sed [9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08] Timestamp: 2026-06-17T08:40:52.113Z',
        3, ts, sink,
      ),
    ).toBe(true);
    expect(scanLogLine('Wed, 17 Jun 2026 08:40:55 GMT:sudo process started: Exe: /usr/bin/apt-get, Arguments: [apt-get install -y jq]', 4, ts, sink)).toBe(true);
    expect(out.dns).toEqual([
      expect.objectContaining({ domain: 'registry.example.com', answers: ['203.0.113.10'], type: 'A', ts: T('2026-06-17T08:40:35Z') }),
    ]);
    expect(out.net).toEqual([expect.objectContaining({ ip: '192.0.2.66', status: 'blocked', policy: { reason: 'Global Block List' } })]);
    expect(out.files).toEqual([
      expect.objectContaining({ path: '/w/src/main.go', op: 'overwrite', exe: '/usr/bin/sed', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
    ]);
    expect(out.det.map((d) => d.kind)).toEqual(['source-overwrite', 'suspicious-process']);
    expect(out.det[1]!.title).toContain('/usr/bin/apt-get install -y jq');
    expect(out.proc).toHaveLength(0); // no pid on the sudo line: no process event invented
  });

  it('ignores ordinary log lines (and is cheap on them)', () => {
    const { sink, out } = collector();
    const lines = [
      '##[group]Run npm ci',
      'added 1432 packages in 21s',
      'Wed, 17 Jun 2026 08:40:02 GMT:Agent started',
      'domain: example.com resolved somewhere',
      'endpoints called: 3',
      '',
    ];
    for (const l of lines) expect(scanLogLine(l, 1, 0n, sink)).toBe(false);
    expect(out.net.length + out.dns.length + out.det.length).toBe(0);
  });

  it('reads an agent line without its prefix at the log time', () => {
    const { sink, out } = collector();
    const ts = T('2026-06-17T08:40:35.5Z');
    expect(scanLogLine('endpoint called ip address:port 203.0.113.10:443, domain: registry.example.com., pid: 7, process: node', 9, ts, sink)).toBe(true);
    expect(out.net[0]!.ts).toBe(ts);
  });
});

describe('Harden-Runner agent.log importer', () => {
  it('imports the agent log fixture with its facts', async () => {
    const f = fixture('harden-runner', 'agent.log');
    expect(hardenRunnerAgentLogImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(hardenRunnerAgentLogImporter, f);
    expect(out.dns.map((d) => [d.domain, d.answers[0], d.type])).toEqual([
      ['registry.example.com', '203.0.113.10', 'A'],
      ['cdn.example.net', '2001:db8::10', 'AAAA'],
    ]);
    expect(out.net.map((n) => [n.ip, n.port, n.domain, n.pid, n.process, n.status])).toEqual([
      ['203.0.113.10', 443, 'registry.example.com', 2401, 'node', 'allowed'],
      ['2001:db8::10', 443, 'cdn.example.net', 2401, 'node', 'allowed'],
      ['198.51.100.23', 8443, null, 2460, 'curl', 'allowed'],
      ['192.0.2.66', 0, null, null, null, 'blocked'],
      ['192.0.2.67', 0, null, null, null, 'blocked'],
    ]);
    expect(out.net.map((n) => n.line)).toEqual([5, 7, 9, 10, 11]);
    expect(out.files).toHaveLength(1);
    expect(out.det.map((d) => d.kind)).toEqual(['source-overwrite', 'suspicious-process']);
    // the damaged endpoint line (line 14) is one warning with its line number
    expect(out.warnings).toEqual([{ line: 14, message: expect.stringContaining('not understood') }]);
  });
});

describe('Harden-Runner config importer', () => {
  it('block mode with allowed_endpoints as a space separated string', async () => {
    const f = fixture('harden-runner', 'step-security-agent_agent-allowed-endpoints.json');
    expect(hardenRunnerConfigImporter.sniff(inputFromPath(f))).toBeGreaterThanOrEqual(0.9);
    const out = await runImporter(hardenRunnerConfigImporter, f);
    expect(out.policy).toEqual([{ egress_policy: 'block', allowed_endpoints: ['domain1.com:443', 'domain2.com:443'], origin: 'harden-runner' }]);
    expect(out.run[0]).toMatchObject({ repository: 'owner/repo', run_id: '1287185438' });
    expect(out.run[0]!.harden_runner).toMatchObject({ disable_sudo: false, disable_telemetry: true, egress_policy: 'block' });
  });

  it('keeps disable_sudo and private in run extras', async () => {
    const out = await runImporter(hardenRunnerConfigImporter, fixture('harden-runner', 'step-security-agent_agent-private-repo.json'));
    expect(out.run[0]!.harden_runner).toMatchObject({ disable_sudo: true, private: true, correlation_id: 'd942cc6c-d349-49da-ad54-a1bf92538567' });
    expect(out.policy[0]!.egress_policy).toBe('block');
    const sudo = await runImporter(hardenRunnerConfigImporter, fixture('harden-runner', 'step-security-agent_agent-disable-sudo.json'));
    expect(sudo.policy[0]).toMatchObject({ egress_policy: 'audit', allowed_endpoints: ['domain1.com:443', 'domain2.com:443'] });
  });

  it('audit mode with no endpoints: no allow-list (the agent has none), mode kept in run extras', async () => {
    const out = await runImporter(hardenRunnerConfigImporter, fixture('harden-runner', 'step-security-agent_agent.json'));
    expect(out.policy).toEqual([]);
    expect(out.run[0]!.harden_runner).toMatchObject({ egress_policy: 'audit', disable_telemetry: false });
  });

  it('accepts arrays and comma/newline separated strings; rejects broken JSON with a clear error', async () => {
    const cfg = { egress_policy: 'block', allowed_endpoints: ['github.com:443', 'a.example.com:443,b.example.com:443\n*.example.org:443'] };
    const out = await runImporter(hardenRunnerConfigImporter, { name: 'agent.json', data: JSON.stringify(cfg) });
    expect(out.policy[0]!.allowed_endpoints).toEqual(['github.com:443', 'a.example.com:443', 'b.example.com:443', '*.example.org:443']);
    await expect(runImporter(hardenRunnerConfigImporter, { name: 'agent.json', data: '{"egress_policy": "block", ' })).rejects.toThrow(/not valid JSON/);
  });
});
