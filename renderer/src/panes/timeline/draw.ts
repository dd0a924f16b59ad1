/**
 * Canvas drawing for the timeline. The static layer (axis, lane backgrounds, densities) is redrawn when the view or
 * the data changes; the overlay layer (hover line, time cursor, selected call, hovered process's calls) is drawn on
 * its own canvas so hovering never repaints the densities. Both are devicePixelRatio aware.
 */
import type { DensitySeries, TimelineSeries } from '../../../../shared/api';
import type { DensityData } from './density-cache';
import { GUTTER, LANES, lane, type Lane, type Palette } from './lanes';
import { clockLabel, formatSpan, fractionDigits, ticks } from './time-ticks';
import { span, xOf, type TimeView } from './time-view';

/** Size a canvas for its CSS box and the device pixel ratio; returns a context scaled to CSS px. */
export function prepareCanvas(c: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  c.style.width = `${width}px`;
  c.style.height = `${height}px`;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/**
 * Per-pixel maxima of a sparse series over the plot: several buckets falling into one pixel (stale, finer data)
 * keep the largest. Returns [x, width, count] runs.
 */
export function pixelBars(s: DensitySeries, data: DensityData, view: TimeView, plotW: number): [number, number, number][] {
  const w = 2 ** data.window.bucketLog2;
  const out: [number, number, number][] = [];
  for (let i = 0; i < s.b.length; i++) {
    const t0 = data.window.start + s.b[i]! * w;
    if (t0 + w < view.start || t0 > view.end) continue;
    const x0 = xOf(view, plotW, t0);
    const x1 = xOf(view, plotW, t0 + w);
    const px = Math.floor(x0);
    const width = Math.max(1, Math.round(x1 - px));
    const prev = out[out.length - 1];
    if (prev && prev[0] === px) prev[2] = Math.max(prev[2], s.n[i]!);
    else out.push([px, width, s.n[i]!]);
  }
  return out;
}

const logScale = (n: number, max: number) => (max <= 0 ? 0 : Math.log1p(n) / Math.log1p(max));

function drawBars(ctx: CanvasRenderingContext2D, bars: [number, number, number][], l: Lane, color: string, dir: 'up' | 'down' | 'center', max: number): void {
  ctx.fillStyle = color;
  const pad = 3;
  const full = l.height - pad * 2;
  for (const [x, w, n] of bars) {
    const h = Math.max(2, logScale(n, max) * (dir === 'center' ? full : full / 2));
    const X = GUTTER + x;
    if (dir === 'center') ctx.fillRect(X, l.top + l.height - pad - h, w, h);
    else if (dir === 'up') ctx.fillRect(X, l.top + l.height / 2 - h, w, h);
    else ctx.fillRect(X, l.top + l.height / 2, w, h);
  }
}

export interface StaticScene {
  colors: Palette;
  width: number;
  height: number;
  view: TimeView;
  origin: bigint;
  data: DensityData | null;
}

/** Axis, lane backgrounds and labels, grid lines, densities. */
export function drawStatic(ctx: CanvasRenderingContext2D, s: StaticScene): void {
  const pal = s.colors;
  const plotW = s.width - GUTTER;
  ctx.font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
  ctx.textBaseline = 'middle';
  LANES.forEach((l, i) => {
    if (l.key === 'axis') return;
    ctx.fillStyle = i % 2 ? pal.laneBg : pal.laneBgAlt;
    ctx.fillRect(0, l.top, s.width, l.height);
    ctx.fillStyle = pal.laneText;
    ctx.fillText(l.label, 8, l.top + l.height / 2);
  });
  // axis and grid
  const { step, at } = ticks(s.view, plotW, s.origin);
  const digits = fractionDigits(step);
  const axis = lane('axis');
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = pal.axisText;
  ctx.textAlign = 'center';
  for (const t of at) {
    const x = Math.round(GUTTER + xOf(s.view, plotW, t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, axis.top + axis.height - 5);
    ctx.lineTo(x, s.height);
    ctx.stroke();
    const label = clockLabel(s.origin, t, digits);
    if (x - GUTTER > 30 && s.width - x > 30) ctx.fillText(label, x, axis.top + axis.height / 2 - 1);
  }
  ctx.textAlign = 'left';
  ctx.fillStyle = pal.axisText;
  ctx.fillText(formatSpan(span(s.view)), 8, axis.top + axis.height / 2 - 1);
  ctx.beginPath();
  ctx.moveTo(GUTTER + 0.5, 0);
  ctx.lineTo(GUTTER + 0.5, s.height);
  ctx.moveTo(0, axis.top + axis.height - 0.5);
  ctx.lineTo(s.width, axis.top + axis.height - 0.5);
  ctx.stroke();
  if (!s.data) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER + 1, 0, plotW - 1, s.height);
  ctx.clip();
  const data = s.data;
  const bars = (k: TimelineSeries) => {
    const series = data.series[k];
    return series ? pixelBars(series, data, s.view, plotW) : [];
  };
  const maxOf = (...b: [number, number, number][][]) => b.reduce((m, xs) => xs.reduce((mm, x) => Math.max(mm, x[2]), m), 0);
  const net = bars('network');
  drawBars(ctx, net, lane('network'), pal.network, 'center', maxOf(net));
  const fnd = bars('findings');
  const fl = lane('findings');
  ctx.fillStyle = pal.findings;
  for (const [x, w] of fnd) ctx.fillRect(GUTTER + x, fl.top + 3, Math.max(2, w), fl.height - 6);
  const ex = bars('exec');
  const ei = bars('exit');
  const pm = maxOf(ex, ei);
  drawBars(ctx, ex, lane('processes'), pal.exec, 'up', pm);
  drawBars(ctx, ei, lane('processes'), pal.exit, 'down', pm);
  const fe = bars('files');
  drawBars(ctx, fe, lane('files'), pal.files, 'center', maxOf(fe));
  const lg = bars('logs');
  drawBars(ctx, lg, lane('logs'), pal.logs, 'center', maxOf(lg));
  ctx.restore();
}

export interface OverlayScene {
  colors: Palette;
  width: number;
  height: number;
  view: TimeView;
  origin: bigint;
  hover: number | null;
  cursor: number | null;
  selected: number | null;
  processCalls: number[];
  /** Calls matching the table's filter, as pixel runs [x, width, count] of the plot (null: no filter). */
  hits?: [number, number, number][] | null;
  /** Times (ns from the origin) of the log lines that mention the host picked in the Log hosts list. */
  mentionTimes?: number[];
}

function vline(ctx: CanvasRenderingContext2D, x: number, top: number, bottom: number, color: string, dash: number[] = []): void {
  ctx.strokeStyle = color;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(Math.round(x) + 0.5, top);
  ctx.lineTo(Math.round(x) + 0.5, bottom);
  ctx.stroke();
  ctx.setLineDash([]);
}

function timeTag(ctx: CanvasRenderingContext2D, x: number, label: string, color: string, text: string, width: number): void {
  ctx.font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
  const w = ctx.measureText(label).width + 10;
  const axis = lane('axis');
  const left = Math.min(Math.max(GUTTER, x - w / 2), width - w);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(left, axis.top + 2, w, axis.height - 5, 3);
  ctx.fill();
  ctx.fillStyle = text;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, left + 5, axis.top + axis.height / 2 - 0.5);
}

