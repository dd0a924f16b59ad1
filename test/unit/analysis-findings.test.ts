import { afterEach, describe, expect, it } from 'vitest';
import { at, call, callRow, exec, meta, newCase, resolution, type TestCase } from './analysis-case';

let c: TestCase;
afterEach(() => c?.close());

interface FindingRow {
  id: number;
  kind: string;
  kinds: string;
  severity: string;
  origin: string;
  endpoint: string | null;
  title: string | null;
  calls: number;
  first_seen: bigint | null;
  last_seen: bigint | null;
  detection_id: number | null;
}
const findings = (tc: TestCase) =>
  tc.db.prepare('SELECT * FROM findings ORDER BY id').safeIntegers(false).all() as FindingRow[];
const findingsTimes = (tc: TestCase) =>
  tc.db.prepare('SELECT endpoint, first_seen, last_seen FROM findings ORDER BY id').safeIntegers(true).all() as {
    endpoint: string;
    first_seen: bigint;
    last_seen: bigint;
  }[];

describe('DNS domain fill', () => {
  it('takes the domain of the latest resolution of the ip at or before the call', () => {
    c = newCase();
    const { db } = c;
    resolution(db, { ts: at(1), domain: 'first.example', answers: ['198.51.100.23', '198.51.100.24'] });
    resolution(db, { ts: at(5), domain: 'second.example', answers: ['198.51.100.23'] });
    const before = call(db, { ts: at(0.5), ip: '198.51.100.23' });
    const exact = call(db, { ts: at(1), ip: '198.51.100.23' });
    const between = call(db, { ts: at(3), ip: '198.51.100.24' });
    const later = call(db, { ts: at(6), ip: '198.51.100.23' });
    const own = call(db, { ts: at(6), ip: '198.51.100.23', domain: 'Own.Example.' });
    const other = call(db, { ts: at(6), ip: '198.51.100.2' }); // not a prefix match
    const v6 = call(db, { ts: at(6), ip: '2001:DB8::1', port: 8443 });
    const http = call(db, { ts: at(6), ip: '203.0.113.9', port: 80, http_host: 'Host.Example:80' });
    c.finalize();
    expect(callRow(db, before)).toMatchObject({ domain: null, domain_origin: null, endpoint: '198.51.100.23:443' });
    expect(callRow(db, exact)).toMatchObject({ domain: 'first.example', domain_origin: 'dns', endpoint: 'first.example:443' });
    expect(callRow(db, between)).toMatchObject({ domain: 'first.example', domain_origin: 'dns' });
    expect(callRow(db, later)).toMatchObject({ domain: 'second.example', domain_origin: 'dns', endpoint: 'second.example:443' });
    expect(callRow(db, own)).toMatchObject({ domain: 'Own.Example.', domain_origin: 'record', endpoint: 'own.example:443' });
    expect(callRow(db, other)).toMatchObject({ domain: null, endpoint: '198.51.100.2:443' });
    expect(callRow(db, v6)).toMatchObject({ domain: null, endpoint: '[2001:db8::1]:8443' });
    expect(callRow(db, http)).toMatchObject({ domain: 'host.example', domain_origin: 'http', endpoint: 'host.example:80' });
  });
});

