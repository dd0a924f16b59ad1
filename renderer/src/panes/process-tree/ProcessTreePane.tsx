/**
 * The process tree: a horizontal tidy tree (d3-hierarchy) of what is expanded, zoomed and panned with d3-zoom.
 * Edges and every node are drawn on a canvas; only the nodes in the viewport (plus the focused and the selected
 * one) are DOM elements (`role="treeitem"`), so the DOM stays bounded however large the tree. The API sends the
 * tree incrementally (`process.tree`): roots, expanded children, counts for "+N".
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { select, zoom as d3zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import type { Client, ProcessTree } from '../../../../shared/api';
import { useColorScheme } from '../../use-color-scheme';
import { drawTree } from './draw-tree';
import { AncestorTrail, TRAIL_H } from './AncestorTrail';
import { ancestorsOffLeft, frameTransform, openFrame, panInto, selectionFrame, wholeInView, type FrameRequest } from './frame';
import {
  chainKeys,
  keyMove,
  layoutTree,
  NODE_H,
  NODE_W,
  PAD,
  screenBox,
  visibleNodes,
  type LaidNode,
  type TreeKey,
  type TreeLayout,
  type Transform,
} from './tree-layout';
import './process-tree.css';
import { Ev, visibleText } from '../../evidence/Evidence';
import { PaneMessage } from '../NotReady';
import { isNotReady } from '../../state/case-import';

export interface ProcessTreeProps {
  client: Client;
  /** The process to select and reveal (the selected process, or the selected call's process). */
  selectedProcess: number | null;
  onSelectProcess(id: number): void;
  onHoverProcess(id: number | null): void;
  /** The context menu of a process (right-click, or the context-menu key on a focused item). */
  onMenu?(e: React.MouseEvent, p: { id: number; pid: number; name: string }): void;
}

/** Most DOM tree items at once (the viewport's nodes). */
export const MAX_DOM_ITEMS = 160;

