/**
 * The hot queries use indexes: EXPLAIN QUERY PLAN of each (the SQL the queries module actually prepares, plus the
 * generic time-window / id-window reads every view makes) must not SCAN a big table nor sort a window in a temp
 * B-tree, and must name the index it is meant to use. Run on a case with enough rows that a plan matters, loaded
 * the importer's way (indexes created after the load, no ANALYZE).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { CALL_BY_ID_SQL } from '../../electron/queries/explain-call';
import { endpointCallsSql } from '../../electron/queries/explain-endpoint';
import { FINDING_PROCESSES_SQL, FINDING_STEPS_SQL } from '../../electron/queries/findings';
import { LOG_AFTER_SQL, LOG_BEFORE_SQL, LOG_FTS_SQL } from '../../electron/queries/log-refs';
import { ORDER_ROWS_DESC_SQL, ORDER_ROWS_SQL, ROWS_BY_IDS_SQL } from '../../electron/queries/network-list';
import { ORDER_TS_AT_SQL } from '../../electron/queries/network-order';
import { CALL_COLUMNS, CALL_JOINS } from '../../electron/queries/network-rows';
import { PROCESS_CALLS_SQL, PROCESS_FILES_SQL } from '../../electron/queries/process-details';
import { STEP_LOG_LINES_SQL } from '../../electron/queries/steps';
import { TREE_CALLS_SQL, TREE_FINDINGS_SQL } from '../../electron/queries/process-tree';
import { buildCase } from '../unit/queries-fixture';

const BIG = ['network', 'network_order', 'log_lines', 'processes', 'process_events', 'file_events', 'dns', 'dns_answers'];

let dir: string;
let db: Db;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'runlens-plan-'));
  db = openCaseReadOnly(buildCase(dir, { filler: { network: 3000, logs: 5000 } }));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function plan(sql: string, params: unknown[] | Record<string, unknown>): string[] {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Array.isArray(params) ? stmt.all(...params) : stmt.all(params)) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A table or its alias (`network n`) read by a full scan: `SCAN n`, `SCAN network` (a covering-index scan too). */
function fullScans(details: string[], aliases: Record<string, string>): string[] {
  return details.filter((d) => {
    const m = /^SCAN (\w+)/.exec(d);
    if (!m) return false;
    const table = aliases[m[1]!] ?? m[1]!;
    return BIG.includes(table);
  });
}

const ALIASES = { n: 'network', l: 'log_lines', p: 'processes', f: 'log_fts', s: 'steps', rs: 'steps', t: 'network' };