describe('verdicts and findings', () => {
  it('with an audit policy: allowed, outside-policy and blocked calls; one finding per endpoint', () => {
    c = newCase();
    const { db } = c;
    meta(db, 'policy', { egress_policy: 'audit', allowed_endpoints: ['github.com:443', '*.github.com', 'registry.example.org', '203.0.113.50:443'] });
    const ok1 = call(db, { ts: at(1), domain: 'github.com' });
    const ok2 = call(db, { ts: at(2), domain: 'api.github.com' });
    const bare = call(db, { ts: at(2.5), domain: 'GitHub.com.', port: 22 }); // wrong port
    const ex1 = call(db, { ts: at(3), domain: 'telemetry.exfil.example' });
    const ex2 = call(db, { ts: at(4), domain: 'TELEMETRY.exfil.example.' });
    const ex3 = call(db, { ts: at(9), domain: 'telemetry.exfil.example', status: 'blocked' });
    const blockedAllowed = call(db, { ts: at(5), domain: 'registry.example.org', status: 'blocked' });
    const okByIp = call(db, { ts: at(6), domain: 'cdn.example.net', ip: '203.0.113.50' });
    const onlyBlocked = call(db, { ts: at(7), domain: 'c2.exfil.example', status: 'blocked' });
    c.finalize();

    expect(callRow(db, ok1).verdict).toBe('allowed');
    expect(callRow(db, ok2).verdict).toBe('allowed');
    expect(callRow(db, okByIp).verdict).toBe('allowed');
    expect(callRow(db, onlyBlocked)).toMatchObject({ verdict: 'blocked', endpoint: 'c2.exfil.example:443' });
    expect(callRow(db, bare)).toMatchObject({ verdict: 'outside-policy', endpoint: 'github.com:22' });
    expect(callRow(db, ex1)).toMatchObject({ verdict: 'outside-policy', endpoint: 'telemetry.exfil.example:443' });
    expect(callRow(db, ex3).verdict).toBe('blocked');
    expect(callRow(db, blockedAllowed).verdict).toBe('blocked');

    const fs = findings(c);
    expect(fs.map((f) => f.endpoint).sort()).toEqual(
      ['c2.exfil.example:443', 'github.com:22', 'registry.example.org:443', 'telemetry.exfil.example:443'].sort(),
    );
    const f = (ep: string) => fs.find((x) => x.endpoint === ep)!;
    expect(f('telemetry.exfil.example:443')).toMatchObject({
      kind: 'blocked-call', severity: 'high', origin: 'viewer', calls: 3,
    });
    expect(JSON.parse(f('telemetry.exfil.example:443').kinds)).toEqual(['blocked-call', 'anomalous-endpoint']);
    expect(f('registry.example.org:443')).toMatchObject({ kind: 'blocked-call', severity: 'medium', calls: 1 });
    expect(JSON.parse(f('registry.example.org:443').kinds)).toEqual(['blocked-call']);
    expect(f('c2.exfil.example:443')).toMatchObject({ kind: 'blocked-call', severity: 'medium' });
    expect(JSON.parse(f('c2.exfil.example:443').kinds)).toEqual(['blocked-call', 'anomalous-endpoint']);
    expect(f('github.com:22')).toMatchObject({ kind: 'anomalous-endpoint', severity: 'high', calls: 1 });
    const t = findingsTimes(c).find((x) => x.endpoint === 'telemetry.exfil.example:443')!;
    expect([t.first_seen, t.last_seen]).toEqual([at(3), at(9)]);

    const tid = f('telemetry.exfil.example:443').id;
    expect([ex1, ex2, ex3].map((id) => callRow(db, id).finding_id)).toEqual([tid, tid, tid]);
    expect(callRow(db, ok1).finding_id).toBeNull();
    // most severe first
    expect(fs[0]!.severity).toBe('high');
    expect(fs[fs.length - 1]!.severity).toBe('medium');
  });

  it('without a policy: no allow-list findings, blocked calls still are', () => {
    c = newCase();
    const { db } = c;
    const a = call(db, { ts: at(1), domain: 'anything.example' });
    const b = call(db, { ts: at(2), domain: 'blocked.example', status: 'blocked' });
    c.finalize();
    expect(callRow(db, a)).toMatchObject({ verdict: 'no-policy', finding_id: null });
    expect(callRow(db, b).verdict).toBe('blocked');
    const fs = findings(c);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: 'blocked-call', endpoint: 'blocked.example:443', kinds: '["blocked-call"]' });
    expect(callRow(db, b).finding_id).toBe(fs[0]!.id);
  });

  it('turns producer detections into findings with their own kind, normalized endpoint and process', () => {
    c = newCase();
    const { db } = c;
    meta(db, 'policy', { egress_policy: 'block', allowed_endpoints: ['github.com'] });
    exec(db, { ts: at(1), pid: 77, exe: '/usr/bin/curl' });
    call(db, { ts: at(2), pid: 77, domain: 'telemetry.exfil.example', status: 'blocked' });
    call(db, { ts: at(3), pid: 77, domain: 'telemetry.exfil.example', status: 'blocked' });
    const ins = db.prepare(
      `INSERT INTO detections (det_id, kind, severity, title, ts, endpoint, pid, raw) VALUES (?, ?, ?, ?, ?, ?, ?, '{}')`,
    );
    const d1 = Number(ins.run('d1', 'anomalous-endpoint', 'High', 'Call to unknown endpoint', at(2), 'Telemetry.Exfil.Example.:443', 77).lastInsertRowid);
    const d2 = Number(ins.run('d2', 'source-overwrite', null, null, at(4), null, null).lastInsertRowid);
    c.finalize();
    const fs = findings(c);
    const producer = fs.filter((f) => f.origin === 'producer');
    expect(producer).toHaveLength(2);
    const p1 = producer.find((f) => f.detection_id === d1)!;
    expect(p1).toMatchObject({ kind: 'anomalous-endpoint', kinds: '["anomalous-endpoint"]', severity: 'high', title: 'Call to unknown endpoint', endpoint: 'telemetry.exfil.example:443', calls: 2 });
    const p2 = producer.find((f) => f.detection_id === d2)!;
    expect(p2).toMatchObject({ kind: 'source-overwrite', severity: 'unknown', endpoint: null, calls: 0, title: 'source-overwrite' });
    const viewer = fs.filter((f) => f.origin === 'viewer');
    expect(viewer).toHaveLength(1);
    expect(viewer[0]).toMatchObject({ kind: 'blocked-call', severity: 'medium', calls: 2 });
    const proc = db.prepare('SELECT process_id FROM detections WHERE id = ?').get(d1) as { process_id: number };
    expect(proc.process_id).toBe((db.prepare('SELECT id FROM processes WHERE pid = 77').get() as { id: number }).id);
    // the viewer finding, not the producer's, is linked from the calls
    expect((db.prepare('SELECT DISTINCT finding_id FROM network').all() as { finding_id: number }[]).map((r) => r.finding_id)).toEqual([viewer[0]!.id]);
  });

  it('running the analysis twice gives the same result', () => {
    c = newCase();
    const { db } = c;
    meta(db, 'policy', { egress_policy: 'audit', allowed_endpoints: ['github.com'] });
    resolution(db, { ts: at(0), domain: 'bad.example', answers: ['192.0.2.66'] });
    exec(db, { ts: at(0), pid: 5, exe: '/usr/bin/curl' });
    call(db, { ts: at(1), pid: 5, ip: '192.0.2.66' });
    call(db, { ts: at(2), pid: 5, domain: 'github.com' });
    c.finalize();
    const snap = () => ({
      net: db.prepare('SELECT * FROM network ORDER BY id').all(),
      procs: db.prepare('SELECT * FROM processes ORDER BY id').all(),
      finds: db.prepare('SELECT * FROM findings ORDER BY id').all(),
      events: db.prepare('SELECT process_id FROM process_events ORDER BY id').all(),
    });
    const first = snap();
    const indexes = () => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();
    const before = indexes();
    c.finalize();
    expect(snap()).toEqual(first);
    expect((first.finds as unknown[]).length).toBe(1);
    // The indexes suspended during the writes are all back, as migration 2 defined them.
    expect(indexes()).toEqual(before);
    expect((before as { name: string }[]).map((r) => r.name)).toEqual(
      expect.arrayContaining(['network_process', 'network_endpoint', 'network_finding', 'process_events_process', 'file_events_process']),
    );
  });

  it('warns about unreadable allow-list entries', () => {
    c = newCase();
    meta(c.db, 'policy', { egress_policy: 'audit', allowed_endpoints: ['github.com', 'https://bad/entry', 42] });
    c.finalize();
    expect(c.warnings.map((w) => w.message)).toEqual([
      'policy: cannot read allowed endpoint "https://bad/entry"; it allows nothing',
      'policy: cannot read allowed endpoint 42; it allows nothing',
    ]);
  });
});
