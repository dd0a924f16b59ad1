/** The workbench's lists on the sample case: process list (sort, search, lifetimes), DNS, file events, read-only SQL. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { dnsList, filesList, processList, sqlQuery } from '../../electron/queries/evidence-lists';
import { methods, type ParsedParams } from '../../shared/api';
import { tempDir } from './import-helpers';

const SAMPLE = path.join(__dirname, '../../resources/sample-bundle');
let dir: string;
let db: Db;
beforeAll(async () => {
  dir = tempDir('rl-lists-');
  const summary = await runImport({ inputs: [SAMPLE], casePath: path.join(dir, 'sample.runlens') });
  db = openCaseReadOnly(summary.case);
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const P = <M extends 'process.list' | 'dns.list' | 'files.list' | 'sql.query'>(m: M, p: unknown): ParsedParams<M> =>
  methods[m].params.parse(p) as ParsedParams<M>;

describe('process.list', () => {
  it('lists every process, sorted as asked, with lifetimes and steps', () => {
    const n = (db.prepare('SELECT count(*) AS n FROM processes').get() as { n: number }).n;
    const all = processList(db, P('process.list', { limit: 1000 }));
    expect(all.total).toBe(n);
    expect(all.rows).toHaveLength(n);
    const starts = all.rows.map((r) => r.start).filter((s): s is string => s !== null);
    expect(starts).toEqual([...starts].sort());
    const byPid = processList(db, P('process.list', { sort: 'pid', dir: 'desc', limit: 1000 })).rows.map((r) => r.pid);
    expect(byPid).toEqual([...byPid].sort((a, b) => b - a));
    const curl = all.rows.find((r) => r.name === 'curl')!;
    expect(curl.pid).toBe(1827);
    expect(curl.calls).toBeGreaterThan(0);
    expect(curl.findings).toBeGreaterThan(0);
    expect(curl.step_number).toBe(4);
    expect(all.rows.some((r) => r.lifetime_ms !== null && r.lifetime_ms >= 0)).toBe(true);
  });
  it('searches by name, arguments or pid', () => {
    expect(processList(db, P('process.list', { search: 'curl' })).rows.map((r) => r.pid)).toContain(1827);
    expect(processList(db, P('process.list', { search: '1827' })).rows.map((r) => r.pid)).toContain(1827);
    expect(processList(db, P('process.list', { search: 'no-such-process-x' })).total).toBe(0);
  });
});

describe('dns.list and files.list', () => {
  it('list the resolutions and the file events in time order', () => {
    const d = dnsList(db, P('dns.list', { limit: 1000 }));
    const nd = (db.prepare('SELECT count(*) AS n FROM dns').get() as { n: number }).n;
    expect(d.total).toBe(nd);
    expect(d.rows.map((r) => r.ts)).toEqual([...d.rows.map((r) => r.ts)].sort());
    const f = filesList(db, P('files.list', { limit: 1000 }));
    expect(f.total).toBe((db.prepare('SELECT count(*) AS n FROM file_events').get() as { n: number }).n);
    if (f.rows.length) expect(filesList(db, P('files.list', { search: f.rows[0]!.path })).rows.map((r) => r.id)).toContain(f.rows[0]!.id);
  });
});

describe('sql.query', () => {
  it('answers a SELECT with a row cap', () => {
    const r = sqlQuery(db, P('sql.query', { sql: 'SELECT id, domain FROM network ORDER BY id', limit: 5 }));
    expect(r.columns).toEqual(['id', 'domain']);
    expect(r.rows).toHaveLength(5);
    expect(r.truncated).toBe(true);
    expect(r.rows[0]![0]).toBe(1);
  });
  it('refuses anything that writes', () => {
    expect(() => sqlQuery(db, P('sql.query', { sql: 'DELETE FROM network' }))).toThrow(/sql:/);
    expect(() => sqlQuery(db, P('sql.query', { sql: "UPDATE network SET domain = 'x'" }))).toThrow(/sql:/);
    expect(() => sqlQuery(db, P('sql.query', { sql: 'SELEC nonsense' }))).toThrow(/sql:/);
    expect((db.prepare('SELECT count(*) AS n FROM network').get() as { n: number }).n).toBeGreaterThan(0);
  });
});
