/**
 * The timeline's visible window and the pure math around it. Times inside the renderer are nanosecond offsets
 * from the case's first event (`origin`, a bigint), held as plain numbers: exact below 2^53 ns (104 days), which
 * any one CI job is. Only requests to the API go back to absolute bigint time.
 */

export interface TimeView {
  /** Offsets from the origin, ns. `end > start`. */
  start: number;
  end: number;
}

/** The narrowest window the timeline zooms to: 1 µs. */
export const MIN_SPAN_NS = 1_000;

export const span = (v: TimeView): number => v.end - v.start;

/** The x (CSS px) of time `t` in a view drawn `width` px wide. */
export const xOf = (v: TimeView, width: number, t: number): number => ((t - v.start) / span(v)) * width;

/** The time at x. */
export const tOf = (v: TimeView, width: number, x: number): number => v.start + (x / width) * span(v);

/**
 * Keep a view within `bounds` (the case's range plus a margin): no wider than the bounds, not narrower than
 * MIN_SPAN_NS, and shifted (not squeezed) back inside when it was panned past an end.
 */
export function clampView(v: TimeView, bounds: TimeView): TimeView {
  const maxSpan = Math.max(span(bounds), MIN_SPAN_NS);
  let s = Math.min(Math.max(span(v), MIN_SPAN_NS), maxSpan);
  if (!Number.isFinite(s)) s = maxSpan;
  let start = Number.isFinite(v.start) ? v.start : bounds.start;
  if (start < bounds.start) start = bounds.start;
  if (start + s > bounds.end) start = Math.max(bounds.start, bounds.end - s);
  if (span(bounds) < MIN_SPAN_NS) start = bounds.start + (span(bounds) - s) / 2;
  return { start, end: start + s };
}

/** Zoom by `factor` (>1 zooms in) keeping the time under `anchor` where it is. */
export function zoomAt(v: TimeView, factor: number, anchor: number, bounds: TimeView): TimeView {
  const s = span(v) / factor;
  const frac = (anchor - v.start) / span(v);
  const start = anchor - frac * s;
  return clampView({ start, end: start + s }, bounds);
}

export function panBy(v: TimeView, deltaNs: number, bounds: TimeView): TimeView {
  return clampView({ start: v.start + deltaNs, end: v.end + deltaNs }, bounds);
}

/** A view of `s` ns centred on `t`. */
export function centerOn(t: number, s: number, bounds: TimeView): TimeView {
  return clampView({ start: t - s / 2, end: t + s / 2 }, bounds);
}

/** The bounds a case allows: its range plus 2% each side (so its first and last events are not on the edge). */
export function boundsOf(rangeNs: number): TimeView {
  const pad = Math.max(rangeNs * 0.02, MIN_SPAN_NS);
  return { start: -pad, end: rangeNs + pad };
}

// ---------- density fetches: power-of-two buckets, 3x the view, on a fixed grid ----------

/** Largest bucket exponent the API accepts. */
export const MAX_BUCKET_LOG2 = 56;
export const MAX_BUCKETS = 20_000;

/** The smallest power-of-two ns-per-bucket that is at least the view's ns-per-pixel. */
export function bucketLog2For(spanNs: number, widthPx: number): number {
  const perPx = spanNs / Math.max(1, widthPx);
  if (!(perPx > 1)) return 0;
  return Math.min(MAX_BUCKET_LOG2, Math.ceil(Math.log2(perPx) - 1e-9));
}

export interface FetchWindow {
  /** Offset of the first bucket from the origin (a multiple of the grid step). */
  start: number;
  bucketLog2: number;
  buckets: number;
}

/**
 * What to fetch for a view: buckets of 2^k ns (k from the view's ns-per-pixel), covering the view plus one view
 * width each side, with both ends snapped to a grid of 2^(k + g) ns where 2^g is about half the pixel width. Small
 * pans and zooms inside one power of two give the same window, so the cache hits.
 */
export function fetchWindowFor(v: TimeView, widthPx: number): FetchWindow {
  const k = bucketLog2For(span(v), widthPx);
  const g = Math.max(0, Math.floor(Math.log2(Math.max(2, widthPx))) - 1);
  const bucket = 2 ** k;
  const grid = bucket * 2 ** g;
  const s = span(v);
  const start = Math.floor((v.start - s) / grid) * grid;
  const end = Math.ceil((v.end + s) / grid) * grid;
  const buckets = Math.min(MAX_BUCKETS, Math.max(1, Math.round((end - start) / bucket)));
  return { start, bucketLog2: k, buckets };
}

export const windowKey = (w: FetchWindow): string => `${w.bucketLog2}:${w.start}:${w.buckets}`;

/** Whether data fetched for `w` covers the view `v` completely (then no fetch is needed). */
export function covers(w: FetchWindow, v: TimeView): boolean {
  const end = w.start + w.buckets * 2 ** w.bucketLog2;
  return w.start <= v.start && end >= v.end;
}
