/**
 * Step windows: which step's `[started_at, completed_at]` holds a time. A step with no `completed_at` lasts until
 * the next step of its job starts (or forever for the last one). When windows of several steps hold the time
 * (several jobs), the manifest's job wins, then the latest-started step. `slackNs` > 0 lets a time that falls in
 * no window go to the nearest window within that distance.
 */
import type { Db } from '../db/open';

export interface StepWindow {
  id: number;
  job: string;
  number: number;
  start: bigint;
  end: bigint | null; // null: open-ended
}

export class StepIndex {
  private readonly w: StepWindow[];
  private readonly maxEnd: (bigint | null)[]; // prefix max of end (null = infinite)

  constructor(windows: StepWindow[], private readonly preferJob: string | null, private readonly slackNs: bigint = 0n) {
    this.w = [...windows].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id - b.id));
    this.maxEnd = [];
    let m: bigint | null = -1n << 100n;
    for (const s of this.w) {
      if (m !== null) m = s.end === null ? null : s.end > m ? s.end : m;
      this.maxEnd.push(m);
    }
  }

  get size(): number {
    return this.w.length;
  }

  /** The windows and settings as text: two indexes with the same signature answer every `at` alike. */
  signature(): string {
    const ws = this.w.map((s) => `${s.id},${s.job},${s.number},${s.start},${s.end ?? ''}`).join(';');
    return `${this.preferJob ?? ''}|${this.slackNs}|${ws}`;
  }

  private better(a: StepWindow, b: StepWindow | null): boolean {
    if (!b) return true;
    if (this.preferJob !== null && (a.job === this.preferJob) !== (b.job === this.preferJob)) return a.job === this.preferJob;
    if (a.start !== b.start) return a.start > b.start;
    return a.number > b.number;
  }

  /** Id of the step whose window holds `t`, or null. */
  at(t: bigint | null): number | null {
    if (t === null || this.w.length === 0) return null;
    // last window with start <= t
    let lo = 0, hi = this.w.length - 1, i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.w[mid]!.start <= t) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    let best: StepWindow | null = null;
    for (let j = i; j >= 0; j--) {
      const me = this.maxEnd[j];
      if (me !== null && me !== undefined && me < t) break;
      const s = this.w[j]!;
      if ((s.end === null || s.end >= t) && this.better(s, best)) best = s;
    }
    if (best || this.slackNs <= 0n) return best ? best.id : null;
    let bestDist: bigint | null = null;
    for (const s of this.w) {
      const d = t < s.start ? s.start - t : s.end !== null && t > s.end ? t - s.end : 0n;
      if (d > this.slackNs) continue;
      if (bestDist === null || d < bestDist || (d === bestDist && this.better(s, best))) { best = s; bestDist = d; }
    }
    return best ? best.id : null;
  }
}

/**
 * `afterPrecedence`: only the steps finalizeLogs' step precedence will keep (the best origin of each job; the first
 * row of each number), for an index made before it ran (the import's writer, network-live.ts).
 */
export function loadStepIndex(db: Db, preferJob: string | null, slackNs: bigint = 0n, afterPrecedence = false): StepIndex {
  const rank = (t: string) => `CASE ${t}.origin WHEN 'manifest' THEN 0 WHEN 'files' THEN 1 ELSE 2 END`;
  const where = afterPrecedence
    ? `WHERE ${rank('s')} = (SELECT MIN(${rank('b')}) FROM steps b WHERE b.job = s.job)
         AND s.id IN (SELECT MIN(id) FROM steps GROUP BY job, origin, number)`
    : '';
  const rows = db
    .prepare(`SELECT id, job, number, started_at, completed_at FROM steps s ${where} ORDER BY job, number, id`)
    .safeIntegers(true)
    .all() as { id: bigint; job: string; number: bigint; started_at: bigint | null; completed_at: bigint | null }[];
  const windows: StepWindow[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (r.started_at === null) continue;
    let end = r.completed_at;
    if (end === null) {
      for (let n = k + 1; n < rows.length && rows[n]!.job === r.job; n++) {
        const next = rows[n]!.started_at;
        if (next !== null && next >= r.started_at) { end = next; break; }
      }
    }
    if (end !== null && end < r.started_at) end = r.started_at; // a window that ends before it starts holds its start only
    windows.push({ id: Number(r.id), job: r.job, number: Number(r.number), start: r.started_at, end });
  }
  return new StepIndex(windows, preferJob, slackNs);
}
