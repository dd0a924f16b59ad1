/**
 * The calls table's hit gutter, beside its scrollbar: where in time (top: the first call, bottom: the last) the
 * calls matching the table's filter are, like a search-hit gutter. Counts come from `network.density` per pixel
 * bucket (grouped in SQL, no row loaded). The band shows the times of the rows in view (time order); a click
 * jumps the table to the first matching call at that moment.
 */
import { useEffect, useRef, useState } from 'react';
import type { NetworkFilter } from '../../../shared/api';
import { formatNanos, parseRfc3339 } from '../../../shared/time';
import { api } from '../api';
import { clock } from '../format';
import './filter-hits.css';

interface Marks {
  key: string;
  /** Tops (px) of the non-empty buckets, and their counts. */
  marks: { y: number; h: number; n: number }[];
  total: number;
}

/** Bucket width (a power of two of ns) giving at most one bucket per pixel over `spanNs`. */
export function bucketLog2For(spanNs: bigint, px: number): number {
  let k = 0;
  while (k < 56 && (1n << BigInt(k)) * BigInt(Math.max(1, px)) < spanNs) k++;
  return k;
}

export function HitGutter(p: {
  filter: NetworkFilter;
  /** First and last call of the case (unfiltered), RFC 3339. */
  span: { start: string; end: string } | null;
  /** Times of the first and last rows in view, when the table is in time order. */
  view: { from: string; to: string } | null;
  filtered: boolean;
  onJump(ts: string): void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  const [marks, setMarks] = useState<Marks | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(Math.floor(el.clientHeight)));
    ro.observe(el);
    setHeight(Math.floor(el.clientHeight));
    return () => ro.disconnect();
  }, []);
  const filterKey = JSON.stringify(p.filter);
  const key = `${filterKey}|${p.span?.start}|${p.span?.end}|${height}`;
  useEffect(() => {
    if (!p.span || height < 4) return;
    let live = true;
    const a = parseRfc3339(p.span.start);
    const spanNs = parseRfc3339(p.span.end) - a + 1n;
    const k = bucketLog2For(spanNs, height);
    const buckets = Number((spanNs >> BigInt(k)) + 1n);
    void api['network.density']({ filter: JSON.parse(filterKey) as NetworkFilter, start: p.span.start, bucket_log2: k, buckets }).then(
      (r) => {
        if (!live) return;
        const w = Number(1n << BigInt(k));
        const s = Number(spanNs);
        const ms = r.hits.b.map((b, i) => ({ y: Math.floor(((b * w) / s) * height), h: Math.max(2, Math.round((w / s) * height)), n: r.hits.n[i]! }));
        setMarks({ key, marks: ms, total: r.hits.n.reduce((x, y) => x + y, 0) });
      },
      () => live && setMarks({ key, marks: [], total: 0 }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names every input
  }, [key]);
  const m = marks?.key === key ? marks : null;
  const yOf = (ts: string): number | null => {
    if (!p.span) return null;
    const a = parseRfc3339(p.span.start), b = parseRfc3339(p.span.end);
    const s = Number(b - a) || 1;
    return (Number(parseRfc3339(ts) - a) / s) * height;
  };
  const band = p.view && p.span ? { top: yOf(p.view.from)!, bottom: yOf(p.view.to)! } : null;
  const onClick = (e: React.MouseEvent) => {
    if (!p.span || height < 1) return;
    const r = box.current!.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
    const a = parseRfc3339(p.span.start), b = parseRfc3339(p.span.end);
    p.onJump(formatNanos(a + BigInt(Math.round(Number(b - a) * f))));
  };
  const label = !p.span
    ? 'No calls'
    : `${p.filtered ? 'Calls matching the filter' : 'Calls'} in time, ${clock(p.span.start)} (top) to ${clock(p.span.end)} (bottom)` +
      (m ? `: ${m.total.toLocaleString()} in ${m.marks.length} places` : '');
  return (
    <div
      ref={box}
      className={`hit-gutter${p.filtered ? ' filtered' : ''}`}
      role="img"
      aria-label={label}
      title={`${label}. Click: jump the table to that moment.`}
      data-pending={m ? 0 : p.span && height >= 4 ? 1 : 0}
      data-hits={m ? m.marks.map((x) => x.y).join(' ') : undefined}
      onClick={onClick}
    >
      {band && <div className="hit-band" style={{ top: band.top, height: Math.max(3, band.bottom - band.top) }} />}
      {m?.marks.map((x) => <div key={x.y} className="hit-mark" style={{ top: x.y, height: x.h }} />)}
    </div>
  );
}
