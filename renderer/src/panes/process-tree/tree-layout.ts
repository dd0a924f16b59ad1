/**
 * The process tree's pure parts: the tidy-tree layout (d3-hierarchy, horizontal: depth runs left to right) of what
 * the API returned as visible, "+N more" placeholders for children left out, keyboard moves over the visible
 * order, and which nodes fall inside the viewport (the only ones that get DOM elements).
 */
import { hierarchy, tree as d3tree, type HierarchyPointNode } from 'd3';
import type { ProcessTree, ProcessTreeNode } from '../../../../shared/api';

/** Vertical distance between sibling rows (unscaled px). */
export const ROW_H = 28;
/** Horizontal distance between depth columns: a node's width plus the gap its edges run in. */
export const COL_W = 146;
export const NODE_W = 128;
export const NODE_H = 22;
/** Gap between a column's boxes and the next column's. */
export const COL_GAP = COL_W - NODE_W;
/** Zoom range of an automatic framing: below K_MIN labels are too small to read, above K_MAX boxes are blown up. */
export const K_MIN = 0.8;
export const K_MAX = 1;
/** Margin kept free at the viewport's edges by a framing (screen px). */
export const PAD = 8;

export interface LaidNode {
  /** `p<id>` for a process, `more<parentId>` for a placeholder. */
  key: string;
  /** Process id; null for a placeholder. */
  id: number | null;
  node: ProcessTreeNode | null;
  /** Hidden children a placeholder stands for. */
  more: number;
  parentKey: string | null;
  /** Layout position of the node's left-middle point (unscaled px). */
  x: number;
  y: number;
  depth: number;
  /** Position among its siblings (1-based) and their count: aria-posinset / aria-setsize. */
  pos: number;
  setSize: number;
}

export interface TreeLayout {
  /** Preorder: a parent before its children; keyboard order. */
  nodes: LaidNode[];
  byKey: Map<string, LaidNode>;
  /** Bounding box of the layout. */
  minY: number;
  maxY: number;
  maxX: number;
}

interface Datum {
  key: string;
  node: ProcessTreeNode | null;
  more: number;
  children: Datum[];
}

export function layoutTree(t: Pick<ProcessTree, 'nodes' | 'roots' | 'hidden_roots'>): TreeLayout {
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const seen = new Set<number>();
  const datum = (n: ProcessTreeNode): Datum => {
    seen.add(n.id);
    const kids: Datum[] = [];
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      if (child && !seen.has(c)) kids.push(datum(child));
    }
    if (n.hidden_children > 0) kids.push({ key: `more${n.id}`, node: null, more: n.hidden_children, children: [] });
    return { key: `p${n.id}`, node: n, more: 0, children: kids };
  };
  const roots = t.roots.filter((r) => byId.has(r)).map((r) => datum(byId.get(r)!));
  if (t.hidden_roots > 0) roots.push({ key: 'more-roots', node: null, more: t.hidden_roots, children: [] });
  const root = hierarchy<Datum>({ key: 'root', node: null, more: 0, children: roots });
  const laid = d3tree<Datum>()
    .nodeSize([ROW_H, COL_W])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.15))(root);
  const nodes: LaidNode[] = [];
  const byKey = new Map<string, LaidNode>();
  let minY = Infinity, maxY = -Infinity, maxX = 0;
  laid.eachBefore((d: HierarchyPointNode<Datum>) => {
    if (d.depth === 0) return;
    const siblings = d.parent?.children ?? [d];
    const n: LaidNode = {
      key: d.data.key,
      id: d.data.node?.id ?? null,
      node: d.data.node,
      more: d.data.more,
      parentKey: d.parent && d.parent.depth > 0 ? d.parent.data.key : null,
      x: (d.depth - 1) * COL_W,
      y: d.x,
      depth: d.depth - 1,
      pos: siblings.indexOf(d) + 1,
      setSize: siblings.length,
    };
    nodes.push(n);
    byKey.set(n.key, n);
    minY = Math.min(minY, n.y);
    maxY = Math.max(maxY, n.y);
    maxX = Math.max(maxX, n.x + NODE_W);
  });
  if (!nodes.length) minY = maxY = 0;
  return { nodes, byKey, minY, maxY, maxX };
}

export interface Transform {
  k: number;
  x: number;
  y: number;
}

/** Screen box of a node under a zoom transform. */
export function screenBox(n: LaidNode, tr: Transform): { left: number; top: number; right: number; bottom: number } {
  const left = tr.x + n.x * tr.k;
  const top = tr.y + (n.y - NODE_H / 2) * tr.k;
  return { left, top, right: left + NODE_W * tr.k, bottom: top + NODE_H * tr.k };
}

/**
 * Nodes inside the viewport (plus a margin), at most `cap` of them, always including the `keep` keys (focused,
 * selected) wherever they are. These get DOM elements; the rest are drawn on the canvas only.
 */
export function visibleNodes(l: TreeLayout, tr: Transform, width: number, height: number, cap: number, keep: readonly string[] = [], margin = 40): LaidNode[] {
  const out: LaidNode[] = [];
  const have = new Set<string>();
  for (const k of keep) {
    const n = l.byKey.get(k);
    if (n && !have.has(k)) {
      out.push(n);
      have.add(k);
    }
  }
  // rows are sorted by y within the preorder only per subtree: a linear scan is simple and fast enough for
  // thousands of nodes, and the cap bounds the DOM
  for (const n of l.nodes) {
    if (out.length >= cap) break;
    if (have.has(n.key)) continue;
    const b = screenBox(n, tr);
    if (b.right < -margin || b.left > width + margin || b.bottom < -margin || b.top > height + margin) continue;
    out.push(n);
    have.add(n.key);
  }
  return out;
}

/** The process nodes in keyboard order (placeholders are not focusable). */
export const focusOrder = (l: TreeLayout): LaidNode[] => l.nodes.filter((n) => n.id !== null);

export type TreeKey = 'ArrowDown' | 'ArrowUp' | 'ArrowRight' | 'ArrowLeft' | 'Home' | 'End';
export type TreeMove = { focus: string } | { expand: number } | { collapse: number } | null;

/** What a key does on the focused node (WAI-ARIA tree pattern). */
export function keyMove(l: TreeLayout, focused: string, key: TreeKey): TreeMove {
  const order = focusOrder(l);
  const i = order.findIndex((n) => n.key === focused);
  const cur = order[i];
  if (!cur || !cur.node) return order[0] ? { focus: order[0].key } : null;
  switch (key) {
    case 'ArrowDown':
      return order[i + 1] ? { focus: order[i + 1]!.key } : null;
    case 'ArrowUp':
      return i > 0 ? { focus: order[i - 1]!.key } : null;
    case 'Home':
      return { focus: order[0]!.key };
    case 'End':
      return { focus: order[order.length - 1]!.key };
    case 'ArrowRight': {
      if (cur.node.child_count === 0) return null;
      if (cur.node.children === null) return { expand: cur.node.id };
      const first = order[i + 1];
      return first && first.parentKey === cur.key ? { focus: first.key } : null;
    }
    case 'ArrowLeft':
      if (cur.node.children !== null && cur.node.child_count > 0) return { collapse: cur.node.id };
      return cur.parentKey ? { focus: cur.parentKey } : null;
  }
}

/** Keys of a node and its ancestors (the chain lit for the selected process). */
export function chainKeys(l: TreeLayout, key: string | null): Set<string> {
  const out = new Set<string>();
  for (let k = key; k !== null; ) {
    const n = l.byKey.get(k);
    if (!n) break;
    out.add(k);
    k = n.parentKey;
  }
  return out;
}
