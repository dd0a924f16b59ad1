/**
 * `network.density` (filter hits on the timeline and the calls table's gutter) and `notes.marks` (notes on the
 * timeline) on the sample bundle imported by the real importer: the hit counts per bucket are exactly the filtered
 * calls (`network.query` with the same filter), the plan reads the ts index, and each note's moment is its target's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuery } from '../../electron/api/dispatch';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { runImport } from '../../electron/import/run-import';
import { addNote } from '../../electron/notes/notes';
import { CALL_DENSITY_SQL } from '../../electron/queries/network-list';
import type { Result } from '../../shared/api';
import { parseRfc3339 } from '../../shared/time';
import { tempDir } from './import-helpers';

const SAMPLE = fileURLToPath(new URL('../../resources/sample-bundle', import.meta.url));
let dir: string;
let casePath: string;
let db: Db;
beforeAll(async () => {
  dir = tempDir('rl-density-notes-');
  casePath = path.join(dir, 'sample.runlens');
  await runImport({ inputs: [SAMPLE], casePath });
  db = openCaseReadOnly(casePath);
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const q = <M extends 'network.query' | 'network.density' | 'notes.marks'>(m: M, p: object) => answerQuery(db, m, p) as Result<M>;

describe('network.density', () => {
  it('counts exactly the calls the same filter lists, in the right buckets', () => {
    for (const filter of [{ expr: 'domain:exfil' }, { findingsOnly: true }, { expr: 'method:POST AND -domain:github.com' }, {}]) {
      const rows = q('network.query', { filter, limit: 1000 }).rows;
      const start = rows.length ? rows[0]!.ts : '2026-10-14T09:00:00Z';
      const k = 28; // ~268 ms buckets
      const d = q('network.density', { filter, start, bucket_log2: k, buckets: 2000 });
      const want = new Map<number, number>();
      const s = parseRfc3339(start);
      for (const r of rows) {
        const b = Number((parseRfc3339(r.ts) - s) >> BigInt(k));
        want.set(b, (want.get(b) ?? 0) + 1);
      }
      expect(new Map(d.hits.b.map((b, i) => [b, d.hits.n[i]!])), JSON.stringify(filter)).toEqual(want);
      expect(d.hits.n.reduce((a, b) => a + b, 0)).toBe(rows.length);
    }
    // the sample's four exfil calls
    expect(q('network.density', { filter: { expr: 'domain:exfil' }, start: '2026-10-14T09:00:00Z', bucket_log2: 40, buckets: 4 }).hits.n).toEqual([4]);
  });

  it('reads the network ts index (no scan, no sort of calls)', () => {
    // the statement network-list.ts prepares: unfiltered (read off the index alone), and with Findings only
    for (const [from, cond, args] of [
      ['FROM network n', 'WHERE', []],
      ['FROM network n', 'WHERE n.finding_id IS NOT NULL AND', []],
    ] as const) {
      const d = (db.prepare(`EXPLAIN QUERY PLAN ${CALL_DENSITY_SQL(from, cond)}`).all(0, 20, ...args, 0, 1e18) as { detail: string }[]).map((r) => r.detail);
      expect(d.some((x) => /SEARCH n USING (COVERING )?INDEX network_(ts|finding)/.test(x)), d.join(' | ')).toBe(true);
      expect(d.filter((x) => /^SCAN n\b/.test(x)), d.join(' | ')).toEqual([]);
    }
  });
});

describe('notes.marks', () => {
  it("gives each note its target's moment and what selecting it selects", () => {
    const call = q('network.query', { filter: { expr: 'domain:=telemetry.exfil.example' } }).rows[0]!;
    const finding = call.finding_id!;
    const line = db.prepare("SELECT id, ts FROM log_lines WHERE text LIKE '%sending install telemetry%'").safeIntegers(true).get() as { id: bigint; ts: bigint };
    const step = db.prepare('SELECT id FROM steps WHERE number = 4').get() as { id: number };
    addNote(db, casePath, { target: { kind: 'call', id: call.id }, verdict: 'malicious', text: 'exfil' });
    addNote(db, casePath, { target: { kind: 'log', id: Number(line.id) }, verdict: null, text: '' });
    addNote(db, casePath, { target: { kind: 'finding', id: finding }, verdict: 'suspicious', text: '' });
    addNote(db, casePath, { target: { kind: 'step', id: step.id }, verdict: null, text: 'npm ci' });
    addNote(db, casePath, { target: { kind: 'range', start: '2026-10-14T09:12:30Z', end: '2026-10-14T09:12:40Z' }, verdict: null, text: '' });
    const marks = q('notes.marks', {}).marks;
    const by = (k: string) => marks.find((m) => m.target.kind === k)!;
    expect([by('call').ts, by('call').select]).toEqual([call.ts, { kind: 'call', id: call.id }]);
    expect(by('log').select).toEqual({ kind: 'log', id: Number(line.id) });
    expect(parseRfc3339(by('log').ts!)).toBe(line.ts);
    expect(by('finding').select).toEqual({ kind: 'call', id: call.id }); // the finding's first call
    const started = (answerQuery(db, 'steps.list', {}) as Result<'steps.list'>).steps.find((s) => s.id === step.id)!.started_at;
    expect(started).not.toBeNull();
    expect(by('step').ts).toBe(started);
    expect(by('step').select).toBeNull();
    expect([by('range').ts, by('range').select]).toEqual(['2026-10-14T09:12:30.000000000Z', null]);
  });
});
