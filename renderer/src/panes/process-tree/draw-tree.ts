/**
 * Canvas layer of the process tree: every edge, and every node as a box (with its name when legible). The DOM
 * items for the viewport's nodes sit on top of their boxes; nodes past the DOM cap are still seen here.
 */
import { prepareCanvas } from '../timeline/draw';
import { NODE_H, NODE_W, screenBox, type Transform, type TreeLayout } from './tree-layout';
import { visibleText } from '../../../../shared/evidence-text';

/** Colours from the app theme (styles.css variables), with the light theme's values as fallbacks. */
const PALETTE = {
  edge: ['--edge', '#c3cad6'],
  chain: ['--accent', '#2463d1'],
  box: ['--pane', '#ffffff'],
  border: ['--line', '#d9dde3'],
  finding: ['--bad-bg', '#fbe3e1'],
  findingBorder: ['--bad', '#c4302b'],
  text: ['--text', '#1d2127'],
} as const;
type Palette = Record<keyof typeof PALETTE, string>;

function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const out = {} as Palette;
  for (const [k, [v, fallback]] of Object.entries(PALETTE) as [keyof Palette, readonly [string, string]][]) {
    out[k] = cs.getPropertyValue(v).trim() || fallback;
  }
  return out;
}

export function drawTree(c: HTMLCanvasElement, l: TreeLayout, tr: Transform, width: number, height: number, chain: ReadonlySet<string>): void {
  const ctx = prepareCanvas(c, width, height);
  if (!ctx) return;
  const pal = readPalette(c);
  const sx = (x: number) => tr.x + x * tr.k;
  const sy = (y: number) => tr.y + y * tr.k;
  const off = (y0: number, y1: number, x0: number, x1: number) =>
    Math.max(y0, y1) < -20 || Math.min(y0, y1) > height + 20 || x1 < -20 || x0 > width + 20;
  // edges: from the parent's toggle down its left side, then across to the child's box (an indented tree)
  const drawEdges = (lit: boolean) => {
    ctx.strokeStyle = lit ? pal.chain : pal.edge;
    ctx.lineWidth = lit ? 2 : 1;
    ctx.beginPath();
    for (const n of l.nodes) {
      if (!n.parentKey || chain.has(n.key) !== lit || (lit && !chain.has(n.parentKey))) continue;
      const p = l.byKey.get(n.parentKey)!;
      const x0 = sx(p.x + 7), y0 = sy(p.y + NODE_H / 2), x1 = sx(n.x), y1 = sy(n.y);
      if (off(y0, y1, x0, x1)) continue;
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0, y1);
      ctx.lineTo(x1, y1);
    }
    ctx.stroke();
  };
  drawEdges(false);
  drawEdges(true);
  // boxes
  const legible = tr.k >= 0.45;
  ctx.font = `${Math.round(12 * tr.k)}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  ctx.textBaseline = 'middle';
  for (const n of l.nodes) {
    const b = screenBox(n, tr);
    if (b.right < 0 || b.left > width || b.bottom < 0 || b.top > height) continue;
    if (n.id === null) continue; // placeholders are DOM text only
    const hot = !!n.node && n.node.subtree_findings > 0;
    ctx.fillStyle = hot ? pal.finding : pal.box;
    ctx.strokeStyle = chain.has(n.key) ? pal.chain : hot ? pal.findingBorder : pal.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(b.left, b.top, NODE_W * tr.k, NODE_H * tr.k, 4 * tr.k);
    ctx.fill();
    ctx.stroke();
    if (legible && n.node) {
      ctx.fillStyle = pal.text;
      ctx.fillText(visibleText(n.node.name), b.left + 18 * tr.k, b.top + (NODE_H * tr.k) / 2, (NODE_W - 50) * tr.k);
    }
  }
}
