/**
 * The filter language in SQL on the sample case: each field, negation, CIDR and a regular expression select exactly
 * the calls and log lines a plain scan of every row says they should (the expectation is computed here from the
 * unfiltered rows with ordinary string tests, not with the filter code), and the SQL agrees with the matcher.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { queryNetwork } from '../../electron/queries/network-list';
import { logFilter, logMatch } from '../../electron/queries/log-filter';
import { logWindow } from '../../electron/queries/log-window';
import { methods, type LogRow, type NetworkRow } from '../../shared/api';
import { callSubject, logSubject, matches, parseFilter } from '../../shared/filter';
import { stripAnsi } from '../../shared/ansi';
import { tempDir } from './import-helpers';
import { buildCase } from '../unit/queries-fixture';

const SAMPLE = path.join(__dirname, '../../resources/sample-bundle');
let dir: string;
let db: Db;
let calls: NetworkRow[];
let lines: LogRow[];

beforeAll(async () => {
  dir = tempDir('rl-filter-');
  const summary = await runImport({ inputs: [SAMPLE], casePath: path.join(dir, 'sample.runlens') });
  db = openCaseReadOnly(summary.case);
  calls = queryNetwork(db, methods['network.query'].params.parse({ limit: 1000 })).rows;
  lines = logWindow(db, { offset: 0, limit: 2000 }).rows;
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (expr: string) =>
  queryNetwork(db, methods['network.query'].params.parse({ filter: { expr }, limit: 1000 })).rows.map((r) => r.id);
const expectCalls = (pred: (r: NetworkRow) => boolean) => calls.filter(pred).map((r) => r.id);
const text = (l: LogRow) => stripAnsi(l.raw);
const logIds = (expr: string) => logFilter(db, { expr, offset: 0, limit: 2000 }).rows.map((l) => l.id);

describe('calls', () => {
  it('the sample has the calls these tests are about', () => {
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.some((c) => c.domain === 'telemetry.exfil.example')).toBe(true);
  });

  const cases: [string, (r: NetworkRow) => boolean][] = [
    ['domain:exfil', (r) => !!r.domain?.toLowerCase().includes('exfil')],
    ['domain:=api.github.com', (r) => r.domain === 'api.github.com'],
    ['ip:203.0.113.45', (r) => r.ip === '203.0.113.45'],
    ['ip:192.0.2.0/24', (r) => !!r.ip?.startsWith('192.0.2.')],
    ['ip:198.51.100.0/25', (r) => !!r.ip && /^198\.51\.100\.(\d+)$/.test(r.ip) && Number(r.ip.split('.')[3]) < 128],
    ['port:443', (r) => r.port === 443],
    ['port:<443', (r) => r.port < 443],
    ['process:curl', (r) => !!r.process_name?.toLowerCase().includes('curl')],
    ['pid:1827', (r) => r.pid === 1827],
    ['step:4', (r) => r.step_number === 4 || r.running_step_number === 4],
    ['status:blocked', (r) => r.status.includes('blocked')],
    ['status:200', (r) => String(r.http_status ?? '').includes('200') || r.status.includes('200')],
    ['verdict:outside', (r) => r.verdict === 'outside-policy'],
    ['method:POST', (r) => r.http_method?.toUpperCase() === 'POST'],
    ['-process:node', (r) => !r.process_name?.toLowerCase().includes('node')],
    ['NOT port:443 OR domain:exfil', (r) => r.port !== 443 || !!r.domain?.includes('exfil')],
    ['method:POST AND -domain:github', (r) => r.http_method === 'POST' && !r.domain?.includes('github')],
    ['domain:/^(telemetry|beacon)\\./', (r) => !!r.domain && /^(telemetry|beacon)\./.test(r.domain)],
    ['/collect$/', (r) => [r.domain, r.ip, r.process_name, r.http_path, r.endpoint, String(r.pid ?? '')].some((v) => !!v && /collect$/.test(v))],
  ];
  for (const [expr, pred] of cases) {
    it(`${expr} selects exactly the expected calls`, () => {
      const want = expectCalls(pred);
      expect(ids(expr)).toEqual(want);
      // the renderer's matcher agrees with the SQL
      expect(calls.filter((r) => matches(parseFilter(expr), callSubject(r))).map((r) => r.id)).toEqual(want);
    });
  }
  it('the checks above are not vacuous: most select some calls and leave out others', () => {
    const sizes = cases.map(([e]) => ids(e).length);
    expect(sizes.filter((n) => n > 0 && n < calls.length).length).toBeGreaterThanOrEqual(cases.length - 3);
  });
  it('a bad expression is a readable error', () => {
    expect(() => ids('port:abc')).toThrow(/filter: port: "abc" is not a number/);
  });
});

describe('log lines', () => {
  const cases: [string, (l: LogRow) => boolean][] = [
    ['domain:exfil.example', (l) => text(l).toLowerCase().includes('exfil.example')],
    ['step:4', (l) => l.step_number === 4],
    ['step:4 -evil', (l) => l.step_number === 4 && !text(l).toLowerCase().includes('evil')],
    ['/^npm (warn|notice)/i', (l) => /^npm (warn|notice)/i.test(text(l))],
    ['"sending install telemetry"', (l) => text(l).toLowerCase().includes('sending install telemetry')],
  ];
  for (const [expr, pred] of cases) {
    it(`${expr} selects exactly the expected lines`, () => {
      const want = lines.filter(pred).map((l) => l.id);
      expect(want.length).toBeGreaterThan(0);
      expect(logIds(expr)).toEqual(want);
      expect(lines.filter((l) => matches(parseFilter(expr), logSubject({ text: text(l), step_number: l.step_number }))).map((l) => l.id)).toEqual(want);
    });
  }
  it('log.match walks the hits forward and back and keeps their index in the whole log', () => {
    const hits = logFilter(db, { expr: 'domain:exfil', offset: 0, limit: 2000 }).rows;
    expect(hits.length).toBeGreaterThan(1);
    const first = logMatch(db, { expr: 'domain:exfil', from: -1, direction: 'next' });
    expect(first).toEqual({ index: hits[0]!.index, total_matches: hits.length });
    expect(lines[hits[0]!.index]!.id).toBe(hits[0]!.id);
    expect(logMatch(db, { expr: 'domain:exfil', from: first.index, direction: 'next' }).index).toBe(hits[1]!.index);
    expect(logMatch(db, { expr: 'domain:exfil', from: hits[1]!.index, direction: 'prev' }).index).toBe(hits[0]!.index);
    expect(logMatch(db, { expr: 'domain:exfil', from: hits[hits.length - 1]!.index, direction: 'next' }).index).toBe(-1);
  });
});

describe('log lines naming addresses (the query fixture: the sample log names none)', () => {
  it('ip: with a CIDR finds the lines that write an address inside the block', () => {
    const fx = openCaseReadOnly(buildCase(dir));
    try {
      const all = logWindow(fx, { offset: 0, limit: 100 }).rows;
      const want = (re: RegExp) => all.filter((l) => re.test(stripAnsi(l.raw))).map((l) => l.id);
      const got = (expr: string) => logFilter(fx, { expr, offset: 0, limit: 100 }).rows.map((l) => l.id);
      expect(got('ip:198.51.100.0/24')).toEqual(want(/198\.51\.100\.\d+/));
      expect(got('ip:198.51.100.0/24')).toHaveLength(2);
      expect(got('ip:198.51.100.0/28')).toEqual(want(/198\.51\.100\.2\b/));
      expect(got('ip:198.51.100.0/28')).toHaveLength(1);
      expect(got('-ip:198.51.100.0/24')).toHaveLength(all.length - 2);
    } finally {
      fx.close();
    }
  });
});
