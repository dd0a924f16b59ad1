/**
 * Axis ticks for nanosecond offsets: "nice" steps (1-2-5 from 1 ns up to seconds, then clock steps for minutes and
 * hours) aligned to the wall clock, and labels in UTC wall-clock time with as many fractional digits as the step
 * needs.
 */
import { formatNanos } from '../../../../shared/time';
import type { TimeView } from './time-view';

const SEC = 1e9;
const STEPS: number[] = (() => {
  const out: number[] = [];
  for (let e = 0; e <= 9; e++) for (const m of [1, 2, 5]) out.push(m * 10 ** e);
  out.push(10 * SEC, 15 * SEC, 30 * SEC, 60 * SEC, 120 * SEC, 300 * SEC, 600 * SEC, 900 * SEC, 1800 * SEC, 3600 * SEC);
  out.push(2 * 3600 * SEC, 6 * 3600 * SEC, 12 * 3600 * SEC, 24 * 3600 * SEC);
  return out;
})();

/** The smallest nice step that keeps ticks at least `minPx` apart. */
export function tickStep(spanNs: number, widthPx: number, minPx = 90): number {
  const want = (spanNs / Math.max(1, widthPx)) * minPx;
  return STEPS.find((s) => s >= want) ?? STEPS[STEPS.length - 1]!;
}

/**
 * Tick offsets within the view. Ticks sit on multiples of the step in absolute time (so "09:12:10" is a tick,
 * whatever the origin), computed with bigint for the origin.
 */
export function ticks(v: TimeView, widthPx: number, origin: bigint, minPx = 90): { step: number; at: number[] } {
  const step = tickStep(v.end - v.start, widthPx, minPx);
  const st = BigInt(step);
  // absolute time of the view's start, rounded up to the step
  const absStart = origin + BigInt(Math.floor(v.start));
  let first = absStart - (((absStart % st) + st) % st);
  if (first < absStart) first += st;
  const at: number[] = [];
  for (let t = Number(first - origin); t <= v.end && at.length < 1000; t += step) at.push(t);
  return { step, at };
}

/** Digits after the seconds that a step needs: 0 for >= 1 s, 3 for ms, 6 for µs, 9 for ns. */
export function fractionDigits(step: number): number {
  if (step >= SEC) return 0;
  if (step >= 1e6) return 3;
  if (step >= 1e3) return 6;
  return 9;
}

/** `HH:MM:SS[.fff…]` in UTC for an offset from the origin. */
export function clockLabel(origin: bigint, offset: number, digits: number): string {
  const s = formatNanos(origin + BigInt(Math.round(offset)));
  const hms = s.slice(11, 19);
  return digits > 0 ? `${hms}.${s.slice(20, 20 + digits)}` : hms;
}

/** A span for people: `1.5 s`, `250 ms`, `3 min 20 s`. */
export function formatSpan(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 3600 * SEC) return `${Math.floor(a / (3600 * SEC))} h ${Math.round((a % (3600 * SEC)) / (60 * SEC))} min`;
  if (a >= 60 * SEC) return `${Math.floor(a / (60 * SEC))} min ${Math.round((a % (60 * SEC)) / SEC)} s`;
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= SEC) return `${trim(a / SEC)} s`;
  if (a >= 1e6) return `${trim(a / 1e6)} ms`;
  if (a >= 1e3) return `${trim(a / 1e3)} µs`;
  return `${Math.round(a)} ns`;
}
