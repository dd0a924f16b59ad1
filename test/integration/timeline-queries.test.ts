import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { densitySql, processCalls, timelineDensity, timelineSteps } from '../../electron/queries/timeline';
import { parseParams, timelineSeries, type TimelineSeries } from '../../shared/api';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { at, S, seedCase, T0, type SeededCase } from './timeline-seed';

let seeded: SeededCase;
let db: Db;
beforeAll(() => {
  seeded = seedCase();
  db = openCaseReadOnly(seeded.file);
});
afterAll(() => {
  db.close();
  seeded.cleanup();
});

/** Brute force: the same buckets computed in JS from the rows' times. */
function expected(times: bigint[], start: bigint, log2: number, buckets: number): Map<number, number> {
  const w = 1n << BigInt(log2);
  const out = new Map<number, number>();
  for (const t of times) {
    if (t < start || t >= start + w * BigInt(buckets)) continue;
    const b = Number((t - start) / w);
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

describe('timeline.density', () => {
  const cases: [string, bigint, number, number][] = [
    ['whole run, 2^24 ns buckets', T0 - S, 24, 2000],
    ['whole run, 2^30 ns buckets', T0, 30, 40],
    ['a window starting mid-run', at(6.6), 20, 500],
    ['a window holding nothing', at(100), 20, 100],
  ];
  for (const [label, start, log2, buckets] of cases) {
    it(`matches a brute-force count per bucket: ${label}`, () => {
      const p = parseParams<'timeline.density'>('timeline.density', { start: formatNanos(start), bucket_log2: log2, buckets }).params;
      const r = timelineDensity(db, p);
      expect(r.bucket_log2).toBe(log2);
      for (const s of timelineSeries) {
        const got = r.series[s]!;
        const want = expected(seeded.times[s as TimelineSeries], start, log2, buckets);
        expect(new Map(got.b.map((b, i) => [b, got.n[i]!]))).toEqual(want);
        expect([...got.b]).toEqual([...got.b].sort((a, b) => a - b));
      }
    });
  }

  it('counts an event at the window start and leaves out one at its end', () => {
    const log2 = 20;
    const start = at(6.7); // exactly the finding's call
    const p = parseParams<'timeline.density'>('timeline.density', {
      start: formatNanos(start),
      bucket_log2: log2,
      buckets: Number((at(14.0) - start) >> BigInt(log2)),
      series: ['findings'],
    }).params;
    const r = timelineDensity(db, p);
    expect(Object.keys(r.series)).toEqual(['findings']);
    expect(r.series.findings).toEqual({ b: [0], n: [1] });
  });

  it('keeps nanosecond precision beyond 2^53 (bucket 0 is exactly [start, start+1ns))', () => {
    const p = parseParams<'timeline.density'>('timeline.density', { start: formatNanos(at(6.7)), bucket_log2: 0, buckets: 1, series: ['network'] }).params;
    expect(timelineDensity(db, p).series.network).toEqual({ b: [0], n: [1] });
    const q = parseParams<'timeline.density'>('timeline.density', { start: formatNanos(at(6.7) + 1n), bucket_log2: 0, buckets: 1, series: ['network'] }).params;
    expect(timelineDensity(db, q).series.network).toEqual({ b: [], n: [] });
  });

  it('groups on the ts index for every series (no table scan)', () => {
    for (const s of timelineSeries) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${densitySql(s)}`)
        .all({ start: T0, end: T0 + S, shift: 20n }) as { detail: string }[];
      const text = plan.map((r) => r.detail).join(' | ');
      expect(text, s).toMatch(/USING (COVERING )?INDEX \w+_ts/);
      expect(text, s).not.toMatch(/SCAN \w+(?! USING)/);
    }
  });

  it('rejects a bad start time with a message, and too many buckets at the boundary', () => {
    const p = parseParams<'timeline.density'>('timeline.density', { start: '2026-10-14T09:12:03', bucket_log2: 10, buckets: 10 }).params;
    expect(() => timelineDensity(db, p)).toThrow(/start: timestamp has no zone/);
    expect(() => parseParams('timeline.density', { start: formatNanos(T0), bucket_log2: 10, buckets: 1e6 })).toThrow(/buckets/);
    expect(() => parseParams('timeline.density', { start: formatNanos(T0), bucket_log2: 99, buckets: 10 })).toThrow(/bucket_log2/);
  });
});

describe('timeline.steps', () => {
  it('gives the range, the step windows and the findings with their first call', () => {
    const r = timelineSteps(db);
    expect(r.range).toEqual({ start: formatNanos(T0), end: formatNanos(at(25)) });
    expect(r.steps.map((s) => [s.number, s.name])).toEqual([
      [1, 'Set up job'],
      [2, 'Run actions/checkout@v4'],
      [3, 'Run npm ci'],
      [4, 'Run npm test'],
    ]);
    expect(parseRfc3339(r.steps[2]!.start!)).toBe(at(4));
    expect(parseRfc3339(r.steps[2]!.end!)).toBe(at(12));
    expect(r.findings.map((f) => [f.endpoint, f.calls, f.first_seen])).toEqual([
      ['telemetry.exfil.example:443', 1, formatNanos(at(6.7))],
      ['beacon.exfil.example:443', 3, formatNanos(at(14))],
    ]);
    const first = db.prepare('SELECT ts FROM network WHERE id = ?').safeIntegers(true).get(r.findings[1]!.first_call_id) as { ts: bigint };
    expect(first.ts).toBe(at(14));
  });
});

describe('process.calls', () => {
  it('lists one process instance’s call times, not those of another instance with the same pid', () => {
    const beacon = processCalls(db, parseParams<'process.calls'>('process.calls', { id: 7 }).params);
    expect(beacon.total).toBe(3);
    expect(beacon.calls.map((c) => c.ts)).toEqual([at(14), at(18), at(22)].map(formatNanos));
    expect(beacon.calls.every((c) => c.finding_id === 2)).toBe(true);
    const curl = processCalls(db, parseParams<'process.calls'>('process.calls', { id: 6 }).params);
    expect(curl.calls.map((c) => [c.ts, c.finding_id])).toEqual([[formatNanos(at(6.7)), 1]]);
    const reused = processCalls(db, parseParams<'process.calls'>('process.calls', { id: 10 }).params);
    expect(reused.calls.map((c) => c.ts)).toEqual([formatNanos(at(13.5))]);
  });

  it('honours the limit but reports the total, and names an unknown process', () => {
    const r = processCalls(db, parseParams<'process.calls'>('process.calls', { id: 7, limit: 2 }).params);
    expect(r.total).toBe(3);
    expect(r.calls).toHaveLength(2);
    expect(() => processCalls(db, parseParams<'process.calls'>('process.calls', { id: 999 }).params)).toThrow('no process with id 999');
  });
});
