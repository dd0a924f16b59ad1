import { describe, expect, it } from 'vitest';
import type { LogGroup, LogStepSpan } from '../../shared/api';
import { buildRowModel, hiddenRanges } from '../../renderer/src/log/row-model';
import { MAX_SCROLL_PX, scrollTopFor, virtualWindow } from '../../renderer/src/virtual/window';

const step = (id: number, first: number, last: number): LogStepSpan => ({
  step_id: id,
  job: 'test',
  number: id,
  name: `Step ${id}`,
  first,
  last,
});

/** The same display rows, computed line by line (the slow, obvious way). */
function naive(total: number, steps: LogStepSpan[], groups: LogGroup[], folded: Set<number>) {
  const hidden = new Set<number>();
  for (const g of groups) if (folded.has(g.start)) for (let i = g.start + 1; i <= g.end; i++) hidden.add(i);
  const rows: string[] = [];
  for (let i = 0; i < total; i++) {
    const s = steps.find((x) => x.first === i);
    if (s && !hidden.has(i)) rows.push(`step ${s.step_id}`);
    if (!hidden.has(i)) rows.push(`line ${i}`);
  }
  return rows;
}

describe('build log row model', () => {
  const steps = [step(1, 0, 9), step(2, 10, 29), step(3, 30, 49)];
  const groups: LogGroup[] = [
    { start: 2, end: 5, depth: 0 },
    { start: 12, end: 25, depth: 0 },
    { start: 14, end: 18, depth: 1 },
    { start: 40, end: 49, depth: 0 },
  ];

  for (const folded of [[], [2], [12], [14], [12, 14], [2, 12, 40], [40]]) {
    it(`maps rows and lines both ways with groups ${JSON.stringify(folded)} folded`, () => {
      const f = new Set(folded);
      const m = buildRowModel(50, steps, hiddenRanges(groups, f));
      const expected = naive(50, steps, groups, f);
      const got: string[] = [];
      for (let r = 0; r < m.rowCount; r++) {
        const d = m.rowAt(r)!;
        got.push(d.kind === 'step' ? `step ${d.step.step_id}` : `line ${d.index}`);
      }
      expect(got).toEqual(expected);
      expect(m.rowAt(m.rowCount)).toBeNull();
      for (let i = 0; i < 50; i++) {
        const row = m.rowOfLine(i);
        const d = m.rowAt(row)!;
        // A visible line maps to itself; a folded one to the header line of the group that hides it.
        if (expected.includes(`line ${i}`)) expect(d).toEqual({ kind: 'line', index: i });
        else {
          expect(d.kind).toBe('line');
          const header = (d as { index: number }).index;
          expect(groups.some((g) => g.start === header && f.has(header) && i > g.start && i <= g.end)).toBe(true);
        }
      }
      for (const s of steps) expect(m.rowAt(m.rowOfStep(s.step_id))).toEqual({ kind: 'step', step: s });
    });
  }

  it('handles lines outside any step and an empty log', () => {
    const m = buildRowModel(10, [step(1, 5, 9)], []);
    expect(m.rowCount).toBe(11);
    expect(m.rowAt(5)).toEqual({ kind: 'step', step: step(1, 5, 9) });
    expect(m.rowOfLine(5)).toBe(6);
    expect(buildRowModel(0, [], []).rowCount).toBe(0);
  });

  it('stays a short segment list for a million lines', () => {
    const many = Array.from({ length: 10 }, (_, i) => step(i + 1, i * 100_000, i * 100_000 + 99_999));
    const gs = Array.from({ length: 1000 }, (_, i): LogGroup => ({ start: i * 1000, end: i * 1000 + 999, depth: 0 }));
    const m = buildRowModel(1_000_000, many, hiddenRanges(gs, new Set(gs.map((g) => g.start))));
    expect(m.rowCount).toBe(1000 + 10); // every group folded to its header, plus 10 step headers
    expect(m.rowAt(m.rowOfLine(500_500))).toEqual({ kind: 'line', index: 500_000 });
  });
});

describe('virtual window', () => {
  it('draws only the rows in view plus overscan, positioned at their offset', () => {
    const w = virtualWindow(10_000, 20, 2000, 400, 5);
    expect(w.first).toBe(95);
    expect(w.count).toBe(126 - 95 + 1); // rows 100..120 in view (21 with the partial one), 5 each side
    expect(w.top).toBe(95 * 20);
    expect(w.height).toBe(200_000);
  });

  it('scales scrolling past MAX_SCROLL_PX and still reaches the first and last rows', () => {
    const n = 5_000_000,
      h = 18,
      vp = 540;
    const top = virtualWindow(n, h, 0, vp, 0);
    expect(top.first).toBe(0);
    expect(top.height).toBe(MAX_SCROLL_PX);
    const end = virtualWindow(n, h, MAX_SCROLL_PX - vp, vp, 0);
    expect(end.first + end.count - 1).toBe(n - 1);
    const mid = scrollTopFor(2_500_000, n, h, vp, 0);
    const w = virtualWindow(n, h, mid, vp, 0);
    expect(w.first).toBeLessThanOrEqual(2_500_000);
    expect(w.first + w.count).toBeGreaterThan(2_500_000);
    expect(w.count).toBeLessThan(40);
  });

  it('scrolls a row into view only as far as needed when not centering', () => {
    expect(scrollTopFor(5, 1000, 20, 200, 0, false)).toBe(0);
    expect(scrollTopFor(10, 1000, 20, 200, 0, false)).toBe(20);
    expect(scrollTopFor(30, 1000, 20, 200, 0, false)).toBe(31 * 20 - 200);
    expect(scrollTopFor(5, 1000, 20, 200, 400, false)).toBe(100);
  });
});
