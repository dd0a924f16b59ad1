import { describe, expect, it } from 'vitest';
import type { ProcessTree, ProcessTreeNode } from '../../shared/api';
import { node } from '../support/tree-nodes';
import {
  ancestorsOffLeft,
  frameTransform,
  openFrame,
  panInto,
  selectionFrame,
  wholeInView,
} from '../../renderer/src/panes/process-tree/frame';
import { K_MAX, K_MIN, layoutTree, NODE_W, ROW_H, screenBox, type Transform, type TreeLayout } from '../../renderer/src/panes/process-tree/tree-layout';


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
  const l = layoutTree(deepTree(), { chain: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });

  it('shows a 10-level chain whole, at a legible zoom, in the default column (280 px) and wider', () => {
    for (const w of [264, 280, 376]) {
      const tr = frameTransform(l, selectionFrame(l, 'p10'), w, 400);
      expect(tr.k).toBeGreaterThanOrEqual(K_MIN);
      expect(tr.k).toBeLessThanOrEqual(K_MAX);
      for (let i = 1; i <= 10; i++) expect(wholeInView(l.byKey.get(`p${i}`)!, tr, w, 400), `p${i} at ${w}`).toBe(true);
      expect(cutBoxes(l, tr, w, 400)).toEqual([]);
    }
  });

  it('summarises the chain’s siblings so the chain takes one row per level', () => {
    expect(l.nodes.filter((n) => n.key.startsWith('sib'))).toHaveLength(0); // two siblings each: shown
    const folded = layoutTree(deepTree(), { chain: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], foldOver: 1 });
    expect(folded.nodes.filter((n) => n.key.startsWith('sib'))).toHaveLength(9);
    expect(folded.byKey.get('p10')!.y - folded.byKey.get('p1')!.y).toBeLessThanOrEqual(9 * 2 * ROW_H);
  });

  it('in a short viewport keeps the target whole with as many ancestors above it as fit', () => {
    const tr = frameTransform(l, selectionFrame(l, 'p10'), 300, 120);
    expect(wholeInView(l.byKey.get('p10')!, tr, 300, 120)).toBe(true);
    expect(wholeInView(l.byKey.get('p9')!, tr, 300, 120) || wholeInView(l.byKey.get('p8')!, tr, 300, 120)).toBe(true);
  });

  it('never leaves the target out, whatever the width', () => {
    for (let w = NODE_W + 16; w <= 1400; w += 23) {
      for (const req of [selectionFrame(l, 'p10'), selectionFrame(l, 'p4'), openFrame(l)]) {
        const tr = frameTransform(l, req, w, 400);
        expect(wholeInView(l.byKey.get(req.target!)!, tr, w, 400), `target in view at ${w}`).toBe(true);
        expect(tr.k).toBeGreaterThanOrEqual(K_MIN);
        expect(tr.k).toBeLessThanOrEqual(K_MAX);
      }
    }
  });

  it('fits a small tree whole, at K_MAX', () => {
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
  const w = 300, h = 120;
  const tr = frameTransform(l, selectionFrame(l, 'p10'), w, h, 20);

  it('leaves a whole node alone; brings an off-screen one in at the same zoom', () => {
    expect(panInto(l.byKey.get('p10')!, tr, w, h, 20)).toBeNull();
    const root = l.byKey.get('p1')!;
    expect(wholeInView(root, tr, w, h, 20)).toBe(false);
    const t = panInto(root, tr, w, h, 20)!;
    expect(t.k).toBe(tr.k);
    expect(wholeInView(root, t, w, h, 20)).toBe(true);
  });

  it('names the ancestors above the view, root first', () => {
    const off = ancestorsOffLeft(l, 'p10', tr, 20).map((n) => n.key);
    expect(off[0]).toBe('p1');
    expect(off.length).toBeGreaterThan(3);
    expect(off).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].slice(0, off.length));
    expect(ancestorsOffLeft(l, null, tr)).toEqual([]);
  });
});
