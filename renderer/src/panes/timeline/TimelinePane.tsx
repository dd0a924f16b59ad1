/**
 * The timeline: one time axis for network calls, findings, process exec/exit, file events and log density, with
 * step bands and findings markers, an overview strip with a brush, pan/zoom by mouse and keyboard. Densities come
 * from `timeline.density` (bucketed in SQL); drawing is on two canvases (static + overlay). Clicking a moment moves
 * the shared time cursor; the selected call and the hovered process's calls are marked.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Client, NetworkFilter, NoteMark, TimelineOverview } from '../../../../shared/api';
import { NoteMarkers } from './NoteMarkers';
import { formatNanos, parseRfc3339 } from '../../../../shared/time';
import { useColorScheme } from '../../use-color-scheme';
import { DensityCache, type DensityData } from './density-cache';
import { drawOverlay, drawStatic, pixelBars, prepareCanvas } from './draw';
import { GUTTER, lane, LANES, LANES_HEIGHT, MAIN_SERIES, OVERVIEW_SERIES, readPalette } from './lanes';
import { clock } from '../../format';
import { openMenu } from '../ContextMenu';
import { Overview, OVERVIEW_HEIGHT } from './Overview';
import { TimelineLoading } from './TimelineLoading';
import { PaneControls } from '../../layout/PaneControls';
import { clockLabel, formatSpan } from './time-ticks';
import { boundsOf, clampView, fetchWindowFor, panBy, span, tOf, xOf, zoomAt, type FetchWindow, type TimeView } from './time-view';
import './timeline.css';
import '../filter-hits.css';
import { Ev, visibleText } from '../../evidence/Evidence';
import { PaneMessage, PartialTag } from '../NotReady';
import { isNotReady } from '../../state/case-import';

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
  /** A click on a process tick selects that process. */
  onSelectProcess?(id: number): void;
  /** The time range picked with Shift+drag (filters calls and log), and setting / clearing it. */
  timeRange?: { from: string; to: string } | null;
  onRange?(r: { from: string; to: string } | null): void;
  /** The calls table's filter (without its time range), when one is set: its hits are marked in the Network lane. */
  hitFilter?: NetworkFilter | null;
  /** The analyst's notes with their moments: a marker each; clicking one calls `onNote`. */
  notes?: NoteMark[];
  onNote?(m: NoteMark): void;
  /** A host picked in the Log hosts list: the times of the log lines that mention it (marked in the Log lines lane). */
  mentions?: { host: string; times: string[] } | null;
}