export function drawOverlay(ctx: CanvasRenderingContext2D, s: OverlayScene): void {
  const pal = s.colors;
  const plotW = s.width - GUTTER;
  const X = (t: number) => GUTTER + xOf(s.view, plotW, t);
  const inView = (t: number | null): t is number => t !== null && t >= s.view.start && t <= s.view.end;
  const digits = Math.max(3, fractionDigits(span(s.view) / 10));
  ctx.lineWidth = 1;
  if (s.processCalls.length) {
    const net = lane('network');
    ctx.fillStyle = pal.processCalls;
    let lastX = -1;
    for (const t of s.processCalls) {
      if (!inView(t)) continue;
      const x = Math.round(X(t));
      if (x === lastX) continue;
      lastX = x;
      ctx.fillRect(x - 1, net.top + 2, 3, net.height - 4);
    }
  }
  if (s.mentionTimes?.length) {
    const logs = lane('logs');
    ctx.fillStyle = pal.processCalls;
    let lastX = -1;
    for (const t of s.mentionTimes) {
      if (!inView(t)) continue;
      const x = Math.round(X(t));
      if (x === lastX) continue;
      lastX = x;
      ctx.fillRect(x - 1, logs.top + 1, 3, logs.height - 2);
    }
  }
  if (s.hits?.length) {
    // filter hits: a strip along the top of the Network lane, like a search-hit gutter in time
    const net = lane('network');
    ctx.fillStyle = pal.hits;
    for (const [x, w] of s.hits) ctx.fillRect(GUTTER + x - 1, net.top, Math.max(3, w + 1), 6);
  }
  if (inView(s.selected)) {
    const x = X(s.selected);
    ctx.lineWidth = 2;
    vline(ctx, x, lane('steps').top, s.height, pal.selected, [4, 3]);
    ctx.lineWidth = 1;
    const net = lane('network');
    ctx.fillStyle = pal.selected;
    ctx.beginPath();
    ctx.moveTo(x - 6, net.top);
    ctx.lineTo(x + 6, net.top);
    ctx.lineTo(x, net.top + 8);
    ctx.closePath();
    ctx.fill();
  }
  if (inView(s.cursor)) {
    const x = X(s.cursor);
    ctx.lineWidth = 2;
    vline(ctx, x, lane('steps').top, s.height, pal.cursor);
    ctx.lineWidth = 1;
    timeTag(ctx, x, clockLabel(s.origin, s.cursor, digits), pal.cursor, pal.laneText, s.width);
  }
  if (inView(s.hover)) {
    const x = X(s.hover);
    vline(ctx, x, lane('steps').top, s.height, pal.hover, [2, 2]);
    timeTag(ctx, x, clockLabel(s.origin, s.hover, digits), pal.laneText, pal.tagText, s.width);
  }
}
