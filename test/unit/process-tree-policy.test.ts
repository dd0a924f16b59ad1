import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  autoExpand,
  buildTreeIndex,
  DEFAULT_POLICY,
  pickChildren,
  visibleCut,
  type TreeRow,
} from '../../electron/queries/process-tree-policy';

const row = (id: number, parent_id: number | null, calls = 0, findings = 0): TreeRow => ({ id, parent_id, calls, findings });

describe('buildTreeIndex', () => {
  it('sums calls, findings and descendants up the tree', () => {
    const t = buildTreeIndex([row(1, null), row(2, 1, 1), row(3, 2, 2, 1), row(4, 2), row(5, 1, 4)]);
    const at = (id: number) => t.pos.get(id)!;
    expect(t.roots.map((i) => t.ids[i])).toEqual([1]);
    expect(t.descendants[at(1)]).toBe(4);
    expect(t.descendants[at(2)]).toBe(2);
    expect(t.subCalls[at(1)]).toBe(7);
    expect(t.subCalls[at(2)]).toBe(3);
    expect(t.subFindings[at(1)]).toBe(1);
    expect(t.subFindings[at(5)]).toBe(0);
    expect(t.depth[at(3)]).toBe(2);
    expect(ancestorsOf(t, at(3)).map((i) => t.ids[i])).toEqual([2, 1]);
  });

  it('makes roots of missing parents, self-parents and cycles instead of looping', () => {
    const t = buildTreeIndex([row(1, 99), row(2, 2), row(3, 4), row(4, 5), row(5, 3), row(6, 5, 1)]);
    const ids = t.roots.map((i) => t.ids[i]!).sort();
    expect(ids).toContain(1);
    expect(ids).toContain(2);
    // the cycle 3 -> 4 -> 5 -> 3 is broken at exactly one place
    expect(ids.filter((id) => id >= 3 && id <= 5)).toHaveLength(1);
    expect(t.roots.reduce((n, r) => n + 1 + t.descendants[r]!, 0)).toBe(6);
    expect(t.subCalls.reduce((a, b) => Math.max(a, b), 0)).toBe(1);
  });
});

/** A wide tree: a runner with `steps` step shells, each with `kids` children; a few chosen leaves call out. */
function wideTree(steps: number, kids: number, callers: Record<number, [number, number]>): TreeRow[] {
  const rows: TreeRow[] = [row(1, null)];
  let id = 2;
  for (let s = 0; s < steps; s++) {
    const shell = id++;
    rows.push(row(shell, 1));
    for (let k = 0; k < kids; k++) {
      const me = id++;
      const [c, f] = callers[me] ?? [0, 0];
      rows.push(row(me, shell, c, f));
    }
  }
  return rows;
}

describe('autoExpand (the collapse policy)', () => {
  it('expands everything in a small tree', () => {
    const t = buildTreeIndex(wideTree(3, 5, {}));
    const e = autoExpand(t);
    expect([...e].map((i) => t.ids[i]).sort((a, b) => a! - b!)).toEqual([1, 2, 8, 14]);
  });

  it('in a large tree, opens the chains to findings and calls and keeps the rest collapsed', () => {
    // 40 shells x 100 kids = 4041 processes; kid 205 (under shell 204) has a finding, kid 1500 has plain calls
    const rows = wideTree(40, 100, { 205: [2, 1], 1500: [5, 0] });
    const t = buildTreeIndex(rows);
    const parentOf = (id: number) => rows.find((r) => r.id === id)!.parent_id!;
    const e = new Set([...autoExpand(t)].map((i) => t.ids[i]!));
    expect(e.has(1)).toBe(true);
    expect(e.has(parentOf(205))).toBe(true);
    // the call chain fits within the budget only if the findings chain left room: 1 + 40 + 100 > 120 -> it does not
    expect(e.has(parentOf(1500))).toBe(false);
    expect(e.size).toBe(2);
    const cut = visibleCut(t, new Set([...e].map((id) => t.pos.get(id)!)), DEFAULT_POLICY.childLimit, new Set());
    expect(cut.nodes).toHaveLength(1 + 40 + 100);
    expect(cut.nodes.map((i) => t.ids[i])).toContain(205);
  });

  it('adds chains to callers while within budget, shallow ones first', () => {
    const rows = wideTree(30, 20, { 40: [3, 0], 300: [1, 0] }); // 631 processes
    const t = buildTreeIndex(rows);
    const e = new Set([...autoExpand(t)].map((i) => t.ids[i]));
    // runner (30 kids) + one shell (20 kids) = 51 visible <= 120; a second shell: 71 <= 120
    const shellOf = (id: number) => rows.find((r) => r.id === id)!.parent_id!;
    expect(e).toEqual(new Set([1, shellOf(40), shellOf(300)]));
  });

  it('always opens finding chains, even past the call budget', () => {
    const callers: Record<number, [number, number]> = {};
    for (let s = 0; s < 5; s++) callers[2 + s * 51 + 1 + 7] = [1, 1]; // one finding under each of 5 shells
    const t = buildTreeIndex(wideTree(5, 50, callers));
    const e = autoExpand(t, { ...DEFAULT_POLICY, budget: 10 });
    expect(e.size).toBe(6); // the runner and all five shells: 1 + 5 + 250 visible
  });
});

describe('visibleCut', () => {
  it('shows roots plus expanded children depth-first, with hidden counts past the child limit', () => {
    const rows = wideTree(2, 10, { 20: [1, 1] }); // shell 13 holds 14..23
    const t = buildTreeIndex(rows);
    const pos = (id: number) => t.pos.get(id)!;
    const cut = visibleCut(t, new Set([pos(1), pos(13)]), 4, new Set());
    expect(cut.nodes.map((i) => t.ids[i])).toEqual([1, 2, 13, 14, 15, 16, 20]);
    expect(cut.shown.get(pos(13))).toEqual({ kids: [14, 15, 16, 20].map(pos), hidden: 6 });
    expect(cut.shown.has(pos(2))).toBe(false);
  });

  it('always keeps pinned children (a revealed chain) within the limit', () => {
    const t = buildTreeIndex(wideTree(1, 10, {}));
    const kids = t.children[t.pos.get(2)!]!;
    const picked = pickChildren(t, kids, 3, new Set([t.pos.get(11)!]));
    expect(picked.map((i) => t.ids[i])).toEqual([3, 4, 11]);
  });
});
