import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import Database from 'better-sqlite3';
import { caseInfo, listFindings, listSteps, NO_POLICY_NOTE, processDetails, QueryError, rawRecord } from '../../electron/queries/index';
import { PROCESS_LIST_LIMIT } from '../../electron/queries/process-details';
import { IDS, buildCase } from './queries-fixture';

let dir: string;
let db: Db;
let noPolicy: Db;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-q-'));
  db = openCaseReadOnly(buildCase(dir));
  mkdirSync(path.join(dir, 'np'));
  noPolicy = openCaseReadOnly(buildCase(path.join(dir, 'np'), { policy: false }));
});
afterAll(() => {
  db.close();
  noPolicy.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('caseInfo', () => {
  it('counts, inputs, warnings, time range, jobs, policy', () => {
    const i = caseInfo(db);
    expect(i.title).toBe('acme/web · CI · test #18311492377');
    expect(i.counts).toEqual({ network: 5, dns: 0, processes: 5, process_events: 2, log_lines: 11, steps: 3, files: 0, findings: 4 });
    expect(i.inputs).toEqual([{ id: 1, path: '/evidence/bundle.zip', sha256: 'a'.repeat(64), bytes: 4096, format: null, offset_seconds: 0 }]);
    expect(i.warnings).toEqual([{ file: '/evidence/bundle.zip!/network.jsonl', line: 9, message: 'timestamp has no zone: 2026-10-14T09:12:40' }]);
    expect(i.time_range).toEqual({ start: '2026-10-14T09:12:03.100000000Z', end: '2026-10-14T09:13:03.100000000Z' });
    expect(i.jobs).toEqual(['test']);
    expect(i.policy?.allowed_endpoints).toEqual(['github.com:443', '*.example.org:443']);
    expect(caseInfo(noPolicy).policy).toBeNull();
  });
});

describe('listSteps', () => {
  it('steps in order with log line counts and 9-digit times', () => {
    const { steps } = listSteps(db);
    expect(steps.map((s) => [s.number, s.name, s.log_lines])).toEqual([
      [1, 'Set up job', 1],
      [2, 'Run actions/checkout@v4', 1],
      [3, 'Run npm test', 9],
    ]);
    expect(steps[1]!.uses).toBe('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683');
    expect(steps[2]!.started_at).toBe('2026-10-14T09:12:13.100000000Z');
  });
});

describe('listFindings', () => {
  it('most severe first, with processes and steps of their calls, and the policy', () => {
    const r = listFindings(db);
    expect(r.policy?.egress_policy).toBe('audit');
    expect(r.note).toBeUndefined();
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      [IDS.findingTelemetry, 'high'],
      [IDS.findingBlocked, 'high'],
      [IDS.findingBareIp, 'medium'],
      [IDS.findingProducer, 'low'],
    ]);
    const tele = r.findings[0]!;
    expect(tele).toMatchObject({ endpoint: 'telemetry.example.net:443', calls: 1, first_seen: '2026-10-14T09:12:23.100000417Z', origin: 'viewer' });
    expect(tele.processes).toEqual([{ id: IDS.curl, pid: 4721, exe: '/usr/bin/curl' }]);
    expect(tele.steps).toEqual([{ id: IDS.stepTest, number: 3, name: 'Run npm test' }]);
    const blocked = r.findings[1]!;
    expect(blocked.kinds).toEqual(['blocked-call', 'anomalous-endpoint']);
    expect(r.findings[2]!.steps.map((s) => s.number)).toEqual([2]); // the background process's step
    const prod = r.findings[3]!;
    expect(prod).toMatchObject({ origin: 'producer', detection_id: 'd1', endpoint: null });
    expect(prod.processes.map((p) => p.pid)).toEqual([4721]);
  });
  it('without a policy: no allow-list findings and a note saying so', () => {
    const r = listFindings(noPolicy);
    expect(r.policy).toBeNull();
    expect(r.note).toBe(NO_POLICY_NOTE);
  });
});

describe('processDetails and rawRecord', () => {
  it('process with ancestors, children, calls and source', () => {
    const p = processDetails(db, IDS.node);
    expect(p).toMatchObject({ pid: 300, ppid: 200, parent_id: IDS.bash, exit_code: 0, root_reason: null });
    expect(p.step).toMatchObject({ number: 3 });
    expect(p.ancestors.map((a) => a.pid)).toEqual([200, 100]);
    expect(p.children.map((c) => c.pid)).toEqual([4721]);
    expect(p.calls.map((c) => [c.id, c.endpoint, c.verdict])).toEqual([
      [IDS.callGithub, 'github.com:443', 'allowed'],
      [IDS.callBlocked, 'evil.example.com:443', 'blocked'],
      [IDS.callGithub2, 'github.com:80', 'outside-policy'],
    ]);
    expect(p.source).toEqual({ file: '/evidence/bundle.zip!/processes.jsonl', line: 3 });
    expect(p.totals).toEqual({ children: 1, calls: 3, files: 0 });
    expect(() => processDetails(db, 12345)).toThrow(QueryError);
  });
  it('caps the lists of a process with very many children, and says how many there are', () => {
    mkdirSync(path.join(dir, 'many'));
    const file = buildCase(path.join(dir, 'many'));
    const w = new Database(file);
    const ins = w.prepare(`INSERT INTO processes (pid, ppid, parent_id, start, exe, args) VALUES (?, 300, ?, 1, '/bin/true', '["true"]')`);
    w.transaction(() => {
      for (let i = 0; i < PROCESS_LIST_LIMIT + 50; i++) ins.run(10_000 + i, IDS.node);
    })();
    w.close();
    const r = openCaseReadOnly(file);
    try {
      const p = processDetails(r, IDS.node);
      expect(p.children).toHaveLength(PROCESS_LIST_LIMIT);
      expect(p.totals.children).toBe(PROCESS_LIST_LIMIT + 51);
    } finally {
      r.close();
    }
  });
  it('raw record of a call and of a log line', () => {
    expect(rawRecord(db, 'network', IDS.callTelemetry)).toMatchObject({ file: '/evidence/bundle.zip!/network.jsonl', line: 1 });
    expect(rawRecord(db, 'network', IDS.callTelemetry).raw).toContain('"pid":4721');
    expect(rawRecord(db, 'log_lines', 4).raw).toBe('\x1b[36mPOSTing env to telemetry.example.net now\x1b[0m');
    expect(() => rawRecord(db, 'meta' as never, 1)).toThrow(QueryError);
    expect(() => rawRecord(db, 'dns', 1)).toThrow(QueryError);
  });
});
