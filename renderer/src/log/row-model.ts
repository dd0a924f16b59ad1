/**
 * The build log's display rows: every log line in reading order, a header row before each step's first line, and
 * nothing for the lines inside a folded `##[group]` (its header line stays). Held as a short list of segments
 * (headers and runs of lines) with prefix sums, so mapping row <-> line is a binary search however long the log.
 */
import type { LogGroup, LogStepSpan } from '../../../shared/api';

export type DisplayRow = { kind: 'step'; step: LogStepSpan } | { kind: 'line'; index: number };

type Segment =
  { kind: 'step'; step: LogStepSpan; row: number } | { kind: 'lines'; from: number; to: number; row: number };

export interface RowModel {
  rowCount: number;
  rowAt(row: number): DisplayRow | null;
  /** The row showing line `index` (a folded line maps to its group's header line). */
  rowOfLine(index: number): number;
  /** The header row of a step. */
  rowOfStep(stepId: number): number;
}

/** Hidden line ranges [from, to] (inclusive) of the folded groups, merged. */
export function hiddenRanges(groups: LogGroup[], folded: ReadonlySet<number>): [number, number][] {
  const r = groups
    .filter((g) => folded.has(g.start) && g.end > g.start)
    .map((g): [number, number] => [g.start + 1, g.end])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const x of r) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1] + 1) last[1] = Math.max(last[1], x[1]);
    else out.push([x[0], x[1]]);
  }
  return out;
}

export function buildRowModel(total: number, steps: LogStepSpan[], hidden: [number, number][]): RowModel {
  const segs: Segment[] = [];
  const heads = [...steps].filter((s) => s.first >= 0 && s.first < total).sort((a, b) => a.first - b.first);
  let row = 0;
  let pos = 0;
  let h = 0; // next header
  let k = 0; // next hidden range
  while (pos < total) {
    while (k < hidden.length && hidden[k]![1] < pos) k++;
    const hid = hidden[k];
    if (hid && hid[0] <= pos) {
      pos = hid[1] + 1;
      continue;
    }
    while (h < heads.length && heads[h]!.first < pos) h++; // a header inside a folded range is not shown
    if (h < heads.length && heads[h]!.first === pos) {
      segs.push({ kind: 'step', step: heads[h]!, row: row++ });
      h++;
    }
    let stop = total;
    if (h < heads.length) stop = Math.min(stop, heads[h]!.first);
    if (hid) stop = Math.min(stop, hid[0]);
    segs.push({ kind: 'lines', from: pos, to: stop - 1, row });
    row += stop - pos;
    pos = stop;
  }
  const rowCount = row;

  const segAtRow = (r: number): Segment | undefined => {
    let lo = 0,
      hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segs[mid]!.row <= r) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  };
  const lineSegs = segs.filter((s): s is Extract<Segment, { kind: 'lines' }> => s.kind === 'lines');

  return {
    rowCount,
    rowAt(r) {
      if (r < 0 || r >= rowCount) return null;
      const s = segAtRow(r);
      if (!s) return null;
      return s.kind === 'step' ? { kind: 'step', step: s.step } : { kind: 'line', index: s.from + (r - s.row) };
    },
    rowOfLine(index) {
      // The last line segment starting at or before the line; a hidden line falls after it: clamp to its end.
      let lo = 0,
        hi = lineSegs.length - 1;
      if (hi < 0) return 0;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (lineSegs[mid]!.from <= index) lo = mid;
        else hi = mid - 1;
      }
      const s = lineSegs[lo]!;
      if (index < s.from) return s.row;
      return s.row + Math.min(index, s.to) - s.from;
    },
    rowOfStep(stepId) {
      const s = segs.find((x) => x.kind === 'step' && x.step.step_id === stepId);
      return s ? s.row : -1;
    },
  };
}