const T = 1_791_969_135_100_000_000n;
/** keyed: every table the statement reads after the first is read by its primary key (one seek per row). */
const cases: { name: string; sql: string; params: unknown[] | Record<string, unknown>; index: RegExp; ordered?: boolean; keyed?: boolean }[] = [
  {
    name: 'calls by time window',
    sql: `SELECT ${CALL_COLUMNS} FROM network n ${CALL_JOINS} WHERE n.ts >= ? AND n.ts < ? ORDER BY n.ts, n.id LIMIT ?`,
    params: [T, T + 10_000_000_000n, 200],
    index: /USING INDEX network_ts/,
    ordered: true,
  },
  { name: 'calls by process (process panel)', sql: PROCESS_CALLS_SQL, params: [3, 2000], index: /USING INDEX network_process/, ordered: true },
  { name: 'file events by process', sql: PROCESS_FILES_SQL, params: [3, 2000], index: /file_events_process/, ordered: true },
  { name: 'call by id (explain)', sql: CALL_BY_ID_SQL, params: [1], index: /USING INTEGER PRIMARY KEY/ },
  { name: 'calls page at any depth, time order (network_order)', sql: ORDER_ROWS_SQL, params: [2500, 200], index: /^SEARCH o USING INTEGER PRIMARY KEY \(rowid>\?\)/, ordered: true, keyed: true },
  { name: 'calls page at any depth, newest first (network_order)', sql: ORDER_ROWS_DESC_SQL, params: [2500, 200], index: /^SEARCH o USING INTEGER PRIMARY KEY \(rowid<\?\)/, ordered: true, keyed: true },
  { name: 'rows of a sorted or filtered window, by id', sql: ROWS_BY_IDS_SQL, params: ['[3, 1, 2]'], index: /^SEARCH n USING INTEGER PRIMARY KEY \(rowid=\?\)/, keyed: true },
  { name: 'jump to a time in the calls: a rank probe (network_order)', sql: ORDER_TS_AT_SQL, params: [1500], index: /USING INTEGER PRIMARY KEY \(rowid=\?\)/ },
  {
    name: 'log window by id',
    sql: 'SELECT id, ts, raw, marker, depth, step_id FROM log_lines WHERE id >= ? ORDER BY id LIMIT ?',
    params: [100, 200],
    index: /USING INTEGER PRIMARY KEY \(rowid>\?\)/,
    ordered: true,
  },
  { name: 'log lines by ts range (context, after)', sql: LOG_AFTER_SQL, params: [T, T + 5_000_000_000n, 200], index: /USING INDEX log_lines_ts/, ordered: true },
  { name: 'log lines by ts range (context, before)', sql: LOG_BEFORE_SQL, params: [T - 5_000_000_000n, T, 200], index: /USING INDEX log_lines_ts/, ordered: true },
  { name: 'log mentions (FTS5)', sql: LOG_FTS_SQL, params: ['"198.51.100.2"*'], index: /VIRTUAL TABLE INDEX/ },
  { name: "findings' calls: processes", sql: FINDING_PROCESSES_SQL, params: [1], index: /USING INDEX network_finding/ },
  { name: "findings' calls: steps", sql: FINDING_STEPS_SQL, params: [1], index: /USING INDEX network_finding/ },
  {
    name: "findings' calls in time order",
    sql: `SELECT ${CALL_COLUMNS} FROM network n ${CALL_JOINS} WHERE n.finding_id = ? ORDER BY n.ts, n.id LIMIT ?`,
    params: [1, 200],
    index: /USING INDEX network_finding/,
    ordered: true,
  },
  { name: 'process tree: calls per process off the covering index', sql: TREE_CALLS_SQL, params: [], index: /USING COVERING INDEX network_process/ },
  { name: "process tree: findings' calls per process (only those calls)", sql: TREE_FINDINGS_SQL, params: [], index: /USING INDEX network_finding \(finding_id>\?\)/ },
  { name: 'log lines per step', sql: STEP_LOG_LINES_SQL, params: [3], index: /USING COVERING INDEX log_lines_step/ },
];

describe('hot queries use indexes (EXPLAIN QUERY PLAN)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = plan(c.sql, c.params);
      expect(fullScans(d, ALIASES), d.join(' | ')).toEqual([]);
      expect(d.some((x) => c.index.test(x)), d.join(' | ')).toBe(true);
      if (c.ordered) expect(d.filter((x) => /TEMP B-TREE/.test(x)), d.join(' | ')).toEqual([]);
      // The joins to steps and findings go through their primary keys.
      for (const x of d) if (/^SEARCH (s|rs|f)\b/.test(x)) expect(x).toMatch(/INTEGER PRIMARY KEY/);
      if (c.keyed) {
        // the range (or the id list) is the outer loop, so the plan's first line; every other table by its key
        expect(c.index.test(d[0]!), d.join(' | ')).toBe(true);
        for (const x of d.slice(1).filter((x) => /^(SEARCH|SCAN) (n|o|p|f|s|rs)\b/.test(x))) expect(x, d.join(' | ')).toMatch(/INTEGER PRIMARY KEY \(rowid=\?\)/);
      }
      // And the query really runs.
      const stmt = db.prepare(c.sql);
      expect(() => (Array.isArray(c.params) ? stmt.all(...c.params) : stmt.all(c.params))).not.toThrow();
    });
  }

  it('explain --endpoint: the endpoint branch uses network_endpoint (exact and every-port range)', () => {
    const exact = plan(endpointCallsSql(false), { exact: 'github.com:443', port: 443, host: 'github.com' });
    expect(exact.some((x) => /network_endpoint \(endpoint=\?\)/.test(x)), exact.join(' | ')).toBe(true);
    const range = plan(endpointCallsSql(true), { lo: 'github.com:', hi: 'github.com;', host: 'github.com' });
    expect(range.some((x) => /network_endpoint \(endpoint>\? AND endpoint<\?\)/.test(x)), range.join(' | ')).toBe(true);
  });

  it('the checker itself catches a full scan', () => {
    const d = plan('SELECT * FROM network n WHERE n.http_path = ?', ['/x']);
    expect(fullScans(d, ALIASES)).toHaveLength(1);
  });
});