export function ProcessTreePane({ client, selectedProcess, onSelectProcess, onHoverProcess, onMenu }: ProcessTreeProps) {
  const [data, setData] = useState<ProcessTree | null>(null);
  const [error, setError] = useState<string | null>(null);
  const expanded = useRef<Set<number>>(new Set());
  const seq = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [tr, setTr] = useState<Transform>({ k: 1, x: PAD, y: 0 });
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
  /** The last automatic framing, re-applied when the viewport is resized; null once the user pans or zooms. */
  const lastFrame = useRef<FrameRequest | null>(null);
  const lastSize = useRef({ w: 0, h: 0 });
  /** A process selected in the tree itself (click, Enter): revealing it must not move the tree. */
  const pickedHere = useRef<string | null>(null);
  /** An animated pan is running (data-animating: tests wait for it before a screenshot). */
  const [animating, setAnimating] = useState(false);
  /** A `process.tree` request is in flight. */
  const [loading, setLoading] = useState(false);
  const running = useRef(0);

  const load = useCallback(
    (p: { auto?: boolean; reveal?: number[] }) => {
      const my = ++seq.current;
      setLoading(true);
      client['process.tree']({ expanded: [...expanded.current], reveal: p.reveal ?? [], auto: p.auto ?? false, child_limit: 200 }).then(
        (r) => {
          if (my !== seq.current) return;
          expanded.current = new Set(r.expanded);
          setData(r);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (my !== seq.current) return;
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
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
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(new Set());
  // siblings of the selected chain fold into one row each, so the whole chain fits the pane
  const foldChain = selectedProcess !== null && data?.chain.includes(selectedProcess) ? data.chain : null;
  const layout: TreeLayout | null = useMemo(
    () => (data ? layoutTree(data, { chain: foldChain ?? [], unfolded }) : null),
    [data, foldChain, unfolded],
  );
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
      .on('zoom', (e: { transform: Transform; sourceEvent: Event | null }) => {
        // a wheel or a drag: the user framed the tree; stop re-framing it on resize
        if (e.sourceEvent) lastFrame.current = null;
        setTr({ k: e.transform.k, x: e.transform.x, y: e.transform.y });
      });
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
    if (animate) {
      // one pan may interrupt another: animating until the last one ends
      running.current++;
      setAnimating(true);
      select(el)
        .transition()
        .duration(250)
        .call(z.transform, target)
        .on('end interrupt', () => {
          running.current--;
          if (running.current <= 0) {
            running.current = 0;
            setAnimating(false);
          }
        });
    } else select(el).call(z.transform, target);
  }, []);

  /** Frame `req` now (and again on resize, until the user pans or zooms). */
  const applyFrame = useCallback(
    (l: TreeLayout, req: FrameRequest, w: number, h: number, animate = false) => {
      lastFrame.current = req;
      setTransform(frameTransform(l, req, w, h, TRAIL_H), animate);
    },
    [setTransform],
  );

  // ---- after a new layout: the first framing, keep a toggled node in place, frame a revealed node ----
  useLayoutEffect(() => {
    if (!layout || size.w === 0) return;
    const resized = lastSize.current.w !== size.w || lastSize.current.h !== size.h;
    lastSize.current = { w: size.w, h: size.h };
    const r = reveal.current && layout.byKey.has(reveal.current) ? reveal.current : null;
    if (r) reveal.current = null;
    if (first.current) {
      // on open (and Reset): the selection and its ancestors, else the branches leading to findings
      first.current = false;
      anchor.current = null;
      const req = r ? selectionFrame(layout, r) : openFrame(layout);
      applyFrame(layout, req, size.w, size.h);
      const f = r ?? req.target ?? layout.nodes.find((n) => n.id !== null)?.key ?? null;
      if (f) setFocused(f);
      return;
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
    if (r) {
      setFocused(r);
      // a selection from elsewhere (table, timeline, Details): frame it with as many ancestors as fit; one made in
      // the tree itself only moves the tree when the node is not whole in view
      const here = pickedHere.current === r;
      pickedHere.current = null;
      const n = layout.byKey.get(r)!;
      if (!here || !wholeInView(n, trRef.current, size.w, size.h)) applyFrame(layout, selectionFrame(layout, r), size.w, size.h, true);
      return;
    }
    if (resized && lastFrame.current) applyFrame(layout, lastFrame.current, size.w, size.h);
  }, [layout, size.w, size.h, setTransform, applyFrame]);

  // ---- canvas (redrawn when the theme flips: its colours come from the theme) ----
  const scheme = useColorScheme();
  useEffect(() => {
    const c = canvas.current;
    if (!c || !layout || size.w === 0) return;
    const id = requestAnimationFrame(() => drawTree(c, layout, tr, size.w, size.h, chain));
    return () => cancelAnimationFrame(id);
  }, [layout, tr, size.w, size.h, chain, scheme]);

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
    lastFrame.current = null;
    if (n.node.children === null) expanded.current.add(n.node.id);
    else expanded.current.delete(n.node.id);
    load({});
  };

  const moveFocus = (key: string) => {
    setFocused(key);
    pendingFocus.current = true;
    const n = layout?.byKey.get(key);
    if (!n) return;
    const t = panInto(n, trRef.current, size.w, size.h, TRAIL_H);
    if (t) {
      lastFrame.current = null;
      setTransform(t);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent, n: LaidNode) => {
    if (!layout) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (n.id !== null) {
        pickedHere.current = n.key;
        onSelectProcess(n.id);
      }
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

  if (error && !data) return isNotReady(error) ? <PaneMessage text={error} className="pt-empty" /> : <div className="pt-empty" role="alert">Process tree unavailable: {error}</div>;
  if (!data) return <div className="pt-empty" aria-busy="true">Loading process tree…</div>;
  if (data.total === 0) return <div className="pt-empty">This case holds no process events.</div>;

  /** Zoom about the viewport's centre (the buttons). */
  const zoomBy = (f: number) => {
    const k = Math.min(2.5, Math.max(0.15, tr.k * f));
    const cx = size.w / 2, cy = size.h / 2;
    lastFrame.current = null;
    setTransform({ k, x: cx - ((cx - tr.x) * k) / tr.k, y: cy - ((cy - tr.y) * k) / tr.k });
  };

  // the trail names the ancestors out of view of the selected process (else the focused one)
  const trailKey = selectedKey && layout?.byKey.has(selectedKey) ? selectedKey : focusKey;
  const trail = layout ? ancestorsOffLeft(layout, trailKey, tr, TRAIL_H) : [];
  const goTo = (n: LaidNode) => {
    const t = panInto(n, trRef.current, size.w, size.h, TRAIL_H);
    setFocused(n.key);
    if (t) {
      lastFrame.current = null;
      setTransform(t, true);
    }
  };

  const style = { transform: `translate(${tr.x}px, ${tr.y}px) scale(${tr.k})` };
  return (
    <div className="pt-root">
      <div className="pane-bar pt-bar">
        <h2>Process tree</h2>
        <ProcessSearch client={client} onFound={(id) => onSelectProcess(id)} />
        <span className="pt-count" title={`${data.total.toLocaleString()} processes, ${data.nodes.length.toLocaleString()} shown`}>
          {data.nodes.length.toLocaleString()} of {data.total.toLocaleString()}
        </span>
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(1 / 1.25)} aria-label="Zoom out" title="Zoom out">
          −
        </button>
        <button
          type="button"
          onClick={() => {
            first.current = true;
            reveal.current = selectedKey;
            expanded.current = new Set();
            load({ auto: true, reveal: selectedProcess === null ? [] : [selectedProcess] });
          }}
          title="Collapse to the interesting branches and fit them in view"
        >
          Reset
        </button>
      </div>
      <div ref={box} className="pt-viewport" data-dom-items={items.length} data-animating={animating ? 'true' : undefined} aria-busy={loading || animating}>
        <canvas ref={canvas} className="pt-canvas" aria-hidden="true" />
        <AncestorTrail nodes={trail} onGo={goTo} />
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
                  pickedHere.current = n.key;
                  onSelectProcess(n.node!.id);
                }}
                onToggle={() => toggle(n)}
                onKeyDown={(e) => onKeyDown(e, n)}
                onMenu={onMenu}
                onFocus={() => {
                  // focusing an item off screen (Tab) must pan the tree, never scroll the clipped viewport
                  const el = box.current;
                  if (el && (el.scrollTop || el.scrollLeft)) el.scrollTop = el.scrollLeft = 0;
                  if (focused !== n.key) moveFocus(n.key);
                }}
                onHover={onHoverProcess}
              />
            ) : n.siblingsOf !== undefined ? (
              <div
                key={n.key}
                role="treeitem"
                aria-level={n.depth + 1}
                aria-selected="false"
                aria-label={`${n.more} other processes of this parent, off the selected chain and without findings: press Enter to show them`}
                tabIndex={-1}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') (e.currentTarget as HTMLElement).click();
                }}
                className="pt-more pt-siblings"
                style={{ left: n.x, top: n.y - NODE_H / 2, height: NODE_H, maxWidth: NODE_W }}
                title="Other processes of this parent, off the selected chain and without findings: show them"
                onClick={() => {
                  anchor.current = { key: n.parentKey ?? n.key, ...(() => { const b = screenBox(layout!.byKey.get(n.parentKey ?? n.key)!, trRef.current); return { sx: b.left, sy: b.top }; })() };
                  setUnfolded(new Set([...unfolded, n.siblingsOf!]));
                }}
              >
                {n.more.toLocaleString()} other process{n.more === 1 ? '' : 'es'}
              </div>
            ) : (
              <div key={n.key} role="treeitem" aria-level={n.depth + 1} aria-selected="false" aria-disabled="true" className="pt-more" style={{ left: n.x, top: n.y - NODE_H / 2, height: NODE_H, lineHeight: `${NODE_H}px`, maxWidth: NODE_W }} title="Not shown: children past the per-node limit">
                +{n.more.toLocaleString()} more
              </div>
            ),
          )}
        </div>
      </div>
    </div>
  );
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
  onMenu?(e: React.MouseEvent, p: { id: number; pid: number; name: string }): void;
}) {
  const node = p.n.node!;
  const open = node.children !== null;
  const hasKids = node.child_count > 0;
  const label =
    `${visibleText(node.name)}, pid ${node.pid}` +
    (node.calls ? `, ${node.calls} call${node.calls === 1 ? '' : 's'}` : '') +
    (node.findings ? `, ${node.findings} finding call${node.findings === 1 ? '' : 's'}` : '') +
    (hasKids && !open ? `, ${node.descendants} processes below` : '') +
    (node.subtree_findings > node.findings ? `, findings below` : '');
  return (
    <div
      role="treeitem"
      className={`pt-node${p.selected ? ' pt-selected' : ''}${p.chain ? ' pt-chain' : ''}${node.subtree_findings ? ' pt-has-findings' : ''}`}
      style={{ left: p.n.x, top: p.n.y - NODE_H / 2, width: NODE_W, height: NODE_H }}
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
      title={`${visibleText(node.exe ?? node.name)} (pid ${node.pid})${node.step_number !== null ? ` · step ${node.step_number}` : ''}`}
      onClick={(e) => {
        if ((e.target as Element).closest('.pt-toggle')) return;
        p.onSelect();
      }}
      onKeyDown={p.onKeyDown}
      onFocus={p.onFocus}
      onContextMenu={p.onMenu ? (e) => p.onMenu!(e, { id: node.id, pid: node.pid, name: node.name }) : undefined}
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
      <Ev className="pt-name" text={node.name} />
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

/**
 * "Search processes": a name, an argument or a pid; Enter selects the next match (it is revealed in the tree with
 * its chain), Shift+Enter the previous one.
 */
function ProcessSearch({ client, onFound }: { client: Client; onFound(id: number): void }) {
  const [q, setQ] = useState('');
  const [hit, setHit] = useState<{ q: string; i: number; total: number } | null>(null);
  const go = async (delta: number) => {
    const text = q.trim();
    if (!text) return;
    const i = hit && hit.q === text ? hit.i + delta : 0;
    const first = await client['process.list']({ search: text, sort: 'start', dir: 'asc', offset: 0, limit: 1 });
    if (first.total === 0) return setHit({ q: text, i: -1, total: 0 });
    const at = ((i % first.total) + first.total) % first.total;
    const r = at === 0 ? first : await client['process.list']({ search: text, sort: 'start', dir: 'asc', offset: at, limit: 1 });
    setHit({ q: text, i: at, total: first.total });
    if (r.rows[0]) onFound(r.rows[0].id);
  };
  return (
    <>
      <input
        type="search"
        className="pt-search"
        aria-label="Search processes"
        placeholder="Search processes"
        title="A name, an argument or a pid; Enter: next match, Shift+Enter: previous"
        value={q}
        spellCheck={false}
        onChange={(e) => {
          setQ(e.target.value);
          setHit(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void go(e.shiftKey ? -1 : 1);
          }
        }}
      />
      {hit && hit.q === q.trim() && <span className="pt-hits" aria-live="polite">{hit.total === 0 ? 'none' : `${hit.i + 1}/${hit.total}`}</span>}
    </>
  );
}