type Hit = { kind: 'call' | 'process'; id: number; t: number; text: string };
/** Pointer slack for hover and click on a tick (px either side). */
const HIT_PX = 4;
/** Finding markers closer than this (px) are grouped into one marker with a count. */
const GROUP_PX = 14;

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
    // Read again (a new client: the import advanced): an earlier "not ready yet" or error no longer holds.
    setError(null);
    client['timeline.steps']({}).then(
      (o) => live && setOverview(o),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  if (error) return isNotReady(error) ? <PaneMessage text={error} className="tl-empty" /> : <div className="tl-empty" role="alert">Timeline unavailable: {error}</div>;
  if (!overview) return <TimelineLoading why="Loading timeline…" />;
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
  const jobStart = useMemo(() => {
    const starts = overview.steps.map((st) => offsetOf(origin, st.start)).filter((x): x is number => x !== null);
    return starts.length ? Math.min(...starts) : 0;
  }, [overview.steps, origin]);
  const setView = useCallback((v: TimeView) => setViewRaw(clampView(v, bounds)), [bounds]);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<number | null>(null);
  const [hoverInfo, setHoverInfo] = useState<{ x: number; y: number; text: string } | null>(null);
  const [rangeDrag, setRangeDrag] = useState<{ a: number; b: number } | null>(null);
  const hoverSeq = useRef(0);
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
  // filter hits: counts of the matching calls per bucket (`network.density`), windowed like the densities
  const hitKey = props.hitFilter ? JSON.stringify(props.hitFilter) : null;
  const hitCache = useMemo(
    () =>
      hitKey === null
        ? null
        : new DensityCache(
            async (w) => ({
              network: (
                await client['network.density']({
                  filter: JSON.parse(hitKey) as NetworkFilter,
                  start: formatNanos(origin + BigInt(w.start)),
                  bucket_log2: w.bucketLog2,
                  buckets: w.buckets,
                })
              ).hits,
            }),
            bump,
          ),
    [hitKey, client, origin, bump],
  );
  const hitData = hitCache && plotW > 1 ? hitCache.best(view, plotW) : null;
  const hits = useMemo(
    () => (hitData?.series.network ? pixelBars(hitData.series.network, hitData, view, plotW) : null),
    [hitData, view, plotW],
  );
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

  const mentionTimes = useMemo(
    () => (props.mentions ? props.mentions.times.flatMap((ts) => (offsetOf(origin, ts) === null ? [] : [offsetOf(origin, ts)!])) : []),
    [props.mentions, origin],
  );
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
      if (ctx) drawOverlay(ctx, { colors: readPalette(c), width, height: HEIGHT, view, origin, hover, cursor, selected, processCalls, hits, mentionTimes });
    });
    return () => cancelAnimationFrame(id);
  }, [width, view, origin, hover, cursor, selected, processCalls, scheme, hits, mentionTimes]);

  // ---- mouse: drag pans, click moves the cursor, wheel zooms (shift/horizontal: pans) ----
  const drag = useRef<{ x: number; view: TimeView; moved: boolean; id: number } | null>(null);
  const timeAt = (clientX: number) => {
    const r = box.current!.getBoundingClientRect();
    return tOf(view, plotW, clientX - r.left - GUTTER);
  };
  /** The call or process tick nearest `t` in the lane at `y` (within HIT_PX), asked of the API. */
  const pick = async (t: number, y: number): Promise<Hit | null> => {
    const l = laneAt(y);
    if (!l || !['network', 'findings', 'processes'].includes(l.key)) return null;
    const d = (HIT_PX / plotW) * span(view);
    const from = formatNanos(origin + BigInt(Math.round(t - d)));
    const to = formatNanos(origin + BigInt(Math.round(t + d)));
    const near = <T,>(rows: T[], ts: (r: T) => string | null) =>
      rows.map((r) => ({ r, dt: Math.abs((offsetOf(origin, ts(r)) ?? Infinity) - t) })).sort((a, b) => a.dt - b.dt)[0]?.r;
    if (l.key === 'processes') {
      const r = near((await client['process.list']({ from, to, sort: 'start', dir: 'asc', offset: 0, limit: 50 })).rows, (x) => x.start);
      return r ? { kind: 'process', id: r.id, t: offsetOf(origin, r.start) ?? t, text: `exec ${r.name} (pid ${r.pid}) at ${clock(r.start)}` } : null;
    }
    const r = near(
      (await client['network.query']({ filter: { from, to, ...(l.key === 'findings' ? { findingsOnly: true } : {}) }, sort: 'ts', dir: 'asc', offset: 0, limit: 50 })).rows,
      (x) => x.ts,
    );
    return r
      ? {
          kind: 'call',
          id: r.id,
          t: offsetOf(origin, r.ts) ?? t,
          text: `${visibleText(r.process_name ?? '?')}${r.pid !== null ? ` ${r.pid}` : ''} → ${visibleText(r.domain ?? r.ip ?? '')}:${r.port}${r.finding_kind ? ` (${r.finding_kind})` : ''} at ${clock(r.ts)}`,
        }
      : null;
  };
  const laneAt = (y: number) => LANES.find((l) => y >= l.top && y < l.top + l.height) ?? null;
  const describe = (t: number, y: number): string => {
    const l = laneAt(y);
    const at = clock(formatNanos(origin + BigInt(Math.round(t))));
    if (l?.key === 'steps') {
      const st = overview.steps.find((s) => {
        const a = offsetOf(origin, s.start), b = offsetOf(origin, s.end ?? s.start);
        return a !== null && b !== null && t >= a && t <= b;
      });
      return st ? `Step ${st.number}: ${st.name} · ${at}` : at;
    }
    return l?.label ? `${l.label} · ${at}` : at;
  };
  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    if (e.shiftKey && !(e.target as HTMLElement).closest('button')) {
      // Shift+drag: pick a time range (filters the calls and the log)
      const t = timeAt(e.clientX);
      setRangeDrag({ a: t, b: t });
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      return;
    }
    drag.current = { x: e.clientX, view, moved: false, id: e.pointerId };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    const r = box.current!.getBoundingClientRect();
    const inPlot = e.clientX - r.left >= GUTTER;
    if (rangeDrag) {
      setRangeDrag({ a: rangeDrag.a, b: timeAt(e.clientX) });
      return;
    }
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
    if (!inPlot) {
      setHoverInfo(null);
      return;
    }
    // name what is under the pointer: the nearest call or process tick, else the lane and the time
    const t = timeAt(e.clientX), x = e.clientX - r.left, y = e.clientY - r.top;
    setHoverInfo({ x, y, text: describe(t, y) });
    const my = ++hoverSeq.current;
    void pick(t, y).then(
      (h) => my === hoverSeq.current && h && setHoverInfo({ x, y, text: h.text }),
      () => {},
    );
  };
  const onPointerUp = (e: React.PointerEvent) => {
    if (rangeDrag) {
      const a = Math.min(rangeDrag.a, rangeDrag.b), b = Math.max(rangeDrag.a, rangeDrag.b);
      setRangeDrag(null);
      if (((b - a) / span(view)) * plotW >= DRAG_PX)
        props.onRange?.({ from: formatNanos(origin + BigInt(Math.round(a))), to: formatNanos(origin + BigInt(Math.round(b))) });
      return;
    }
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved || d.id !== e.pointerId) return;
    const target = e.target as HTMLElement;
    if (target.closest('button')) return; // step bands and finding markers handle their own clicks
    const r = box.current!.getBoundingClientRect();
    if (e.clientX - r.left < GUTTER) return;
    const t = timeAt(e.clientX);
    const y = e.clientY - r.top;
    const l = laneAt(y);
    if (!l || !['network', 'findings', 'processes'].includes(l.key)) {
      onCursor(formatNanos(origin + BigInt(Math.round(t))));
      return;
    }
    // a click on a call or process tick selects it; elsewhere it moves the time cursor
    void pick(t, y).then(
      (h) => {
        if (h?.kind === 'call') onSelectCall(h.id);
        else if (h?.kind === 'process' && props.onSelectProcess) props.onSelectProcess(h.id);
        else onCursor(formatNanos(origin + BigInt(Math.round(t))));
      },
      () => onCursor(formatNanos(origin + BigInt(Math.round(t)))),
    );
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
    .sort((a, b) => a.t - b.t);
  // markers closer than GROUP_PX share one marker with a count, so none hides another
  const groups: { t: number; items: typeof findings }[] = [];
  for (const x of findings) {
    const g = groups[groups.length - 1];
    if (g && (X(x.t) - X(g.items[g.items.length - 1]!.t)) < GROUP_PX) g.items.push(x);
    else groups.push({ t: x.t, items: [x] });
  }
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
        <PartialTag pane="timeline" />
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
          {hitKey !== null && <span className="tl-key tl-key-hits">filter hits</span>}
          {props.mentions && (
            <span className="tl-key tl-key-mentions">
              lines naming <Ev text={props.mentions.host} />
            </span>
          )}
        </span>
        <GoToTime
          origin={origin}
          jobStart={jobStart}
          onGo={(t) => {
            onCursor(formatNanos(origin + BigInt(Math.round(t))));
            setView({ start: t - span(view) / 2, end: t + span(view) / 2 });
          }}
        />
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
        data-pending={main.pending + (hitCache?.pending ?? 0)}
        data-filter-hits={hits ? hits.map(([x]) => x).join(' ') : undefined}
        data-cursor={props.cursor ?? undefined}
        data-process-calls={processCalls.length}
        data-mention-lines={mentionTimes.length}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => {
          setHover(null);
          setHoverInfo(null);
          hoverSeq.current++;
        }}
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
        {width > 0 && props.notes && props.onNote && (
          <NoteMarkers
            marks={props.notes.flatMap((m) => {
              const t = offsetOf(origin, m.ts);
              return t === null ? [] : [{ m, t }];
            })}
            x={X}
            left={GUTTER}
            right={width}
            top={1}
            at={label}
            onPick={props.onNote}
          />
        )}
        {width > 0 &&
          groups.map(({ t, items }) => {
            const left = X(t) - 6;
            if (items.length === 1) {
              const { f } = items[0]!;
              return (
                <button
                  key={f.id}
                  type="button"
                  className="tl-finding"
                  style={{ left, top: findingsLane.top + findingsLane.height / 2 - 6 }}
                  title={`${visibleText(f.endpoint ?? f.kind)}: ${f.calls} call${f.calls === 1 ? '' : 's'}, first at ${label(t)}`}
                  aria-label={`Finding ${f.kind} ${f.endpoint ?? ''}: ${f.calls} call${f.calls === 1 ? '' : 's'}, first at ${label(t)}. ${f.first_call_id !== null ? 'Select its first call' : 'Move the time cursor there'}`}
                  data-finding={f.id}
                  // a producer detection may name no call of ours: then its moment is what there is to show
                  onClick={() => (f.first_call_id !== null ? onSelectCall(f.first_call_id) : onCursor(formatNanos(origin + BigInt(Math.round(t)))))}
                />
              );
            }
            const names = items.map(({ f }) => visibleText(f.endpoint ?? f.kind)).join(', ');
            return (
              <button
                key={`g${items[0]!.f.id}`}
                type="button"
                className="tl-finding-group"
                style={{ left: X(t) - 4, top: findingsLane.top + 1, height: findingsLane.height - 2 }}
                title={`${items.length} findings here: ${names}`}
                aria-label={`${items.length} findings at ${label(t)}: ${names}. Open the list`}
                aria-haspopup="menu"
                data-finding-group={items.map(({ f }) => f.id).join(' ')}
                onClick={(e) => {
                  const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
                  openMenu({ clientX: r.left, clientY: r.bottom + 2, preventDefault: () => {} }, [
                    ...items.map(({ f, t: ft }) => ({
                      label: `${f.kind} ${visibleText(f.endpoint ?? '')} · ${label(ft)}${f.first_call_id === null ? ' (no call of ours: moves the cursor)' : ''}`,
                      run: () => (f.first_call_id !== null ? onSelectCall(f.first_call_id) : onCursor(formatNanos(origin + BigInt(Math.round(ft))))),
                    })),
                    {
                      label: 'Zoom to these findings',
                      run: () => {
                        const a = items[0]!.t, b = items[items.length - 1]!.t, pad = Math.max((b - a) * 0.5, span(view) * 0.01);
                        setView({ start: a - pad, end: b + pad });
                      },
                    },
                  ]);
                }}
              >
                {items.length}
              </button>
            );
          })}
        {(() => {
          const ra = rangeDrag
            ? { a: Math.min(rangeDrag.a, rangeDrag.b), b: Math.max(rangeDrag.a, rangeDrag.b) }
            : props.timeRange
              ? { a: offsetOf(origin, props.timeRange.from) ?? 0, b: offsetOf(origin, props.timeRange.to) ?? 0 }
              : null;
          if (!ra || width <= 0) return null;
          const l = Math.max(GUTTER, X(ra.a)), rr = Math.min(width, X(ra.b));
          return rr > l ? <div className="tl-range" style={{ left: l, width: Math.max(1, rr - l), height: HEIGHT }} aria-hidden="true" /> : null;
        })()}
        {hoverInfo && !rangeDrag && (
          <div className="tl-hover" role="status" style={{ left: Math.min(hoverInfo.x + 10, Math.max(0, width - 280)), top: Math.min(hoverInfo.y + 12, HEIGHT - 20) }}>
            {hoverInfo.text}
          </div>
        )}
      </div>
      {width > 0 && (
        // the overview spans the job (its steps), widened to take in the view when it goes further
        <Overview width={width} bounds={{ start: Math.min(home.start, view.start), end: Math.max(home.end, view.end) }} view={view} data={overviewData} onView={setView} />
      )}
    </div>
  );
}

