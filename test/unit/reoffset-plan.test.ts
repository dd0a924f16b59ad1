/**
 * planOffsets: which sources get which offset in force when offsets are applied after the import (the offsets are
 * totals; a container's offset reaches every member, nested archives too; a member's own offset wins).
 */
import { describe, expect, it } from 'vitest';
import { OffsetError, planOffsets, secondsToNs, type SourceOffsetRow } from '../../electron/analysis/shift-sources';

const src = (id: number, parent: number | null, format: string | null, offset = 0n): SourceOffsetRow => ({
  id,
  parent_id: parent,
  path: `p${id}`,
  member: parent === null ? null : `m${id}`,
  format,
  sha256: `h${id}`,
  offset_ns: offset,
});

// 1: a bundle folder; 2,3: files in it; 4: a zip in it; 5,6: files in the zip. 7: a lone log file input.
const SOURCES = [
  src(1, null, null),
  src(2, 1, 'bundle-network'),
  src(3, 1, 'bundle-dns'),
  src(4, 1, null),
  src(5, 4, 'gha-log'),
  src(6, 4, 'gha-log', 1_000_000_000n),
  src(7, null, 'gha-log'),
];

const plan = (req: { source_id: number; seconds: number }[]) =>
  planOffsets(SOURCES, req).map((c) => [c.source.id, c.from_ns, c.to_ns, c.delta_ns]);

describe('planOffsets', () => {
  it('moves one source by the difference between the new total and the offset in force', () => {
    expect(plan([{ source_id: 2, seconds: 2.5 }])).toEqual([[2, 0n, 2_500_000_000n, 2_500_000_000n]]);
    expect(plan([{ source_id: 6, seconds: -0.25 }])).toEqual([[6, 1_000_000_000n, -250_000_000n, -1_250_000_000n]]);
  });

  it("gives a container's offset to every source below it, nested archives included", () => {
    expect(plan([{ source_id: 1, seconds: 3 }])).toEqual([
      [1, 0n, 3_000_000_000n, 3_000_000_000n],
      [2, 0n, 3_000_000_000n, 3_000_000_000n],
      [3, 0n, 3_000_000_000n, 3_000_000_000n],
      [4, 0n, 3_000_000_000n, 3_000_000_000n],
      [5, 0n, 3_000_000_000n, 3_000_000_000n],
      [6, 1_000_000_000n, 3_000_000_000n, 2_000_000_000n],
    ]);
  });

  it("lets a member's own offset win over its container's", () => {
    const out = plan([
      { source_id: 1, seconds: 3 },
      { source_id: 5, seconds: -1 },
    ]);
    expect(out.find((c) => c[0] === 5)).toEqual([5, 0n, -1_000_000_000n, -1_000_000_000n]);
    expect(out.find((c) => c[0] === 6)).toEqual([6, 1_000_000_000n, 3_000_000_000n, 2_000_000_000n]);
    expect(out.some((c) => c[0] === 7)).toBe(false);
  });

  it('leaves out sources already at the asked offset (applying twice changes nothing)', () => {
    expect(plan([{ source_id: 6, seconds: 1 }])).toEqual([]);
    expect(plan([{ source_id: 7, seconds: 0 }])).toEqual([]);
  });

  it('rounds seconds to whole nanoseconds', () => {
    expect(secondsToNs(0.000000001)).toBe(1n);
    expect(secondsToNs(-1.5)).toBe(-1_500_000_000n);
    expect(secondsToNs(3600.123456789)).toBe(3_600_123_456_789n);
  });

  it('refuses unknown sources, duplicates and offsets that are not sensible numbers', () => {
    expect(() => planOffsets(SOURCES, [{ source_id: 99, seconds: 1 }])).toThrow(
      new OffsetError('no source 99 in this case'),
    );
    expect(() =>
      planOffsets(SOURCES, [
        { source_id: 2, seconds: 1 },
        { source_id: 2, seconds: 2 },
      ]),
    ).toThrow(/given twice/);
    expect(() => planOffsets(SOURCES, [{ source_id: 2, seconds: Number.NaN }])).toThrow(
      /p2 must be a number of seconds/,
    );
    expect(() => planOffsets(SOURCES, [{ source_id: 2, seconds: 1e9 }])).toThrow(OffsetError);
  });

  it('survives a parent cycle in a damaged sources table', () => {
    const cyc = [src(1, 2, 'a'), src(2, 1, 'b')];
    expect(planOffsets(cyc, [{ source_id: 1, seconds: 1 }]).map((c) => c.source.id)).toEqual([1, 2]);
  });
});
