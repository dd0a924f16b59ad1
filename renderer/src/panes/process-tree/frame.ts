/**
 * Framing the process tree in its (often narrow) viewport: pure functions from a layout, what to show and the
 * viewport size to a zoom transform. The layout is indented (one row per process), so a framing is mostly
 * vertical: the whole tree when it fits; else the requested chain (root to the target) when it fits, centred; else
 * the target near the bottom with as many ancestors above it as fit. The zoom stays in the legible range
 * K_MIN..K_MAX; a level too deep for the width shifts the tree left just enough to show the target whole.
 */
import { chainKeys, K_MAX, K_MIN, NODE_H, NODE_W, PAD, type LaidNode, type Transform, type TreeLayout } from './tree-layout';

/** What a framing should show: the target (the node that must be in view) and the nodes around it worth seeing. */
export interface FrameRequest {
  target: string | null;
  keys: readonly string[];
}

/** Depth levels in the layout. */
export const columnCount = (l: TreeLayout): number => l.nodes.reduce((m, n) => Math.max(m, n.depth + 1), 0);

/** On open: the root chains down to every process with findings, aimed at the first of them; else the first root. */
export function openFrame(l: TreeLayout): FrameRequest {
  const hits = l.nodes.filter((n) => n.node && n.node.findings > 0);
  if (!hits.length) {
    const root = l.nodes.find((n) => n.id !== null) ?? l.nodes[0];
    return { target: root?.key ?? null, keys: root ? [root.key] : [] };
  }
  const keys = new Set<string>();
  for (const h of hits) for (const k of chainKeys(l, h.key)) keys.add(k);
  return { target: hits[0]!.key, keys: [...keys] };
}

/** A selected node: it and its ancestors. */
export function selectionFrame(l: TreeLayout, key: string): FrameRequest {
  return { target: key, keys: [...chainKeys(l, key)] };
}

/** The legible zoom for the layout's width: the whole width at K_MAX, shrinking down to K_MIN. */
export function fitZoom(l: TreeLayout, w: number): number {
  return Math.min(K_MAX, Math.max(K_MIN, (w - 2 * PAD) / Math.max(1, l.maxX)));
}

/** Horizontal offset showing `n` whole: left-aligned when it fits, else shifted just enough. */
const xFor = (n: LaidNode | undefined, k: number, w: number): number =>
  n ? Math.min(PAD, w - PAD - (n.x + NODE_W) * k) : PAD;

/**
 * The transform that frames `req` in a `w` x `h` viewport (see the file comment). `top` px at the top are covered
 * (the ancestor trail).
 */
export function frameTransform(l: TreeLayout, req: FrameRequest, w: number, h: number, top = 0): Transform {
  if (!l.nodes.length || w <= 0 || h <= 0) return { k: 1, x: PAD, y: PAD };
  const k = fitZoom(l, w);
  const nodes = req.keys.map((key) => l.byKey.get(key)).filter((n): n is LaidNode => n !== undefined);
  const target = (req.target ? l.byKey.get(req.target) : undefined) ?? nodes[nodes.length - 1] ?? l.nodes[0]!;
  if (!nodes.includes(target)) nodes.push(target);
  const deepest = nodes.reduce((a, b) => (b.x > a.x ? b : a), target);
  const x = Math.max(xFor(deepest, k, w), xFor(target, k, w));
  const avail = h - top - 2 * PAD;
  const treeH = l.maxY - l.minY + NODE_H;
  // the whole tree, top-aligned
  if (treeH * k <= avail) return { k, x, y: top + PAD - (l.minY - NODE_H / 2) * k };
  const y0 = Math.min(...nodes.map((n) => n.y));
  const y1 = Math.max(...nodes.map((n) => n.y));
  if ((y1 - y0 + NODE_H) * k <= avail) return { k, x, y: top + PAD + avail / 2 - ((y0 + y1) / 2) * k };
  // the target at the bottom, ancestors above it
  return { k, x, y: h - PAD - (target.y + NODE_H / 2) * k };
}

/** Is the node's box wholly inside the viewport? */
export function wholeInView(n: LaidNode, tr: Transform, w: number, h: number, top = 0): boolean {
  const left = tr.x + n.x * tr.k;
  const y = tr.y + (n.y - NODE_H / 2) * tr.k;
  return left >= -0.5 && y >= top - 0.5 && left + NODE_W * tr.k <= w + 0.5 && y + NODE_H * tr.k <= h + 0.5;
}

/** The smallest pan (same zoom) that brings `n` wholly into view. Null when it already is. */
export function panInto(n: LaidNode, tr: Transform, w: number, h: number, top = 0): Transform | null {
  if (wholeInView(n, tr, w, h, top)) return null;
  const left = tr.x + n.x * tr.k;
  const right = left + NODE_W * tr.k;
  const x = left < 0 || right > w ? xFor(n, tr.k, w) : tr.x;
  const boxTop = tr.y + (n.y - NODE_H / 2) * tr.k;
  const y = boxTop < top || boxTop + NODE_H * tr.k > h ? top + (h - top) / 2 - n.y * tr.k : tr.y;
  return { k: tr.k, x, y };
}

/** The ancestors of `key` whose rows lie above the viewport (under the trail), root first (the trail names them). */
export function ancestorsOffLeft(l: TreeLayout, key: string | null, tr: Transform, top = 0): LaidNode[] {
  const out: LaidNode[] = [];
  const start = key === null ? undefined : l.byKey.get(key);
  for (let k = start?.parentKey ?? null; k !== null; ) {
    const n = l.byKey.get(k);
    if (!n) break;
    if (tr.y + (n.y + NODE_H / 2) * tr.k <= top || tr.x + (n.x + NODE_W) * tr.k <= 0) out.unshift(n);
    k = n.parentKey;
  }
  return out;
}
