/**
 * The overview strip under the timeline: the whole case at a glance (calls, findings, log lines) with a d3-brush
 * showing and setting the visible window.
 */
import { useEffect, useRef } from 'react';
import { brushX, pointer, select, type BrushBehavior, type D3BrushEvent } from 'd3';
import { useColorScheme } from '../../use-color-scheme';
import type { DensityData } from './density-cache';
import { prepareCanvas, pixelBars } from './draw';
import { GUTTER, readPalette } from './lanes';
import type { TimeView } from './time-view';
import { tOf, xOf } from './time-view';

export const OVERVIEW_HEIGHT = 24;

interface Props {
  width: number;
  bounds: TimeView;
  view: TimeView;
  data: DensityData | null;
  onView(v: TimeView): void;
}

export function Overview({ width, bounds, view, data, onView }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const brush = useRef<BrushBehavior<unknown> | null>(null);
  const onViewRef = useRef(onView);
  onViewRef.current = onView;
  const viewRef = useRef(view);
  viewRef.current = view;
  const plotW = Math.max(1, width - GUTTER);
  const scheme = useColorScheme();

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const ctx = prepareCanvas(c, width, OVERVIEW_HEIGHT);
    if (!ctx) return;
    const pal = readPalette(c);
    ctx.fillStyle = pal.laneBgAlt;
    ctx.fillRect(0, 0, width, OVERVIEW_HEIGHT);
    ctx.fillStyle = pal.axisText;
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText('Overview', 8, OVERVIEW_HEIGHT / 2);
    if (!data) return;
    const draw = (key: 'logs' | 'network' | 'findings', color: string, frac: number) => {
      const s = data.series[key];
      if (!s) return;
      const bars = pixelBars(s, data, bounds, plotW);
      const max = bars.reduce((m, b) => Math.max(m, b[2]), 0);
      ctx.fillStyle = color;
      for (const [x, w, n] of bars) {
        const h = Math.max(1.5, (Math.log1p(n) / Math.log1p(max)) * (OVERVIEW_HEIGHT - 6) * frac);
        ctx.fillRect(GUTTER + x, OVERVIEW_HEIGHT - 3 - h, w, h);
      }
    };
    ctx.globalAlpha = 0.35;
    draw('logs', pal.logs, 1);
    ctx.globalAlpha = 0.8;
    draw('network', pal.network, 0.8);
    ctx.globalAlpha = 1;
    draw('findings', pal.findings, 1);
  }, [width, bounds, data, plotW, scheme]);

  // the brush: created once per size; user moves set the view
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const b = brushX<unknown>()
      .extent([
        [GUTTER, 1],
        [width, OVERVIEW_HEIGHT - 1],
      ])
      .on('brush end', (e: D3BrushEvent<unknown>) => {
        if (!e.sourceEvent) return; // our own moves
        if (!e.selection) {
          // a click without a drag: centre the view there, same span
          if (e.type !== 'end') return;
          const [x] = pointer(e.sourceEvent, el);
          const t = tOf(bounds, plotW, x - GUTTER);
          const half = (viewRef.current.end - viewRef.current.start) / 2;
          onViewRef.current({ start: t - half, end: t + half });
          return;
        }
        const [x0, x1] = e.selection as [number, number];
        if (x1 - x0 < 2) return;
        onViewRef.current({ start: tOf(bounds, plotW, x0 - GUTTER), end: tOf(bounds, plotW, x1 - GUTTER) });
      });
    brush.current = b;
    const g = select(el).selectAll<SVGGElement, unknown>('g.tl-brush').data<unknown>([0]).join('g').attr('class', 'tl-brush');
    g.call(b);
    return () => {
      g.on('.brush', null);
    };
  }, [width, bounds, plotW]);

  // follow the view (programmatic: no sourceEvent, so no feedback loop)
  useEffect(() => {
    const el = svg.current;
    const b = brush.current;
    if (!el || !b) return;
    const x0 = GUTTER + xOf(bounds, plotW, view.start);
    const x1 = GUTTER + Math.max(xOf(bounds, plotW, view.end), xOf(bounds, plotW, view.start) + 3);
    select(el).select<SVGGElement>('g.tl-brush').call(b.move, [x0, x1]);
  }, [view, bounds, plotW, width]);

  return (
    <div className="tl-overview" aria-hidden="true">
      <canvas ref={canvas} />
      <svg ref={svg} width={width} height={OVERVIEW_HEIGHT} className="tl-overview-svg" />
    </div>
  );
}
