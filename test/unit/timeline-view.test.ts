import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  bucketLog2For,
  clampView,
  covers,
  fetchWindowFor,
  MAX_BUCKETS,
  MIN_SPAN_NS,
  panBy,
  span,
  tOf,
  windowKey,
  xOf,
  zoomAt,
  type TimeView,
} from '../../renderer/src/panes/timeline/time-view';
import { clockLabel, formatSpan, fractionDigits, ticks, tickStep } from '../../renderer/src/panes/timeline/time-ticks';
import { parseRfc3339 } from '../../shared/time';

const S = 1e9;
const bounds: TimeView = { start: 0, end: 110 * S };

describe('scales', () => {
  it('maps time to x and back', () => {
    const v = { start: 10 * S, end: 20 * S };
    expect(xOf(v, 1000, 15 * S)).toBe(500);
    expect(tOf(v, 1000, 250)).toBe(12.5 * S);
    expect(tOf(v, 1000, xOf(v, 1000, 17.3 * S))).toBeCloseTo(17.3 * S, -1);
  });

  it('zooms around the anchor, keeping it at the same x', () => {
    const v = { start: 10 * S, end: 20 * S };
    const z = zoomAt(v, 2, 12 * S, bounds);
    expect(span(z)).toBe(5 * S);
    expect(xOf(z, 1000, 12 * S)).toBeCloseTo(xOf(v, 1000, 12 * S), 6);
    const out = zoomAt(z, 0.5, 12 * S, bounds);
    expect(out.start).toBeCloseTo(v.start, 0);
    expect(out.end).toBeCloseTo(v.end, 0);
  });

  it('never zooms past the bounds or below the minimum span', () => {
    const all = zoomAt({ start: 10 * S, end: 20 * S }, 1e-6, 15 * S, bounds);
    expect(all).toEqual(bounds);
    const tiny = zoomAt({ start: 10 * S, end: 20 * S }, 1e12, 15 * S, bounds);
    expect(span(tiny)).toBe(MIN_SPAN_NS);
    expect(tiny.start).toBeLessThanOrEqual(15 * S);
    expect(tiny.end).toBeGreaterThanOrEqual(15 * S);
  });

  it('pans and stops at the ends without shrinking', () => {
    const v = { start: 10 * S, end: 20 * S };
    expect(panBy(v, 5 * S, bounds)).toEqual({ start: 15 * S, end: 25 * S });
    expect(panBy(v, -50 * S, bounds)).toEqual({ start: 0, end: 10 * S });
    expect(panBy(v, 500 * S, bounds)).toEqual({ start: 100 * S, end: 110 * S });
  });

  it('pads the case range so the first and last events are inside', () => {
    const b = boundsOf(100 * S);
    expect(b.start).toBeLessThan(0);
    expect(b.end).toBeGreaterThan(100 * S);
    expect(clampView({ start: NaN, end: NaN }, b)).toEqual(b);
    // an empty or single-instant case still gets a usable window
    const z = boundsOf(0);
    expect(span(z)).toBeGreaterThanOrEqual(MIN_SPAN_NS);
  });
});

describe('bucket quantization', () => {
  it('picks the smallest power of two ns-per-bucket at or above ns-per-pixel', () => {
    expect(bucketLog2For(1024, 1024)).toBe(0);
    expect(bucketLog2For(1000, 2000)).toBe(0);
    expect(bucketLog2For(2048, 1024)).toBe(1);
    expect(bucketLog2For(2049, 1024)).toBe(2);
    expect(bucketLog2For(110 * S, 1200)).toBe(Math.ceil(Math.log2((110 * S) / 1200)));
    for (const [s, w] of [
      [3e9, 800],
      [7.7e6, 1333],
      [1e14, 300],
    ]) {
      const k = bucketLog2For(s!, w!);
      expect(2 ** k).toBeGreaterThanOrEqual(s! / w!);
      expect(2 ** (k - 1)).toBeLessThan(s! / w!);
    }
  });

  it('fetches about three view widths, aligned to the bucket grid', () => {
    const v = { start: 30 * S, end: 40 * S };
    const w = fetchWindowFor(v, 1000);
    const bucket = 2 ** w.bucketLog2;
    expect(w.start % bucket).toBe(0);
    expect(w.start).toBeLessThanOrEqual(v.start - span(v));
    expect(w.start + w.buckets * bucket).toBeGreaterThanOrEqual(v.end + span(v));
    expect(w.buckets).toBeLessThanOrEqual(4 * 1000);
    expect(covers(w, v)).toBe(true);
  });

  it('gives the same window (a cache hit) for small pans and zooms within a power of two', () => {
    const v = { start: 30 * S, end: 40 * S };
    const base = windowKey(fetchWindowFor(v, 1000));
    let same = 0;
    for (let i = 1; i <= 20; i++) if (windowKey(fetchWindowFor(panBy(v, i * 0.01 * S, bounds), 1000)) === base) same++;
    expect(same).toBeGreaterThanOrEqual(15);
    // zooming out by 2x changes the bucket size: a new window
    expect(fetchWindowFor(zoomAt(v, 0.5, 35 * S, bounds), 1000).bucketLog2).toBe(fetchWindowFor(v, 1000).bucketLog2 + 1);
    // a pan by a whole view leaves the old window uncovered
    expect(covers(fetchWindowFor(v, 1000), panBy(v, 30 * S, bounds))).toBe(false);
  });

  it('stays within the API bucket limit for a very wide canvas', () => {
    const w = fetchWindowFor({ start: 0, end: 110 * S }, 8000);
    expect(w.buckets).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});

describe('axis ticks', () => {
  const origin = parseRfc3339('2026-10-14T09:12:03.100000000Z');

  it('chooses 1-2-5 steps, then clock steps', () => {
    expect(tickStep(10 * S, 1000, 100)).toBe(1 * S);
    expect(tickStep(10 * S, 1000, 150)).toBe(2 * S);
    expect(tickStep(600 * S, 1000, 100)).toBe(60 * S);
    expect(tickStep(1000, 1000, 100)).toBe(100);
  });

  it('puts ticks on wall-clock multiples of the step', () => {
    const { step, at } = ticks({ start: 0, end: 10 * S }, 1000, origin, 100);
    expect(step).toBe(S);
    // the first whole second after 09:12:03.1 is 09:12:04, 0.9 s after the origin
    expect(at[0]).toBe(0.9 * S);
    expect(at.map((t) => clockLabel(origin, t, fractionDigits(step)))).toEqual([
      '09:12:04',
      '09:12:05',
      '09:12:06',
      '09:12:07',
      '09:12:08',
      '09:12:09',
      '09:12:10',
      '09:12:11',
      '09:12:12',
      '09:12:13',
    ]);
  });

  it('labels sub-second ticks with the digits they need', () => {
    const { step, at } = ticks({ start: 0, end: 2e6 }, 1000, origin, 100);
    expect(step).toBe(200_000);
    expect(clockLabel(origin, at[1]!, fractionDigits(step))).toBe('09:12:03.100200');
    expect(clockLabel(origin, 5, 9)).toBe('09:12:03.100000005');
  });

  it('formats spans', () => {
    expect(formatSpan(1.5 * S)).toBe('1.5 s');
    expect(formatSpan(250e6)).toBe('250 ms');
    expect(formatSpan(200 * S)).toBe('3 min 20 s');
    expect(formatSpan(12)).toBe('12 ns');
  });
});
