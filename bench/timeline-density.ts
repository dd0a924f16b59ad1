/**
 * Benchmark 3: `timeline.density` (counts per pixel bucket, grouped in SQL) vs fetching every row of the same
 * series in the same window (what a timeline would have to do without it). Checked: the counts add up to the rows.
 */
import Database from 'better-sqlite3';
import { createApi } from '../electron/api/dispatch';
import { densitySql } from '../electron/queries/timeline';
import { timelineSeries, type TimelineDensity, type TimelineOverview, type TimelineSeries } from '../shared/api';
import { formatNanos, parseRfc3339 } from '../shared/time';
import { compareHeavy, comparePair, fmtMs, medianMs, type PairTiming } from './measure';
import type { BenchResult } from './report';

/** The rows each series counts, fetched whole (same filters as the density series). */
const ROWS_SQL: Record<TimelineSeries, string> = {
  network: 'SELECT * FROM network WHERE ts >= ? AND ts < ?',
  findings: 'SELECT * FROM network WHERE ts >= ? AND ts < ? AND finding_id IS NOT NULL',
  exec: "SELECT * FROM process_events WHERE ts >= ? AND ts < ? AND event = 'exec'",
  exit: "SELECT * FROM process_events WHERE ts >= ? AND ts < ? AND event = 'exit'",
  files: 'SELECT * FROM file_events WHERE ts >= ? AND ts < ?',
  logs: 'SELECT * FROM log_lines WHERE ts >= ? AND ts < ?',
  dns: 'SELECT * FROM dns WHERE ts >= ? AND ts < ?',
};

/** Power-of-two buckets covering [start, end) with about `px` buckets (as the timeline asks: one per pixel). */
function windowFor(
  start: bigint,
  end: bigint,
  px: number,
): { start: string; bucket_log2: number; buckets: number; end: bigint } {
  const span = end - start + 1n;
  let k = 0;
  while (span >> BigInt(k) > BigInt(px)) k++;
  const buckets = Number((span + (1n << BigInt(k)) - 1n) >> BigInt(k));
  return { start: formatNanos(start), bucket_log2: k, buckets, end: start + (BigInt(buckets) << BigInt(k)) };
}

export async function timelineDensityBench(casePath: string, quick: boolean): Promise<BenchResult[]> {
  const api = createApi(casePath);
  const ro = new Database(casePath, { readonly: true });
  const runs = quick ? 3 : 5;
  const out: BenchResult[] = [];
  try {
    const ov = await api.call('timeline.steps', {});
    if (!ov.ok) throw new Error(`timeline.steps: ${ov.error}`);
    const range = (ov.value as TimelineOverview).range;
    if (!range) throw new Error('the case has no time range');
    const lo = parseRfc3339(range.start);
    const hi = parseRfc3339(range.end);
    const stmts = Object.fromEntries(
      timelineSeries.map((s) => [s, ro.prepare(ROWS_SQL[s]).safeIntegers(true)]),
    ) as Record<TimelineSeries, Database.Statement>;

    // [id, label, from, to, heavy]: the whole run's rows take seconds to fetch, so that reference runs once.
    const views: [string, string, bigint, bigint, boolean][] = [
      ['3a', 'whole run', lo, hi, true],
      ['3b', 'zoomed to 1/16 of the run', lo + ((hi - lo) * 7n) / 16n, lo + ((hi - lo) * 8n) / 16n, false],
    ];
    const PX = 4500; // 1500 px wide, fetched 3x the view (as the renderer's DensityCache does)
    for (const [id, label, a, b, heavy] of views) {
      const w = windowFor(a, b, PX);
      const params = { start: w.start, bucket_log2: w.bucket_log2, buckets: w.buckets };
      const first = await api.call('timeline.density', params);
      if (!first.ok) throw new Error(`timeline.density: ${first.error}`);
      const dens = first.value as TimelineDensity;
      const start = parseRfc3339(w.start);
      let rows = 0;
      const counts: string[] = [];
      for (const s of timelineSeries) {
        const n = stmts[s].all(start, w.end).length;
        const sum = (dens.series[s]?.n ?? []).reduce((x, y) => x + y, 0);
        if (sum !== n) throw new Error(`timeline.density ${s}: buckets sum to ${sum}, the window holds ${n} rows`);
        rows += n;
        if (n) counts.push(`${s} ${n}`);
      }
      const fetchAll = () => {
        for (const s of timelineSeries) stmts[s].all(start, w.end);
      };
      const density = () => api.call('timeline.density', params);
      const t: PairTiming = heavy ? compareHeavy(density, fetchAll, runs) : comparePair(density, fetchAll, runs);
      const perSeries = timelineSeries.map(
        (s) => `${s} ${fmtMs(medianMs(() => api.call('timeline.density', { ...params, series: [s] }), 3))}`,
      );
      out.push({
        id,
        name: `timeline.density vs all rows, ${label}`,
        measured: `timeline.density, all ${timelineSeries.length} series, ${w.buckets} buckets of 2^${w.bucket_log2} ns (median of ${runs})`,
        measuredMs: t.a,
        reference: `SELECT * of the same series' rows in the window: ${rows} rows (${heavy ? 'one run' : `median of ${runs}`})`,
        referenceMs: t.b,
        maxRatio: 0.1,
        notes: [
          `rows in window: ${counts.join(', ')}; bucket sums equal row counts`,
          `density per series: ${perSeries.join(', ')}`,
        ],
      });
    }
    // The plans behind the per-row cost (densitySql is the query code's own SQL).
    const planOf = (s: TimelineSeries) =>
      (
        ro.prepare(`EXPLAIN QUERY PLAN ${densitySql(s)}`).all({ start: lo, end: hi, shift: 20n }) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('; ');
    out[out.length - 1]!.notes.push(
      `plans (electron/queries/timeline.ts densitySql): network: ${planOf('network')} | findings: ${planOf('findings')} | exec: ${planOf('exec')}`,
    );
    return out;
  } finally {
    ro.close();
    api.close();
  }
}
