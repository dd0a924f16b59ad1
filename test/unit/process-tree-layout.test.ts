import { describe, expect, it } from 'vitest';
import type { ProcessTree } from '../../shared/api';
import { node } from '../support/tree-nodes';
import {
  chainKeys,
  COL_W,
  focusOrder,
  keyMove,
  layoutTree,
  NODE_W,
  ROW_H,
  screenBox,
  visibleNodes,
} from '../../renderer/src/panes/process-tree/tree-layout';


// 1 ─┬─ 2 ─── 4
//    └─ 3 (collapsed, 5 below)
const small: Pick<ProcessTree, 'nodes' | 'roots' | 'hidden_roots'> = {
  roots: [1],
  hidden_roots: 0,
  nodes: [node(1, null, [2, 3]), node(2, 1, [4]), node(4, 2, []), node(3, 1, null, { child_count: 2, descendants: 5 })],
};

describe('layoutTree', () => {
  it('indents each level and gives every process its own row, in preorder', () => {
    const l = layoutTree(small);
    expect(l.nodes.map((n) => n.key)).toEqual(['p1', 'p2', 'p4', 'p3']);
    const at = (k: string) => l.byKey.get(k)!;
    expect(at('p1').x).toBe(0);
    expect(at('p2').x).toBe(COL_W);
    expect(at('p4').x).toBe(2 * COL_W);
    expect(l.nodes.map((n) => n.y)).toEqual([0, 1, 2, 3].map((i) => i * ROW_H + ROW_H / 2));
    expect(at('p2')).toMatchObject({ parentKey: 'p1', depth: 1, pos: 1, setSize: 2 });
    expect(at('p3')).toMatchObject({ pos: 2, setSize: 2 });
    expect(l.maxX).toBe(2 * COL_W + NODE_W);
  });

  it('adds "+N more" placeholders for children and roots left out', () => {
    const l = layoutTree({ roots: [1], hidden_roots: 7, nodes: [node(1, null, [2], { child_count: 40, hidden_children: 39 }), node(2, 1, null)] });
    expect(l.nodes.map((n) => [n.key, n.more])).toEqual([
      ['p1', 0],
      ['p2', 0],
      ['more1', 39],
      ['more-roots', 7],
    ]);
    expect(focusOrder(l).map((n) => n.key)).toEqual(['p1', 'p2']);
  });

  it('summarises the siblings of the selected chain in one row each, never those with findings; unfolds on request', () => {
    // 1 -> [2 (chain), 3..8 quiet, 9 with findings]
    const kids = [3, 2, 4, 5, 6, 7, 8, 9];
    const t = {
      roots: [1],
      hidden_roots: 0,
      nodes: [node(1, null, kids), ...kids.map((k) => node(k, 1, [], k === 9 ? { subtree_findings: 1, findings: 1 } : {}))],
    };
    const l = layoutTree(t, { chain: [1, 2] });
    expect(l.nodes.map((n) => [n.key, n.more])).toEqual([
      ['p1', 0],
      ['sib1', 6],
      ['p2', 0],
      ['p9', 0],
    ]);
    expect(l.byKey.get('sib1')!.siblingsOf).toBe(1);
    expect(focusOrder(l).map((n) => n.key)).toEqual(['p1', 'p2', 'p9']);
    expect(layoutTree(t, { chain: [1, 2], unfolded: new Set([1]) }).nodes).toHaveLength(9);
    // two quiet siblings are shown as they are
    expect(layoutTree({ roots: [1], hidden_roots: 0, nodes: [node(1, null, [2, 3, 4]), node(2, 1, []), node(3, 1, []), node(4, 1, [])] }, { chain: [1, 2] }).nodes).toHaveLength(4);
  });

  it('survives a child listed twice or missing from the nodes', () => {
    const l = layoutTree({ roots: [1], hidden_roots: 0, nodes: [node(1, null, [2, 2, 99]), node(2, 1, [])] });
    expect(l.nodes.map((n) => n.key)).toEqual(['p1', 'p2']);
  });
});

describe('keyboard moves (tree pattern)', () => {
  const l = layoutTree(small);
  it('moves down and up through the visible order', () => {
    expect(keyMove(l, 'p1', 'ArrowDown')).toEqual({ focus: 'p2' });
    expect(keyMove(l, 'p4', 'ArrowDown')).toEqual({ focus: 'p3' });
    expect(keyMove(l, 'p3', 'ArrowDown')).toBeNull();
    expect(keyMove(l, 'p3', 'ArrowUp')).toEqual({ focus: 'p4' });
    expect(keyMove(l, 'p4', 'Home')).toEqual({ focus: 'p1' });
    expect(keyMove(l, 'p1', 'End')).toEqual({ focus: 'p3' });
  });
  it('Right expands a collapsed node, then enters it; Left collapses, then goes to the parent', () => {
    expect(keyMove(l, 'p3', 'ArrowRight')).toEqual({ expand: 3 });
    expect(keyMove(l, 'p2', 'ArrowRight')).toEqual({ focus: 'p4' });
    expect(keyMove(l, 'p4', 'ArrowRight')).toBeNull(); // a leaf
    expect(keyMove(l, 'p2', 'ArrowLeft')).toEqual({ collapse: 2 });
    expect(keyMove(l, 'p4', 'ArrowLeft')).toEqual({ focus: 'p2' });
    expect(keyMove(l, 'p3', 'ArrowLeft')).toEqual({ focus: 'p1' });
  });
  it('lights the chain from a node to its root', () => {
    expect(chainKeys(l, 'p4')).toEqual(new Set(['p4', 'p2', 'p1']));
    expect(chainKeys(l, null).size).toBe(0);
  });
});

describe('visibleNodes (bounded DOM)', () => {
  // a root with 3000 children: a tall column
  const kids = Array.from({ length: 3000 }, (_, i) => i + 2);
  const big = layoutTree({ roots: [1], hidden_roots: 0, nodes: [node(1, null, kids), ...kids.map((k) => node(k, 1, []))] });

  it('keeps only what is in the viewport, under the cap', () => {
    const root = big.byKey.get('p1')!;
    const tr = { k: 1, x: 10, y: 300 - root.y };
    const v = visibleNodes(big, tr, 800, 600, 160);
    expect(v.length).toBeGreaterThan(10);
    expect(v.length).toBeLessThanOrEqual(Math.ceil((600 + 80) / ROW_H) + 2);
    for (const n of v) {
      const b = screenBox(n, tr);
      expect(b.bottom).toBeGreaterThan(-40);
      expect(b.top).toBeLessThan(640);
    }
    // zoomed out, many more nodes are in view: the cap holds
    expect(visibleNodes(big, { k: 0.15, x: 10, y: 1000 }, 800, 2000, 160)).toHaveLength(160);
  });

  it('always includes the focused and selected nodes, wherever they are', () => {
    const far = 'p2999';
    const v = visibleNodes(big, { k: 1, x: 0, y: 300 }, 800, 600, 10, [far]);
    expect(v[0]!.key).toBe(far);
    expect(v).toHaveLength(10);
    expect(screenBox(v[0]!, { k: 1, x: 0, y: 300 }).top).toBeGreaterThan(10_000);
  });
});
