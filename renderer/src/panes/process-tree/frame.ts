/**
 * Framing the process tree in its (often narrow) viewport: pure functions from a layout, what to show and the
 * viewport size to a zoom transform.
 *
 * The tree is laid out in depth columns (COL_W apart). A framing never cuts a box at the left or right edge: it
 * picks a whole number of columns and the zoom at which exactly those columns fill the width (between PAD margins),
 * within the legible range K_MIN..K_MAX when the width allows. Which columns: the requested keys' columns when they
 * fit; otherwise the target's column on the right and as many of its ancestors' columns as fit on its left.
 */
import { chainKeys, COL_GAP, COL_W, K_MAX, K_MIN, NODE_H, NODE_W, PAD, type LaidNode, type Transform, type TreeLayout } from './tree-layout';

/** What a framing should show: the target (the node that must be in view) and the nodes around it worth seeing. */
export interface FrameRequest {
  target: string | null;
  keys: readonly string[];
}

/** Zoom at which `n` whole columns fill `width` exactly (PAD margins on both sides). */
export const columnsZoom = (width: number, n: number): number => Math.max(0.01, width - 2 * PAD) / (n * COL_W - COL_GAP);

/** How many whole columns fit in `width` at zoom `k` (at least 1). */
export const columnsAt = (width: number, k: number): number => Math.max(1, Math.floor((width - 2 * PAD + COL_GAP * k) / (COL_W * k)));

/** Depth columns in the layout. */
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

/**
 * The transform that frames `req` in a `w` x `h` viewport (see the file comment). `top` px at the top are covered
 * (the ancestor trail): vertical centring uses the rest.
 */
export function frameTransform(l: TreeLayout, req: FrameRequest, w: number, h: number, top = 0): Transform {
  if (!l.nodes.length || w <= 0 || h <= 0) return { k: 1, x: PAD, y: h / 2 };
  const mid = top + (h - top) / 2;
  const hAvail = h - top;
  // the whole tree, when it fits legibly
  const treeH = l.maxY - l.minY + NODE_H;
  const kAll = Math.min(K_MAX, (w - 2 * PAD) / l.maxX, (h - 2 * PAD) / treeH);
  if (kAll >= K_MIN) return { k: kAll, x: Math.max(PAD, (w - l.maxX * kAll) / 2), y: h / 2 - ((l.minY + l.maxY) / 2) * kAll };
  // (a tree too big to fit whole: framed below the trail)

  const nodes = req.keys.map((k) => l.byKey.get(k)).filter((n): n is LaidNode => n !== undefined);
  const target = (req.target ? l.byKey.get(req.target) : undefined) ?? nodes[nodes.length - 1] ?? l.nodes[0]!;
  if (!nodes.includes(target)) nodes.push(target);
  const minD = Math.min(...nodes.map((n) => n.depth));
  const maxD = Math.max(...nodes.map((n) => n.depth));
  const total = columnCount(l);

  // how many columns: enough to fill the width at K_MAX or less, more (down to K_MIN) if the keys need them
  const avail = w - 2 * PAD;
  const nFill = Math.max(1, Math.ceil((avail / K_MAX + COL_GAP) / COL_W));
  const nMax = Math.max(1, Math.floor((avail / K_MIN + COL_GAP) / COL_W));
  const need = maxD - minD + 1;
  // (between two column counts, one too large a zoom and one too small: the one that misses the range by less)
  let n = nFill > nMax ? (columnsZoom(w, nMax) / K_MAX <= K_MIN / columnsZoom(w, nFill) ? nMax : nFill) : Math.min(nMax, Math.max(nFill, need));
  let k = columnsZoom(w, n);
  if (n > total) {
    // fewer columns than the width holds: nothing lies past the last one, so no zoom past K_MAX is needed
    n = total;
    k = Math.min(K_MAX, Math.max(k, columnsZoom(w, n)));
  }

  // which columns: all the keys' when they fit, else the target's and its ancestors' up to the left edge
  let c0 = need <= n ? minD : target.depth - n + 1;
  c0 = Math.max(0, Math.min(c0, total - n, target.depth));

  // vertically: the framed keys in those columns when they fit, else the target centred
  const inCols = nodes.filter((x) => x.depth >= c0 && x.depth < c0 + n);
  const y0 = Math.min(...inCols.map((x) => x.y));
  const y1 = Math.max(...inCols.map((x) => x.y));
  const cy = (y1 - y0 + NODE_H) * k <= hAvail - 2 * PAD ? (y0 + y1) / 2 : target.y;
  return { k, x: PAD - c0 * COL_W * k, y: mid - cy * k };
}

/** Is the node's box wholly inside the viewport? */
export function wholeInView(n: LaidNode, tr: Transform, w: number, h: number): boolean {
  const left = tr.x + n.x * tr.k;
  const top = tr.y + (n.y - NODE_H / 2) * tr.k;
  return left >= -0.5 && top >= -0.5 && left + NODE_W * tr.k <= w + 0.5 && top + NODE_H * tr.k <= h + 0.5;
}

/**
 * The smallest pan (same zoom) that brings `n` wholly into view with whole columns at the edges: the node's column
 * becomes the first or the last whole column, whichever side it was off; vertically it is centred. Null when the
 * node is already whole in view.
 */
export function panInto(n: LaidNode, tr: Transform, w: number, h: number, top = 0): Transform | null {
  if (wholeInView(n, tr, w, h)) return null;
  const left = tr.x + n.x * tr.k;
  const right = left + NODE_W * tr.k;
  const boxTop = tr.y + (n.y - NODE_H / 2) * tr.k;
  let x = tr.x;
  if (left < 0 || right > w) {
    const cols = columnsAt(w, tr.k);
    const c0 = Math.max(0, left < 0 ? n.depth : n.depth - cols + 1);
    x = PAD - c0 * COL_W * tr.k;
  }
  const y = boxTop < top || boxTop + NODE_H * tr.k > h ? top + (h - top) / 2 - n.y * tr.k : tr.y;
  return { k: tr.k, x, y };
}

/** The ancestors of `key` whose boxes lie wholly left of the viewport, root first (the trail names them). */
export function ancestorsOffLeft(l: TreeLayout, key: string | null, tr: Transform): LaidNode[] {
  const out: LaidNode[] = [];
  const start = key === null ? undefined : l.byKey.get(key);
  for (let k = start?.parentKey ?? null; k !== null; ) {
    const n = l.byKey.get(k);
    if (!n) break;
    if (tr.x + (n.x + NODE_W) * tr.k <= 0) out.unshift(n);
    k = n.parentKey;
  }
  return out;
}
