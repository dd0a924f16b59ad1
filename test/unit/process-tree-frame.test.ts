import { describe, expect, it } from 'vitest';
import type { ProcessTree, ProcessTreeNode } from '../../shared/api';
import { node } from '../support/tree-nodes';
import {
  ancestorsOffLeft,
  columnsAt,
  frameTransform,
  openFrame,
  panInto,
  selectionFrame,
  wholeInView,
} from '../../renderer/src/panes/process-tree/frame';
import { COL_W, K_MAX, K_MIN, layoutTree, NODE_W, screenBox, type Transform, type TreeLayout } from '../../renderer/src/panes/process-tree/tree-layout';


/**
 * A chain 1 → 2 → … → 10 (depth 0..9) like a runner's: each chain node also has two leaf siblings, and the
 * deepest one (10) has findings.
 */
function deepTree(): Pick<ProcessTree, 'nodes' | 'roots' | 'hidden_roots'> {
  const nodes: ProcessTreeNode[] = [];
  let leaf = 100;
  for (let i = 1; i <= 10; i++) {
    const kids = i < 10 ? [i + 1, leaf, leaf + 1] : [];
    if (i < 10) {
      nodes.push(node(leaf, i, []), node(leaf + 1, i, []));
      leaf += 2;
    }
    nodes.push(node(i, i === 1 ? null : i - 1, kids, i === 10 ? { findings: 2, subtree_findings: 2 } : { subtree_findings: 2 }));
  }
  return { roots: [1], hidden_roots: 0, nodes };
}

/** Boxes crossing the left or right edge (the half boxes a framing must never leave). */
function cutBoxes(l: TreeLayout, tr: Transform, w: number, h: number): string[] {
  return l.nodes
    .filter((n) => {
      const b = screenBox(n, tr);
      const inY = b.bottom > 0 && b.top < h;
      return inY && b.right > 0.5 && b.left < w - 0.5 && (b.left < -0.5 || b.right > w + 0.5);
    })
    .map((n) => n.key);
}

describe('frameTransform', () => {
  const l = layoutTree(deepTree());

  it('at the narrowest column (220 px) shows two levels slightly small rather than one blown up', () => {
    const tr = frameTransform(l, selectionFrame(l, 'p10'), 218, 400);
    expect(tr.k).toBeLessThan(K_MIN);
    expect(tr.k).toBeGreaterThan(0.7);
    expect(columnsAt(218, tr.k)).toBe(2);
  });

  it('frames a deep selection in a narrow column: legible zoom, whole boxes, the node and its nearest ancestors', () => {
    const w = 376, h = 520;
    const tr = frameTransform(l, selectionFrame(l, 'p10'), w, h);
    expect(tr.k).toBeGreaterThanOrEqual(K_MIN);
    expect(tr.k).toBeLessThanOrEqual(K_MAX);
    expect(cutBoxes(l, tr, w, h)).toEqual([]);
    const chainWhole = ['p10', 'p9', 'p8', 'p7', 'p6'].filter((k) => wholeInView(l.byKey.get(k)!, tr, w, h));
    // as many whole columns as fit at that zoom, all of them the selection's chain ending at the selection
    const cols = columnsAt(w, tr.k);
    expect(cols).toBeGreaterThanOrEqual(2);
    expect(chainWhole).toEqual(['p10', 'p9', 'p8', 'p7', 'p6'].slice(0, cols));
    // the selection is the rightmost column: its box ends at the right margin
    expect(screenBox(l.byKey.get('p10')!, tr).right).toBeCloseTo(w - 8, 5);
  });

  it('never leaves half boxes, whatever the width, and keeps the zoom near the legible range', () => {
    for (let w = 160; w <= 1400; w += 23) {
      for (const req of [selectionFrame(l, 'p10'), selectionFrame(l, 'p4'), openFrame(l)]) {
        const tr = frameTransform(l, req, w, 400);
        expect(cutBoxes(l, tr, w, 400), `width ${w}, target ${req.target}`).toEqual([]);
        expect(wholeInView(l.byKey.get(req.target!)!, tr, w, 400) || w < NODE_W, `target in view at ${w}`).toBe(true);
        // widths between two column counts miss the range by a bounded factor, never by more
        if (w >= 2 * COL_W) expect(tr.k).toBeGreaterThanOrEqual(K_MIN / 1.35);
        expect(tr.k).toBeLessThanOrEqual(K_MAX * 1.35);
      }
    }
  });

  it('a selection near the root shows the columns after it too (no empty space on the right)', () => {
    const w = 600, h = 400;
    const tr = frameTransform(l, selectionFrame(l, 'p2'), w, h);
    expect(wholeInView(l.byKey.get('p1')!, tr, w, h)).toBe(true);
    expect(wholeInView(l.byKey.get('p2')!, tr, w, h)).toBe(true);
    const rightmost = Math.max(...l.nodes.filter((n) => wholeInView(n, tr, w, h)).map((n) => screenBox(n, tr).right));
    expect(rightmost).toBeCloseTo(w - 8, 5);
  });

  it('fits a small tree whole, at no more than K_MAX', () => {
    const small = layoutTree({ roots: [1], hidden_roots: 0, nodes: [node(1, null, [2, 3]), node(2, 1, []), node(3, 1, [])] });
    const tr = frameTransform(small, openFrame(small), 800, 400);
    expect(tr.k).toBe(K_MAX);
    for (const n of small.nodes) expect(wholeInView(n, tr, 800, 400)).toBe(true);
  });

  it('on open aims at the first process with findings and keeps its root chain as the keys', () => {
    const f = openFrame(l);
    expect(f.target).toBe('p10');
    expect(new Set(f.keys)).toEqual(new Set(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']));
    const quiet = layoutTree({ roots: [1], hidden_roots: 0, nodes: [node(1, null, [2]), node(2, 1, [])] });
    expect(openFrame(quiet)).toEqual({ target: 'p1', keys: ['p1'] });
  });
});

describe('panInto and the trail', () => {
  const l = layoutTree(deepTree());
  const w = 376, h = 400;
  const tr = frameTransform(l, selectionFrame(l, 'p10'), w, h);

  it('leaves a whole node alone; brings an off-screen one in as a whole column at the same zoom', () => {
    expect(panInto(l.byKey.get('p10')!, tr, w, h)).toBeNull();
    const root = l.byKey.get('p1')!;
    expect(wholeInView(root, tr, w, h)).toBe(false);
    const t = panInto(root, tr, w, h)!;
    expect(t.k).toBe(tr.k);
    expect(wholeInView(root, t, w, h)).toBe(true);
    expect(screenBox(root, t).left).toBeCloseTo(8, 5);
    expect(cutBoxes(l, t, w, h)).toEqual([]);
  });

  it('names the ancestors wholly left of the view, root first', () => {
    const off = ancestorsOffLeft(l, 'p10', tr).map((n) => n.key);
    const cols = columnsAt(w, tr.k);
    expect(off).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].slice(0, 10 - cols));
    expect(ancestorsOffLeft(l, 'p10', { k: 1, x: 8, y: 0 })).toEqual([]);
    expect(ancestorsOffLeft(l, null, tr)).toEqual([]);
  });
});
