/**
 * The process tree: a horizontal tidy tree (d3-hierarchy) of what is expanded, zoomed and panned with d3-zoom.
 * Edges and every node are drawn on a canvas; only the nodes in the viewport (plus the focused and the selected
 * one) are DOM elements (`role="treeitem"`), so the DOM stays bounded however large the tree. The API sends the
 * tree incrementally (`process.tree`): roots, expanded children, counts for "+N".
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { select, zoom as d3zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import type { Client, ProcessTree } from '../../../../shared/api';
import { drawTree } from './draw-tree';
import {
  chainKeys,
  COL_W,
  keyMove,
  layoutTree,
  NODE_H,
  NODE_W,
  screenBox,
  visibleNodes,
  type LaidNode,
  type TreeKey,
  type TreeLayout,
  type Transform,
} from './tree-layout';
import './process-tree.css';

export interface ProcessTreeProps {
  client: Client;
  /** The process to select and reveal (the selected process, or the selected call's process). */
  selectedProcess: number | null;
  onSelectProcess(id: number): void;
  onHoverProcess(id: number | null): void;
}

/** Most DOM tree items at once (the viewport's nodes). */
export const MAX_DOM_ITEMS = 160;

export function ProcessTreePane({ client, selectedProcess, onSelectProcess, onHoverProcess }: ProcessTreeProps) {
  const [data, setData] = useState<ProcessTree | null>(null);
  const [error, setError] = useState<string | null>(null);
  const expanded = useRef<Set<number>>(new Set());
  const seq = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [tr, setTr] = useState<Transform>({ k: 1, x: 16, y: 0 });
  const trRef = useRef(tr);
  trRef.current = tr;
  const zoomRef = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const pendingFocus = useRef(false);
  /** After a toggle: keep this node where it was on screen. */
  const anchor = useRef<{ key: string; sx: number; sy: number } | null>(null);
  /** After a reveal: bring this node into view. */
  const reveal = useRef<string | null>(null);
  const first = useRef(true);

  const load = useCallback(
    (p: { auto?: boolean; reveal?: number[] }) => {
      const my = ++seq.current;
      client['process.tree']({ expanded: [...expanded.current], reveal: p.reveal ?? [], auto: p.auto ?? false, child_limit: 200 }).then(
        (r) => {
          if (my !== seq.current) return;
          expanded.current = new Set(r.expanded);
          setData(r);
          setError(null);
        },
        (e: unknown) => my === seq.current && setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [client],
  );

  // first load: the automatic expansion (and the selection, if any)
  useEffect(() => {
    expanded.current = new Set();
    first.current = true;
    load({ auto: true });
  }, [load]);

  // the selection: reveal its chain
  useEffect(() => {
    if (selectedProcess === null) return;
    reveal.current = `p${selectedProcess}`;
    load({ reveal: [selectedProcess] });
  }, [selectedProcess, load]);

  const loaded = data !== null;
  const layout: TreeLayout | null = useMemo(() => (data ? layoutTree(data) : null), [data]);
  const selectedKey = selectedProcess === null ? null : `p${selectedProcess}`;
  const chain = useMemo(() => (layout ? chainKeys(layout, selectedKey) : new Set<string>()), [layout, selectedKey]);

  // ---- size ----
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, [loaded]);

  // ---- d3-zoom on the container ----
  useEffect(() => {
    const el = box.current;
    if (!el || !loaded) return;
    const z = d3zoom<HTMLDivElement, unknown>()
      .scaleExtent([0.15, 2.5])
      // wheel zooms, drag pans; a press on a tree item is a click, not a pan start
      .filter((e: Event) => {
        const t = e.target as Element | null;
        if (e.type === 'mousedown' && t?.closest('[role="treeitem"], button')) return false;
        return (!(e as MouseEvent).button || e.type === 'wheel') && !(e as MouseEvent).ctrlKey;
      })
      .on('zoom', (e: { transform: Transform }) => setTr({ k: e.transform.k, x: e.transform.x, y: e.transform.y }));
    zoomRef.current = z;
    const sel = select(el).call(z).on('dblclick.zoom', null);
    const t = trRef.current;
    sel.call(z.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
    return () => {
      sel.on('.zoom', null);
    };
  }, [loaded]);

  const setTransform = useCallback((t: Transform, animate = false) => {
    const el = box.current;
    const z = zoomRef.current;
    if (!el || !z) return setTr(t);
    const target = zoomIdentity.translate(t.x, t.y).scale(t.k);
    if (animate) select(el).transition().duration(250).call(z.transform, target);
    else select(el).call(z.transform, target);
  }, []);

  // ---- after a new layout: initial fit, keep a toggled node in place, bring a revealed node into view ----
  useLayoutEffect(() => {
    if (!layout || size.w === 0) return;
    if (first.current) {
      first.current = false;
      const h = layout.maxY - layout.minY + NODE_H * 2;
      if (h <= size.h) {
        setTransform({ k: 1, x: 12, y: (size.h - (layout.maxY + layout.minY)) / 2 });
        if (!reveal.current && layout.nodes[0]) setFocused(layout.nodes[0].key);
      } else if (!reveal.current) {
        // a tall tree: start on the first process with findings (the interesting branch), else on the root
        const n = layout.nodes.find((x) => x.node && x.node.findings > 0) ?? layout.nodes[0]!;
        setTransform(placeRight(n, 0.9, size.w, size.h));
        setFocused(n.key);
      }
    }
    const a = anchor.current;
    if (a) {
      anchor.current = null;
      const n = layout.byKey.get(a.key);
      if (n) {
        const t = trRef.current;
        const b = screenBox(n, t);
        setTransform({ k: t.k, x: t.x + (a.sx - b.left), y: t.y + (a.sy - b.top) });
      }
    }
    const r = reveal.current;
    if (r && layout.byKey.has(r)) {
      reveal.current = null;
      setFocused(r);
      const n = layout.byKey.get(r)!;
      const t = trRef.current;
      const out = (x: LaidNode | undefined) => {
        if (!x) return false;
        const b = screenBox(x, t);
        return b.left < 0 || b.right > size.w || b.top < 0 || b.bottom > size.h;
      };
      // the node and (when it fits) its parent in view: the chain reads from the left
      const parent = n.parentKey ? layout.byKey.get(n.parentKey) : undefined;
      if (out(n) || (out(parent) && (COL_W + NODE_W) * t.k < size.w)) setTransform(placeRight(n, t.k, size.w, size.h), true);
    }
  }, [layout, size.w, size.h, setTransform]);

  // ---- canvas ----
  useEffect(() => {
    const c = canvas.current;
    if (!c || !layout || size.w === 0) return;
    const id = requestAnimationFrame(() => drawTree(c, layout, tr, size.w, size.h, chain));
    return () => cancelAnimationFrame(id);
  }, [layout, tr, size.w, size.h, chain]);

  // ---- DOM items: the viewport's nodes, plus the focused and selected ones ----
  // the tabbable item (roving tabindex) is always in the DOM, so Tab can always reach the tree
  const focusKey = focused && layout?.byKey.has(focused) ? focused : (layout?.nodes.find((n) => n.id !== null)?.key ?? null);
  const keep = [focusKey, selectedKey].filter((k): k is string => k !== null);
  const items = layout ? visibleNodes(layout, tr, size.w, size.h, MAX_DOM_ITEMS, keep) : [];

  useEffect(() => {
    if (!pendingFocus.current || !focusKey) return;
    pendingFocus.current = false;
    box.current?.querySelector<HTMLElement>(`[data-key="${focusKey}"]`)?.focus({ preventScroll: true });
  });

  const toggle = (n: LaidNode) => {
    if (!n.node || n.node.child_count === 0) return;
    const b = screenBox(n, trRef.current);
    anchor.current = { key: n.key, sx: b.left, sy: b.top };
    if (n.node.children === null) expanded.current.add(n.node.id);
    else expanded.current.delete(n.node.id);
    load({});
  };

  const moveFocus = (key: string) => {
    setFocused(key);
    pendingFocus.current = true;
    const n = layout?.byKey.get(key);
    if (!n) return;
    const t = trRef.current;
    const b = screenBox(n, t);
    if (b.left < 0 || b.right > size.w || b.top < 0 || b.bottom > size.h) {
      setTransform({ k: t.k, x: b.left < 0 || b.right > size.w ? size.w / 3 - n.x * t.k : t.x, y: size.h / 2 - n.y * t.k });
    }
  };

  const onKeyDown = (e: React.KeyboardEvent, n: LaidNode) => {
    if (!layout) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (n.id !== null) onSelectProcess(n.id);
      return;
    }
    if (e.key === '*' || e.key === '+' || e.key === '-') return;
    const move = keyMove(layout, n.key, e.key as TreeKey);
    if (!['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    if (!move) return;
    if ('focus' in move) moveFocus(move.focus);
    else toggle(n);
  };

  if (error && !data) return <div className="pt-empty" role="alert">Process tree unavailable: {error}</div>;
  if (!data) return <div className="pt-empty" aria-busy="true">Loading process tree…</div>;
  if (data.total === 0) return <div className="pt-empty">This case holds no process events.</div>;

  const style = { transform: `translate(${tr.x}px, ${tr.y}px) scale(${tr.k})` };
  return (
    <div className="pt-root">
      <div className="pane-bar pt-bar">
        <h2>Process tree</h2>
        <span className="pt-count" title={`${data.total.toLocaleString()} processes, ${data.nodes.length.toLocaleString()} shown`}>
          {data.nodes.length.toLocaleString()} of {data.total.toLocaleString()}
        </span>
        <button type="button" onClick={() => setTransform({ k: Math.min(2.5, tr.k * 1.25), x: tr.x, y: tr.y })} aria-label="Zoom in" title="Zoom in">
          +
        </button>
        <button type="button" onClick={() => setTransform({ k: Math.max(0.15, tr.k / 1.25), x: tr.x, y: tr.y })} aria-label="Zoom out" title="Zoom out">
          −
        </button>
        <button
          type="button"
          onClick={() => {
            first.current = true;
            expanded.current = new Set();
            load({ auto: true, reveal: selectedProcess === null ? [] : [selectedProcess] });
          }}
          title="Collapse to the interesting branches"
        >
          Reset
        </button>
      </div>
      <div ref={box} className="pt-viewport" data-dom-items={items.length}>
        <canvas ref={canvas} className="pt-canvas" aria-hidden="true" />
        <div className="pt-layer" style={style} role="tree" aria-label="Processes" aria-multiselectable="false">
          {items.map((n) =>
            n.node ? (
              <TreeItem
                key={n.key}
                n={n}
                tabbable={n.key === focusKey}
                selected={n.key === selectedKey}
                chain={chain.has(n.key)}
                onSelect={() => {
                  setFocused(n.key);
                  onSelectProcess(n.node!.id);
                }}
                onToggle={() => toggle(n)}
                onKeyDown={(e) => onKeyDown(e, n)}
                onFocus={() => {
                  // focusing an item off screen (Tab) must pan the tree, never scroll the clipped viewport
                  const el = box.current;
                  if (el && (el.scrollTop || el.scrollLeft)) el.scrollTop = el.scrollLeft = 0;
                  if (focused !== n.key) moveFocus(n.key);
                }}
                onHover={onHoverProcess}
              />
            ) : (
              <div key={n.key} className="pt-more" style={{ left: n.x, top: n.y - NODE_H / 2 }} title="Not shown: children past the per-node limit">
                +{n.more.toLocaleString()} more
              </div>
            ),
          )}
        </div>
      </div>
    </div>
  );
}

/** A transform showing `n` right-aligned and vertically centred: the chain of ancestors leading to it is on the left. */
function placeRight(n: LaidNode, k: number, w: number, h: number): Transform {
  return { k, x: Math.max(w - 12 - (n.x + NODE_W) * k, 12 - n.x * k), y: h / 2 - n.y * k };
}

function TreeItem(p: {
  n: LaidNode;
  tabbable: boolean;
  selected: boolean;
  chain: boolean;
  onSelect(): void;
  onToggle(): void;
  onKeyDown(e: React.KeyboardEvent): void;
  onFocus(): void;
  onHover(id: number | null): void;
}) {
  const node = p.n.node!;
  const open = node.children !== null;
  const hasKids = node.child_count > 0;
  const label =
    `${node.name}, pid ${node.pid}` +
    (node.calls ? `, ${node.calls} call${node.calls === 1 ? '' : 's'}` : '') +
    (node.findings ? `, ${node.findings} finding call${node.findings === 1 ? '' : 's'}` : '') +
    (hasKids && !open ? `, ${node.descendants} processes below` : '') +
    (node.subtree_findings > node.findings ? `, findings below` : '');
  return (
    <div
      role="treeitem"
      className={`pt-node${p.selected ? ' pt-selected' : ''}${p.chain ? ' pt-chain' : ''}${node.subtree_findings ? ' pt-has-findings' : ''}`}
      style={{ left: p.n.x, top: p.n.y - NODE_H / 2, width: NODE_W }}
      data-key={p.n.key}
      data-process-id={node.id}
      data-chain={p.chain ? 'true' : undefined}
      aria-level={p.n.depth + 1}
      aria-posinset={p.n.pos}
      aria-setsize={p.n.setSize}
      aria-expanded={hasKids ? open : undefined}
      aria-selected={p.selected ? 'true' : 'false'}
      aria-label={label}
      tabIndex={p.tabbable ? 0 : -1}
      title={`${node.exe ?? node.name} (pid ${node.pid})${node.step_number !== null ? ` · step ${node.step_number}` : ''}`}
      onClick={(e) => {
        if ((e.target as Element).closest('.pt-toggle')) return;
        p.onSelect();
      }}
      onKeyDown={p.onKeyDown}
      onFocus={p.onFocus}
      onMouseEnter={() => p.onHover(node.id)}
      onMouseLeave={() => p.onHover(null)}
    >
      <span
        className={`pt-toggle${hasKids ? '' : ' pt-leaf'}`}
        aria-hidden="true"
        onClick={(e) => {
          e.stopPropagation();
          p.onToggle();
        }}
      >
        {hasKids ? (open ? '▾' : '▸') : '•'}
      </span>
      <span className="pt-name">{node.name}</span>
      <span className="pt-pid">{node.pid}</span>
      {node.findings > 0 && (
        <span className="pt-badge pt-badge-finding" title={`${node.findings} call${node.findings === 1 ? '' : 's'} with a finding`}>
          {node.findings}
        </span>
      )}
      {node.calls > 0 && (
        <span className="pt-badge pt-badge-calls" title={`${node.calls} network call${node.calls === 1 ? '' : 's'}`}>
          {node.calls.toLocaleString()}
        </span>
      )}
      {hasKids && !open && (
        <span className="pt-badge pt-badge-more" title={`${node.descendants} processes below (collapsed)`}>
          +{node.descendants.toLocaleString()}
        </span>
      )}
    </div>
  );
}
