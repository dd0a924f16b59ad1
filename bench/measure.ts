/** Wall-clock measurement for the benchmarks: single runs, medians, and interleaved pairs (so load hits both). */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t = nowMs();
  const value = await fn();
  return { ms: nowMs() - t, value };
}

export interface PairTiming {
  /** Median of the measured runs, ms. */
  a: number;
  /** Median of the reference runs, ms. */
  b: number;
  runsA: number[];
  runsB: number[];
}

/**
 * Run `a` (measured) and `b` (reference) alternately `runs` times each after `warmup` untimed rounds; medians.
 * Alternating keeps a burst of load from other processes on the machine from landing on one side only.
 */
export function comparePair(a: () => unknown, b: () => unknown, runs: number, warmup = 1): PairTiming {
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const runsA: number[] = [];
  const runsB: number[] = [];
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0;
    const t0 = nowMs();
    if (first) a();
    else b();
    const t1 = nowMs();
    if (first) b();
    else a();
    const t2 = nowMs();
    if (first) {
      runsA.push(t1 - t0);
      runsB.push(t2 - t1);
    } else {
      runsB.push(t1 - t0);
      runsA.push(t2 - t1);
    }
  }
  return { a: median(runsA), b: median(runsB), runsA, runsB };
}

/**
 * For a reference too slow to repeat (a whole-table fetch): `a` (measured) `runsA` times around a single run of
 * `b` — half before, half after — after one untimed run of `a`.
 */
export function compareHeavy(a: () => unknown, b: () => unknown, runsA: number): PairTiming {
  a();
  const runsA_: number[] = [];
  const timeA = () => {
    const t = nowMs();
    a();
    runsA_.push(nowMs() - t);
  };
  for (let i = 0; i < runsA >> 1; i++) timeA();
  const t = nowMs();
  b();
  const bMs = nowMs() - t;
  while (runsA_.length < runsA) timeA();
  return { a: median(runsA_), b: bMs, runsA: runsA_, runsB: [bMs] };
}

/** Median ms of `fn`, repeated until `runs` runs or `budgetMs` spent (at least 3 runs). */
export function medianMs(fn: () => unknown, runs: number, budgetMs = Infinity): number {
  fn();
  const xs: number[] = [];
  const start = nowMs();
  for (let i = 0; i < runs; i++) {
    const t = nowMs();
    fn();
    xs.push(nowMs() - t);
    if (i >= 2 && nowMs() - start > budgetMs) break;
  }
  return median(xs);
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
