/**
 * `mentions.list` ("Mentioned in log" in the app) on a case the real importer built from a real GitHub log archive
 * (test/fixtures/gha/lewis-dimun_logs_47738665835.zip). Figures read off its 0_test.txt by hand (`grep -n`):
 * github.com in lines of step 1 "Set up job" (2: "Included Software: …", "Image Release: …"), step 2 "Run
 * actions/checkout@v4" (4) and step 24 "Post Run actions/checkout@v4" (3); jestjs.io in 4 lines of step 6; tsx.is in
 * 2 lines of step 4. And the plans: the per-host list reads the mention index, never the whole log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuery } from '../../electron/api/dispatch';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { MENTION_HOSTS_SQL, MENTION_LINE_SQL, MENTION_STEPS_SQL, mentionsList } from '../../electron/queries/log-mentions';
import type { MentionRow, Result } from '../../shared/api';
import { tempDir } from './import-helpers';

const LEWIS = fileURLToPath(new URL('../fixtures/gha/lewis-dimun_logs_47738665835.zip', import.meta.url));
let dir: string;
let db: Db;
beforeAll(async () => {
  dir = tempDir('rl-mentions-');
  const casePath = path.join(dir, 'lewis.runlens');
  await runImport({ inputs: [LEWIS], casePath });
  db = openCaseReadOnly(casePath);
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const list = (p: object) => answerQuery(db, 'mentions.list', p) as Result<'mentions.list'>;
const lineText = (id: number) => (db.prepare('SELECT text FROM log_lines WHERE id = ?').get(id) as { text: string }).text;

describe('mentions.list on a real archive', () => {
  it('one row per host with its lines, steps in reading order and first line', () => {
    const all = list({});
    const gh = all.rows.find((r) => r.host === 'github.com')!;
    expect(gh.lines).toBe(9);
    expect(gh.steps.map((s) => [s.step_number, s.step_name, s.lines])).toEqual([
      [1, 'Set up job', 2],
      [2, 'Run actions/checkout@v4', 4],
      [24, 'Post Run actions/checkout@v4', 3],
    ]);
    expect(gh.step_count).toBe(3);
    expect(lineText(gh.first_line_id)).toMatch(/^Included Software: https:\/\/github\.com\/actions\/runner-images\//);
    expect(gh.first_ts).toBe('2025-10-16T08:54:24.467138600Z');
    expect(lineText(gh.steps[2]!.first_line_id)).toBe('http.https://github.com/.extraheader');
    expect(gh.kinds).toEqual(['url']);
    // first-mention order (the default): github.com (step 1), tsx.is (step 4), jestjs.io (step 6)
    const hosts = all.rows.map((r) => r.host);
    expect(hosts.indexOf('github.com')).toBeLessThan(hosts.indexOf('tsx.is'));
    expect(hosts.indexOf('tsx.is')).toBeLessThan(hosts.indexOf('jestjs.io'));
    // the total is the distinct hosts of the index, and a page is a window of it
    const n = (db.prepare('SELECT count(DISTINCT host) AS n FROM log_mentions').get() as { n: number }).n;
    expect(all.total).toBe(n);
    const page = list({ offset: 1, limit: 2 });
    expect(page.total).toBe(n);
    expect(page.rows.map((r) => r.host)).toEqual(hosts.slice(1, 3));
  });

  it('filters by substring and by exact host (any case); sorts by host and by count', () => {
    const jest = list({ search: 'JEST' });
    expect(jest.total).toBe(1);
    const j: MentionRow = jest.rows[0]!;
    expect([j.host, j.lines, j.steps.map((s) => s.step_name)]).toEqual(['jestjs.io', 4, ['Run Jest tests']]);
    expect(lineText(j.first_line_id)).toContain('https://jestjs.io/docs/ecmascript-modules');
    expect(list({ host: 'GitHub.com' }).rows.map((r) => r.host)).toEqual(['github.com']);
    expect(list({ host: 'hub.com' }).total).toBe(0); // exact: not a suffix
    // the hosts one line mentions: "Included Software: https://github.com/…" names github.com alone
    const gh = list({ host: 'github.com' }).rows[0]!;
    expect(list({ line: gh.first_line_id }).rows.map((r) => [r.host, r.lines])).toEqual([['github.com', 9]]);
    const plain = (db.prepare("SELECT id FROM log_lines WHERE text = 'Ubuntu'").get() as { id: number }).id;
    expect(list({ line: plain }).total).toBe(0);
    expect(list({ search: '%' }).total).toBe(0); // LIKE wildcards are literal
    const byHost = list({ sort: 'host' }).rows.map((r) => r.host);
    expect(byHost).toEqual([...byHost].sort());
    const byCount = list({ sort: 'count' }).rows;
    expect(byCount[0]!.host).toBe('github.com');
    for (let i = 1; i < byCount.length; i++) expect(byCount[i - 1]!.mentions).toBeGreaterThanOrEqual(byCount[i]!.mentions);
  });
});

describe('mentions.lines', () => {
  it("one host's lines in reading order, with their times and steps", () => {
    const r = answerQuery(db, 'mentions.lines', { host: 'JESTJS.IO' }) as Result<'mentions.lines'>;
    expect(r.total).toBe(4);
    expect(r.lines.map((l) => l.id)).toEqual([...r.lines.map((l) => l.id)].sort((a, b) => a - b));
    expect(lineText(r.lines[0]!.id)).toContain('https://jestjs.io/docs/ecmascript-modules');
    expect(new Set(r.lines.map((l) => l.step_id)).size).toBe(1);
    const two = answerQuery(db, 'mentions.lines', { host: 'github.com', limit: 2 }) as Result<'mentions.lines'>;
    expect([two.total, two.lines.length]).toEqual([9, 2]);
  });
});

describe('mentions.list from memory equals mentions.list in SQL', () => {
  it('every sort, search and window', () => {
    for (const sort of ['first', 'host', 'count'] as const)
      for (const search of [undefined, 'o', 'JEST', 'nothing-like-this'])
        for (const [offset, limit] of [[0, 200], [1, 2], [4, 10]] as const) {
          const p = { sort, search, offset, limit };
          expect(mentionsList(db, p), JSON.stringify(p)).toEqual(mentionsList(db, p, { inSql: true }));
        }
  });
});

describe('mentions.list plans: the mention index, never a scan of the log', () => {
  const plan = (sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  const noLogScan = (d: string[]) => expect(d.filter((x) => /^SCAN (l|log_lines)\b/.test(x)), d.join(' | ')).toEqual([]);

  it('hosts in host order: streamed from log_mentions_host, no sort, stops after the page', () => {
    const d = plan(MENTION_HOSTS_SQL('', 'm.host'), [200, 0]);
    expect(d.some((x) => /USING (COVERING )?INDEX log_mentions_host/.test(x)), d.join(' | ')).toBe(true);
    // (the per-host DISTINCTs keep a small B-tree per group; no sort of the groups or of the mentions)
    expect(d.filter((x) => /TEMP B-TREE FOR (ORDER|GROUP) BY/.test(x)), d.join(' | ')).toEqual([]);
    noLogScan(d);
  });
  it('hosts by first mention: grouped on the index, only the groups sorted', () => {
    const d = plan(MENTION_HOSTS_SQL('', 'first_line, m.host'), [200, 0]);
    expect(d.some((x) => /USING (COVERING )?INDEX log_mentions_host/.test(x)), d.join(' | ')).toBe(true);
    expect(d.filter((x) => /TEMP B-TREE FOR GROUP BY/.test(x)), d.join(' | ')).toEqual([]);
    noLogScan(d);
  });
  it("one host's steps: its mentions by index, their lines by primary key", () => {
    const d = plan(MENTION_STEPS_SQL, ['github.com']);
    expect(d.some((x) => /SEARCH m USING INDEX log_mentions_host \(host=\?\)/.test(x)), d.join(' | ')).toBe(true);
    expect(d.some((x) => /SEARCH l USING INTEGER PRIMARY KEY/.test(x)), d.join(' | ')).toBe(true);
    noLogScan(d);
    expect(plan(MENTION_LINE_SQL, [1]).join(' ')).toMatch(/INTEGER PRIMARY KEY/);
  });
});
