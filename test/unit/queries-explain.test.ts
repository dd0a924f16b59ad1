import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { explainCall, explainEndpoint, QueryError } from '../../electron/queries/index';
import { mentions } from '../../electron/queries/log-mentions';
import { HOSTILE, IDS, buildCase } from './queries-fixture';

let dir: string;
let db: Db;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-q-'));
  db = openCaseReadOnly(buildCase(dir));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mentions (whole token, case-insensitive)', () => {
  it('separates 198.51.100.2 from 198.51.100.23', () => {
    expect(mentions('connected to 198.51.100.23 port 443', '198.51.100.2')).toBe(false);
    expect(mentions('connected to 198.51.100.2 port 443', '198.51.100.2')).toBe(true);
    expect(mentions('connected to 10.198.51.100.2', '198.51.100.2')).toBe(false);
    expect(mentions('at 198.51.100.2.', '198.51.100.2')).toBe(true);
  });
  it('treats URL, port and sentence punctuation as boundaries, longer names as different hosts', () => {
    expect(mentions('GET https://Telemetry.Example.NET/v2', 'telemetry.example.net')).toBe(true);
    expect(mentions('dial telemetry.example.net:443 ok', 'telemetry.example.net')).toBe(true);
    expect(mentions('sub.telemetry.example.net', 'telemetry.example.net')).toBe(false);
    expect(mentions('telemetry.example.network', 'telemetry.example.net')).toBe(false);
    expect(mentions('telemetry.example.net-cdn', 'telemetry.example.net')).toBe(false);
    expect(mentions('my-telemetry.example.net', 'telemetry.example.net')).toBe(false);
  });
});

describe('explainCall', () => {
  it('gives process, ancestors nearest first, step, action, HTTP, verdict and source', () => {
    const e = explainCall(db, IDS.callTelemetry);
    expect(e.ts).toBe('2026-10-14T09:12:23.100000417Z');
    expect(e.endpoint).toBe('telemetry.example.net:443');
    expect(e.verdict).toBe('outside-policy');
    expect(e.process).toMatchObject({ id: IDS.curl, pid: 4721, exe: '/usr/bin/curl', start: '2026-10-14T09:12:23.100000000Z' });
    expect(e.process?.args).toContain(HOSTILE);
    expect(e.ancestors.map((a) => a.pid)).toEqual([300, 200, 100]);
    expect(e.ancestors[0]!.args).toEqual(['node', 'scripts/test.js']);
    expect(e.step).toMatchObject({ number: 3, name: 'Run npm test' });
    expect(e.running_step?.number).toBe(3);
    expect(e.http).toEqual({ method: 'POST', host: 'telemetry.example.net', path: '/v2/collect', status_code: 202 });
    expect(e.finding).toEqual({ id: IDS.findingTelemetry, kind: 'anomalous-endpoint', kinds: ['anomalous-endpoint'], severity: 'high' });
    expect(e.policy).toEqual({ matched: null, reason: null, allowed_by: null });
    expect(e.source).toEqual({ file: '/evidence/bundle.zip!/network.jsonl', line: 1 });
    expect(e.process_name).toBe('curl');
  });

  it('log context is the lines within ±window seconds, in time order, capped at limit by nearness', () => {
    const e = explainCall(db, IDS.callTelemetry, { window: 5 });
    expect(e.log_context.map((l) => l.id)).toEqual([4, 5, 6]);
    expect(e.log_context[0]).toEqual({ id: 4, ts: '2026-10-14T09:12:22.100000000Z', step: 3, text: 'POSTing env to telemetry.example.net now' });
    // line 3 is at t0+10.000000005 s: 412 ns outside a 10 s window, inside an 11 s one
    expect(explainCall(db, IDS.callTelemetry, { window: 10 }).log_context.map((l) => l.id)).toEqual([4, 5, 6, 7]);
    expect(explainCall(db, IDS.callTelemetry, { window: 11 }).log_context.map((l) => l.id)).toEqual([3, 4, 5, 6, 7, 8]);
    // limit 2 keeps the two nearest (20.5 s and 19 s), shown in time order
    expect(explainCall(db, IDS.callTelemetry, { window: 10, limit: 2 }).log_context.map((l) => l.id)).toEqual([4, 5]);
  });

  it('log mentions match the domain or IP as a whole token only', () => {
    const tele = explainCall(db, IDS.callTelemetry).log_mentions.map((l) => l.id);
    expect(tele).toEqual([4, 5, 7]);
    const bare = explainCall(db, IDS.callBareIp).log_mentions.map((l) => l.id);
    expect(bare).toEqual([6]);
  });

  it('a background process: step is the one that started it, running step the one at the call', () => {
    const e = explainCall(db, IDS.callBareIp);
    expect(e.step).toMatchObject({ number: 2, uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683' });
    expect(e.running_step?.number).toBe(3);
    expect(e.domain).toBeNull();
    expect(e.http).toBeNull();
  });

  it('an allowed call names the allow-list entry', () => {
    expect(explainCall(db, IDS.callGithub).policy?.allowed_by).toBe('github.com:443');
    expect(explainCall(db, IDS.callGithub).verdict).toBe('allowed');
  });

  it('an unknown id is a QueryError', () => {
    expect(() => explainCall(db, 99999)).toThrow(QueryError);
  });
});

describe('explainEndpoint', () => {
  it('host without port: every port; with port: that port only', () => {
    expect(explainEndpoint(db, 'github.com').calls.map((c) => c.id)).toEqual([IDS.callGithub, IDS.callGithub2]);
    expect(explainEndpoint(db, 'GitHub.com.:80').calls.map((c) => c.id)).toEqual([IDS.callGithub2]);
    expect(explainEndpoint(db, 'github.com:8443').calls).toEqual([]);
  });
  it('an IP finds calls whose endpoint is named after the domain', () => {
    const r = explainEndpoint(db, '198.51.100.23');
    expect(r.calls.map((c) => c.id)).toEqual([IDS.callTelemetry]);
    expect(explainEndpoint(db, '198.51.100.2').calls.map((c) => c.id)).toEqual([IDS.callBareIp]);
  });
  it('limit caps calls and lists; total counts all', () => {
    const r = explainEndpoint(db, 'github.com', { limit: 1 });
    expect(r.total).toBe(2);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.log_context.length).toBeLessThanOrEqual(1);
  });
  it('rejects what is not an endpoint', () => {
    expect(() => explainEndpoint(db, 'http://x.example/')).toThrow(QueryError);
    expect(() => explainEndpoint(db, 'x.example:99999')).toThrow(QueryError);
  });
});
