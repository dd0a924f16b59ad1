/**
 * What every benchmark reports: the measured figure, its reference (measured in the same run), the ratio and the
 * goal (a bound on the ratio), and PASS/MISS. Absolute times are shown for context, never judged.
 */
import { fmtMs } from './measure';

export interface BenchResult {
  id: string;
  name: string;
  /** What was timed, and its time. */
  measured: string;
  measuredMs: number;
  reference: string;
  referenceMs: number;
  /** Goal: ratio (measured / reference) must be at most this. */
  maxRatio: number;
  /**
   * For a rate (benchmark 1: rows per second of the import ÷ of a bare insert): the ratio is reference / measured
   * (times turned into rates) and must be at least this; `maxRatio` is then ignored.
   */
  minRateRatio?: number;
  /**
   * For the interactive queries (benchmark 8): the issue's goal is an absolute p95; the ratio to the primary-key
   * lookup is printed beside it. When set, PASS means measuredMs ≤ this, and `maxRatio` is ignored.
   */
  absoluteGoalMs?: number;
  /** What measuredMs / referenceMs hold (default: milliseconds). */
  unit?: 'ms' | 'bytes';
  /** Extra lines (breakdowns, plans, checks), printed indented. */
  notes: string[];
}

export interface Outcome extends BenchResult {
  ratio: number;
  pass: boolean;
}

export function judge(r: BenchResult): Outcome {
  if (r.absoluteGoalMs !== undefined) {
    const ratio = r.referenceMs > 0 ? r.measuredMs / r.referenceMs : Infinity;
    return { ...r, ratio, pass: r.measuredMs <= r.absoluteGoalMs };
  }
  if (r.minRateRatio !== undefined) {
    const ratio = r.measuredMs > 0 ? r.referenceMs / r.measuredMs : Infinity;
    return { ...r, ratio, pass: ratio >= r.minRateRatio };
  }
  const ratio = r.referenceMs > 0 ? r.measuredMs / r.referenceMs : Infinity;
  return { ...r, ratio, pass: ratio <= r.maxRatio };
}

export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x >= 100) return `${x.toFixed(0)}x`;
  if (x >= 10) return `${x.toFixed(1)}x`;
  if (x >= 0.1) return `${x.toFixed(2)}x`;
  if (x >= 0.001) return `${x.toFixed(4)}x`;
  return `${x.toExponential(1)}x`;
}

export function fmtGoal(r: BenchResult): string {
  if (r.absoluteGoalMs !== undefined) {
    return r.unit === 'bytes' ? `≤ ${(r.absoluteGoalMs / 1e9).toFixed(1)} GB` : `p95 ≤ ${fmtMs(r.absoluteGoalMs)}`;
  }
  return r.minRateRatio !== undefined ? `rate ≥ ${fmtRatio(r.minRateRatio)}` : `≤ ${fmtRatio(r.maxRatio)}`;
}

function fmtValue(o: BenchResult, v: number): string {
  return o.unit === 'bytes' ? `${(v / 1048576).toFixed(0)} MiB` : fmtMs(v);
}

/** One block per benchmark, as it finishes. */
export function printOutcome(o: Outcome): void {
  console.log(`\n[${o.id}] ${o.name}`);
  console.log(`    measured:  ${fmtValue(o, o.measuredMs).padStart(9)}  ${o.measured}`);
  console.log(`    reference: ${fmtValue(o, o.referenceMs).padStart(9)}  ${o.reference}`);
  console.log(`    ratio ${fmtRatio(o.ratio)}, goal ${fmtGoal(o)}: ${o.pass ? 'PASS' : 'MISS'}`);
  for (const n of o.notes) console.log(`      ${n}`);
}

/** The closing table: one row per benchmark. */
export function printSummary(outcomes: Outcome[], errors: { id: string; message: string }[]): void {
  const rows = outcomes.map((o) => [
    o.id,
    o.name,
    fmtValue(o, o.measuredMs),
    fmtValue(o, o.referenceMs),
    fmtRatio(o.ratio),
    fmtGoal(o),
    o.pass ? 'PASS' : 'MISS',
  ]);
  for (const e of errors) rows.push([e.id, `ERROR: ${e.message}`, '', '', '', '', 'ERROR']);
  const head = ['#', 'benchmark', 'measured', 'reference', 'ratio', 'goal', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log('\n' + line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const passed = outcomes.filter((o) => o.pass).length;
  const missed = outcomes.length - passed;
  console.log(`\n${passed} passed, ${missed} missed${errors.length ? `, ${errors.length} failed to run` : ''}`);
}
