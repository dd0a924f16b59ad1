/**
 * The timeline: one time axis for network calls, findings, process exec/exit, file events and log density, with
 * step bands and findings markers, an overview strip with a brush, pan/zoom by mouse and keyboard. Densities come
 * from `timeline.density` (bucketed in SQL); drawing is on two canvases (static + overlay). Clicking a moment moves
 * the shared time cursor; the selected call and the hovered process's calls are marked.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Client, TimelineOverview } from '../../../../shared/api';
import { formatNanos, parseRfc3339 } from '../../../../shared/time';
import { useColorScheme } from '../../use-color-scheme';
import { DensityCache, type DensityData } from './density-cache';
import { drawOverlay, drawStatic, prepareCanvas } from './draw';
import { GUTTER, lane, LANES_HEIGHT, MAIN_SERIES, OVERVIEW_SERIES, readPalette } from './lanes';
import { Overview, OVERVIEW_HEIGHT } from './Overview';
import { PaneControls } from '../../layout/PaneControls';
import { clockLabel, formatSpan } from './time-ticks';
import { boundsOf, clampView, fetchWindowFor, panBy, span, tOf, xOf, zoomAt, type FetchWindow, type TimeView } from './time-view';
import './timeline.css';
import { Ev, visibleText } from '../../evidence/Evidence';

export interface TimelineProps {
  client: Client;
  /** The shared time cursor (RFC 3339), or null. */
  cursor: string | null;
  onCursor(ts: string): void;
  /** The selected call, when there is one: its time is marked. */
  selectedCall: { id: number; ts: string } | null;
  onSelectCall(id: number): void;
  /** The process hovered elsewhere (the tree): its calls are highlighted. */
  hoveredProcess: number | null;
}

const HEIGHT = LANES_HEIGHT;
const DRAG_PX = 3;

/** Offset (ns from origin) of an RFC 3339 time; null when absent or unreadable. */
function offsetOf(origin: bigint, ts: string | null | undefined): number | null {
  if (!ts) return null;
  try {
    return Number(parseRfc3339(ts) - origin);
  } catch {
    return null;
  }
}

