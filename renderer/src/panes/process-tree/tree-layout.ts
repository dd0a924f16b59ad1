/**
 * The process tree's pure parts: an indented layout (as a file explorer or Procmon draws it: one row per process,
 * each level indented INDENT px, so a 10-level chain fits a 300 px column at full size) of what the API returned
 * as visible, "+N more" placeholders for children left out, siblings of the selected chain summarised in one row,
 * keyboard moves over the visible order, and which nodes fall inside the viewport (the only ones in the DOM).
 */
import type { ProcessTree, ProcessTreeNode } from '../../../../shared/api';

/** Distance between rows (unscaled px). */
export const ROW_H = 24;
/** Indentation per depth level. */
export const INDENT = 14;
/** Kept for the depth-column framing helpers: one indentation step. */
export const COL_W = INDENT;
export const NODE_W = 160;
export const NODE_H = 21;
/** Gap between a column's boxes and the next column's (indented layout: none). */
export const COL_GAP = 0;
/** Zoom range of an automatic framing: below K_MIN labels are too small to read, above K_MAX boxes are blown up. */
export const K_MIN = 0.8;
export const K_MAX = 1;
/** Margin kept free at the viewport's edges by a framing (screen px). */
export const PAD = 8;

export interface LaidNode {
  /** `p<id>` for a process, `more<parentId>` for a placeholder, `sib<parentId>` for summarised siblings. */
  key: string;
  /** Process id; null for a placeholder. */
  id: number | null;
  node: ProcessTreeNode | null;
  /** Hidden children a placeholder stands for. */
  more: number;
  /** For a `sib` placeholder: the parent whose other children it summarises (a click unfolds them). */
  siblingsOf?: number;
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

export interface LayoutOptions {
  /** Process ids of the selected chain (root to leaf): the other children of its members are summarised. */
  chain?: readonly number[];
  /** Parents whose summarised siblings the user unfolded. */
  unfolded?: ReadonlySet<number>;
  /** Summarise only when more than this many siblings would be folded. */
  foldOver?: number;
}

interface Datum {
  key: string;
  node: ProcessTreeNode | null;
  more: number;
  siblingsOf?: number;
  children: Datum[];
}

export function layoutTree(t: Pick<ProcessTree, 'nodes' | 'roots' | 'hidden_roots'>, opts: LayoutOptions = {}): TreeLayout {
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const onChain = new Set(opts.chain ?? []);
  const foldOver = opts.foldOver ?? 2;
  const seen = new Set<number>();
  const datum = (n: ProcessTreeNode): Datum => {
    seen.add(n.id);
    let kids: Datum[] = [];
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      if (child && !seen.has(c)) kids.push(datum(child));
    }
    // a chain member: its children off the chain without findings fold into one "N other processes" row
    if (onChain.has(n.id) && !opts.unfolded?.has(n.id)) {
      const fold = kids.filter((k) => k.node && !onChain.has(k.node.id) && k.node.subtree_findings === 0);
      if (fold.length > foldOver) {
        const folded = new Set(fold);
        const at = kids.findIndex((k) => folded.has(k));
        const rest = kids.filter((k) => !folded.has(k));
        rest.splice(Math.min(at, rest.length), 0, { key: `sib${n.id}`, node: null, more: fold.length, siblingsOf: n.id, children: [] });
        kids = rest;
      }
    }
    if (n.hidden_children > 0) kids.push({ key: `more${n.id}`, node: null, more: n.hidden_children, children: [] });
    return { key: `p${n.id}`, node: n, more: 0, children: kids };
  };
  const roots = t.roots.filter((r) => byId.has(r)).map((r) => datum(byId.get(r)!));
  if (t.hidden_roots > 0) roots.push({ key: 'more-roots', node: null, more: t.hidden_roots, children: [] });
  const nodes: LaidNode[] = [];
  const byKey = new Map<string, LaidNode>();
  let maxX = 0;
  const walk = (d: Datum, depth: number, parentKey: string | null, pos: number, setSize: number) => {
    const n: LaidNode = {
      key: d.key,
      id: d.node?.id ?? null,
      node: d.node,
      more: d.more,
      ...(d.siblingsOf !== undefined ? { siblingsOf: d.siblingsOf } : {}),
      parentKey,
      x: depth * INDENT,
      y: nodes.length * ROW_H + ROW_H / 2,
      depth,
      pos,
      setSize,
    };
    nodes.push(n);
    byKey.set(n.key, n);
    maxX = Math.max(maxX, n.x + NODE_W);
    d.children.forEach((c, i) => walk(c, depth + 1, d.key, i + 1, d.children.length));
  };
  roots.forEach((r, i) => walk(r, 0, null, i + 1, roots.length));
  const minY = nodes.length ? ROW_H / 2 : 0;
  const maxY = nodes.length ? (nodes.length - 1) * ROW_H + ROW_H / 2 : 0;
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