export const TIMELINE_HEIGHT = HEIGHT + OVERVIEW_HEIGHT;

/**
 * "Go to time": `09:12:21.5` (UTC, on the case's day), `+1:18` (from the job's start) or a full RFC 3339 time.
 * Enter moves the time cursor there and centres the view on it.
 */
function GoToTime({ origin, jobStart, onGo }: { origin: bigint; jobStart: number; onGo(t: number): void }) {
  const [v, setV] = useState('');
  const [bad, setBad] = useState(false);
  const parse = (s: string): number | null => {
    const txt = s.trim();
    let m: RegExpExecArray | null;
    if ((m = /^\+(?:(\d+):)?(\d+)(?:\.(\d{1,9}))?$/.exec(txt))) {
      const ns = (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1e9 + Number((m[3] ?? '').padEnd(9, '0') || 0);
      return jobStart + ns;
    }
    if ((m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(txt))) {
      const day = formatNanos(origin).slice(0, 10);
      const iso = `${day}T${m[1]!.padStart(2, '0')}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(9, '0')}Z`;
      try {
        return Number(parseRfc3339(iso) - origin);
      } catch {
        return null;
      }
    }
    try {
      return Number(parseRfc3339(txt) - origin);
    } catch {
      return null;
    }
  };
  return (
    <input
      type="search"
      className={`tl-goto${bad ? ' invalid' : ''}`}
      aria-label="Go to time"
      aria-invalid={bad}
      placeholder="Go to 09:12:21 / +1:18"
      title="Go to a time: HH:MM:SS(.fff) UTC, +M:SS from the job's start, or an RFC 3339 time; Enter"
      value={v}
      spellCheck={false}
      onChange={(e) => {
        setV(e.target.value);
        setBad(false);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Enter') return;
        const t = parse(v);
        if (t === null) setBad(true);
        else onGo(t);
      }}
    />
  );
}