export function TimelinePane(props: TimelineProps) {
  const { client } = props;
  const [overview, setOverview] = useState<TimelineOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client['timeline.steps']({}).then(
      (o) => live && setOverview(o),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  if (error) return <div className="tl-empty" role="alert">Timeline unavailable: {error}</div>;
  if (!overview) return <div className="tl-empty" aria-busy="true">Loading timeline…</div>;
  if (!overview.range) return <div className="tl-empty">This case holds no timed events.</div>;
  return <TimelineChart {...props} overview={overview} range={overview.range} />;
}

function TimelineChart(props: TimelineProps & { overview: TimelineOverview; range: { start: string; end: string } }) {
  const { client, overview, range, onCursor, onSelectCall } = props;
  const origin = useMemo(() => parseRfc3339(range.start), [range.start]);
  const rangeNs = useMemo(() => Number(parseRfc3339(range.end) - origin), [range.end, origin]);
  const bounds = useMemo(() => boundsOf(rangeNs), [rangeNs]);
  // home: the job's steps (a runner's own processes may start minutes earlier), else everything
  const home = useMemo(() => {
    let a = Infinity, b = -Infinity;
    for (const st of overview.steps) {
      const s0 = offsetOf(origin, st.start), s1 = offsetOf(origin, st.end ?? st.start);
      if (s0 !== null) a = Math.min(a, s0);
      if (s1 !== null) b = Math.max(b, s1);
    }
    if (!(b > a)) return bounds;
    const pad = (b - a) * 0.02;
    return clampView({ start: a - pad, end: b + pad }, bounds);
  }, [overview.steps, origin, bounds]);
  const [view, setViewRaw] = useState<TimeView>(home);
  const setView = useCallback((v: TimeView) => setViewRaw(clampView(v, bounds)), [bounds]);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<number | null>(null);
  const [tick, setTick] = useState(0); // bumps when density data arrives
  const [processCalls, setProcessCalls] = useState<number[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const staticCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const plotW = Math.max(1, width - GUTTER);

  // ---- size ----
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  // ---- data ----
  const fetchSeries = useCallback(
    (series: typeof MAIN_SERIES) => async (w: FetchWindow) =>
      (
        await client['timeline.density']({
          start: formatNanos(origin + BigInt(w.start)),
          bucket_log2: w.bucketLog2,
          buckets: w.buckets,
          series,
        })
      ).series,
    [client, origin],
  );
  const bump = useCallback(() => setTick((t) => t + 1), []);
  const main = useMemo(() => new DensityCache(fetchSeries(MAIN_SERIES), bump), [fetchSeries, bump]);
  const [overviewData, setOverviewData] = useState<DensityData | null>(null);
  useEffect(() => {
    if (plotW < 2) return;
    let live = true;
    const w = fetchWindowFor(bounds, plotW * 3); // the whole case: one bucket per pixel
    fetchSeries(OVERVIEW_SERIES)(w).then(
      (series) => live && setOverviewData({ window: w, series }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [bounds, plotW, fetchSeries]);
  const data = plotW > 1 ? main.best(view, plotW) : null;
  void tick;

  // hovered process: its call times (few), fetched on hover
  useEffect(() => {
    const id = props.hoveredProcess;
    if (id === null) {
      setProcessCalls([]);
      return;
    }
    let live = true;
    client['process.calls']({ id, limit: 5000 }).then(
      (r) => live && setProcessCalls(r.calls.map((c) => offsetOf(origin, c.ts)!).filter((t) => t !== null)),
      () => live && setProcessCalls([]),
    );
    return () => {
      live = false;
    };
  }, [props.hoveredProcess, client, origin]);

  const cursor = offsetOf(origin, props.cursor);
  const selected = offsetOf(origin, props.selectedCall?.ts);

  // a newly selected call outside the view: bring it in (same zoom)
  const lastSelected = useRef<number | null>(null);
  useEffect(() => {
    if (selected === null || selected === lastSelected.current) return;
    lastSelected.current = selected;
    setViewRaw((v) => (selected < v.start || selected > v.end ? clampView({ start: selected - span(v) / 2, end: selected + span(v) / 2 }, bounds) : v));
  }, [selected, bounds]);

  // ---- drawing ----
  const scheme = useColorScheme();
  useEffect(() => {
    const c = staticCanvas.current;
    if (!c || width < 2) return;
    const id = requestAnimationFrame(() => {
      const ctx = prepareCanvas(c, width, HEIGHT);
      if (ctx) drawStatic(ctx, { colors: readPalette(c), width, height: HEIGHT, view, origin, data });
      c.dataset.drawn = String(Number(c.dataset.drawn ?? 0) + 1);
      c.dataset.bucketLog2 = data ? String(data.window.bucketLog2) : '';
    });
    return () => cancelAnimationFrame(id);
  }, [width, view, origin, data, scheme]);
  useEffect(() => {
    const c = overlayCanvas.current;
    if (!c || width < 2) return;
    const id = requestAnimationFrame(() => {
      const ctx = prepareCanvas(c, width, HEIGHT);
      if (ctx) drawOverlay(ctx, { colors: readPalette(c), width, height: HEIGHT, view, origin, hover, cursor, selected, processCalls });
    });
    return () => cancelAnimationFrame(id);
  }, [width, view, origin, hover, cursor, selected, processCalls, scheme]);

  // ---- mouse: drag pans, click moves the cursor, wheel zooms (shift/horizontal: pans) ----
  const drag = useRef<{ x: number; view: TimeView; moved: boolean; id: number } | null>(null);
  const timeAt = (clientX: number) => {
    const r = box.current!.getBoundingClientRect();
    return tOf(view, plotW, clientX - r.left - GUTTER);
  };
  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, view, moved: false, id: e.pointerId };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    const r = box.current!.getBoundingClientRect();
    const inPlot = e.clientX - r.left >= GUTTER;
    if (d && d.id === e.pointerId) {
      const dx = e.clientX - d.x;
      if (!d.moved && Math.abs(dx) >= DRAG_PX) {
        d.moved = true;
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      }
      if (d.moved) {
        setView(panBy(d.view, (-dx / plotW) * span(d.view), bounds));
        setHover(null);
        return;
      }
    }
    setHover(inPlot ? timeAt(e.clientX) : null);
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved || d.id !== e.pointerId) return;
    const target = e.target as HTMLElement;
    if (target.closest('button')) return; // step bands and finding markers handle their own clicks
    const r = box.current!.getBoundingClientRect();
    if (e.clientX - r.left < GUTTER) return;
    const t = timeAt(e.clientX);
    onCursor(formatNanos(origin + BigInt(Math.round(t))));
  };
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const x = e.clientX - r.left - GUTTER;
      setViewRaw((v) => {
        const horizontal = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
        const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
        if (horizontal) return panBy(v, (((e.shiftKey ? e.deltaY : e.deltaX) * scale) / plotW) * span(v), bounds);
        const t = tOf(v, plotW, Math.min(Math.max(0, x), plotW));
        return zoomAt(v, Math.exp(-e.deltaY * scale * 0.002), t, bounds);
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [plotW, bounds]);

  // ---- keyboard (when focused): arrows pan, +/- zoom, 0 resets, Enter puts the cursor mid-view ----
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== e.currentTarget) return; // keys on a step band or marker button are theirs
    const s = span(view);
    const mid = cursor !== null && cursor >= view.start && cursor <= view.end ? cursor : view.start + s / 2;
    let next: TimeView | null = null;
    switch (e.key) {
      case 'ArrowLeft':
        next = panBy(view, -s * (e.shiftKey ? 0.5 : 0.1), bounds);
        break;
      case 'ArrowRight':
        next = panBy(view, s * (e.shiftKey ? 0.5 : 0.1), bounds);
        break;
      case '+':
      case '=':
        next = zoomAt(view, 1.5, mid, bounds);
        break;
      case '-':
      case '_':
        next = zoomAt(view, 1 / 1.5, mid, bounds);
        break;
      case '0':
        next = home;
        break;
      case 'Enter':
        onCursor(formatNanos(origin + BigInt(Math.round(view.start + s / 2))));
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next) setViewRaw(clampView(next, bounds));
  };

  // ---- DOM parts: step bands and finding markers (few, and reachable by keyboard) ----
  const stepsLane = lane('steps');
  const findingsLane = lane('findings');
  const X = (t: number) => GUTTER + xOf(view, plotW, t);
  const steps = overview.steps
    .map((s) => ({ s, a: offsetOf(origin, s.start), b: offsetOf(origin, s.end ?? s.start) }))
    .filter((x): x is { s: (typeof overview.steps)[number]; a: number; b: number } => x.a !== null && x.b !== null)
    .filter(({ a, b }) => b >= view.start && a <= view.end);
  const findings = overview.findings
    .map((f) => ({ f, t: offsetOf(origin, f.first_seen) }))
    .filter((x): x is { f: (typeof overview.findings)[number]; t: number } => x.t !== null && x.t >= view.start && x.t <= view.end)
    .slice(0, 100);
  const label = (t: number) => clockLabel(origin, t, 3);
  const summary =
    `Timeline of the run from ${label(0)} to ${label(rangeNs)} UTC, showing ${label(view.start)} to ${label(view.end)} ` +
    `(${formatSpan(span(view))}). ${overview.steps.length} steps, ${overview.findings.length} findings.` +
    (cursor !== null ? ` Time cursor at ${label(cursor)}.` : '') +
    (selected !== null ? ` Selected call at ${label(selected)}.` : '');

  return (
    <div className="tl-root">
      <div className="pane-bar tl-bar">
        <h2>Timeline</h2>
        <span className="tl-span">
          {label(view.start)} – {label(view.end)} · {formatSpan(span(view))}
        </span>
        <span className="tl-legend" aria-hidden="true">
          <span className="tl-key tl-key-network">calls</span>
          <span className="tl-key tl-key-findings">findings</span>
          <span className="tl-key tl-key-exec">exec</span>
          <span className="tl-key tl-key-exit">exit</span>
          <span className="tl-key tl-key-files">files</span>
          <span className="tl-key tl-key-logs">log lines</span>
          <span className="tl-key tl-key-cursor">cursor</span>
        </span>
        <button type="button" onClick={() => setView(home)} title="Show the whole job (0); zoom out for events before or after it">
          Whole run
        </button>
        <PaneControls id="timeline" title="Timeline" />
      </div>
      <div
        ref={box}
        className="tl-chart"
        style={{ height: HEIGHT }}
        tabIndex={0}
        role="group"
        aria-roledescription="timeline"
        aria-label="Timeline chart: arrow keys pan, + and - zoom, 0 shows the whole job, Enter moves the time cursor to the middle"
        data-view-start={formatNanos(origin + BigInt(Math.round(view.start)))}
        data-view-end={formatNanos(origin + BigInt(Math.round(view.end)))}
        data-pending={main.pending}
        data-cursor={props.cursor ?? undefined}
        data-process-calls={processCalls.length}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
      >
        <canvas ref={staticCanvas} className="tl-canvas" role="img" aria-label={summary} />
        <canvas ref={overlayCanvas} className="tl-canvas tl-overlay" aria-hidden="true" />
        {width > 0 &&
          steps.map(({ s, a, b }) => {
            const left = Math.max(GUTTER, X(a));
            const right = Math.min(width, X(b));
            if (right - left < 1) return null;
            const title = `Step ${s.number}: ${visibleText(s.name)} (${label(a)}–${label(b)})`;
            return (
              <button
                key={s.id}
                type="button"
                className={`tl-step tl-step-${s.number % 2 ? 'odd' : 'even'}${s.conclusion === 'failure' ? ' tl-step-failed' : ''}`}
                style={{ left, width: right - left, top: stepsLane.top + 2, height: stepsLane.height - 4 }}
                title={title}
                aria-label={`${title}: zoom to this step`}
                data-step={s.number}
                onClick={() => setView({ start: a - (b - a) * 0.02, end: b + (b - a) * 0.02 })}
              >
                {right - left > 24 ? <Ev text={s.name} /> : ''}
              </button>
            );
          })}
        {width > 0 &&
          findings.map(({ f, t }) => (
            <button
              key={f.id}
              type="button"
              className="tl-finding"
              style={{ left: X(t) - 6, top: findingsLane.top + findingsLane.height / 2 - 6 }}
              title={`${visibleText(f.endpoint ?? f.kind)}: ${f.calls} call${f.calls === 1 ? '' : 's'}, first at ${label(t)}`}
              aria-label={`Finding ${f.kind} ${f.endpoint ?? ''}: ${f.calls} call${f.calls === 1 ? '' : 's'}, first at ${label(t)}. ${f.first_call_id !== null ? 'Select its first call' : 'Move the time cursor there'}`}
              data-finding={f.id}
              // a producer detection may name no call of ours: then its moment is what there is to show
              onClick={() => (f.first_call_id !== null ? onSelectCall(f.first_call_id) : onCursor(formatNanos(origin + BigInt(Math.round(t)))))}
            />
          ))}
      </div>
      {width > 0 && <Overview width={width} bounds={bounds} view={view} data={overviewData} onView={setView} />}
    </div>
  );
}

export const TIMELINE_HEIGHT = HEIGHT + OVERVIEW_HEIGHT;
