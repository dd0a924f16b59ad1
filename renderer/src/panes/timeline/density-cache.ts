/**
 * Density data for the timeline: windows fetched from `timeline.density` (3x the view, power-of-two buckets, see
 * time-view.ts), kept in a small LRU. `best(view)` answers at once with the best data held — the exact window, or
 * any window that covers the view, or the last one drawn — so stale data stays on screen while new data arrives.
 */
import type { DensitySeries, TimelineSeries } from '../../../../shared/api';
import { covers, fetchWindowFor, windowKey, type FetchWindow, type TimeView } from './time-view';

export interface DensityData {
  window: FetchWindow;
  series: Partial<Record<TimelineSeries, DensitySeries>>;
}

export type DensityFetcher = (w: FetchWindow) => Promise<DensityData['series']>;

export class DensityCache {
  private readonly entries = new Map<string, DensityData>();
  private readonly inflight = new Set<string>();
  /** Windows whose fetch failed: not asked again (the error is shown), so a broken case cannot loop. */
  private readonly failed = new Set<string>();
  private last: DensityData | null = null;
  /** Windows requested from the API (for tests and diagnostics). */
  fetches = 0;
  errors: string[] = [];

  constructor(
    private readonly fetcher: DensityFetcher,
    private readonly onData: () => void,
    private readonly capacity = 24,
  ) {}

  /** The data to draw `view` with now; starts a fetch when nothing held matches the view's resolution. */
  best(view: TimeView, widthPx: number): DensityData | null {
    const want = fetchWindowFor(view, widthPx);
    const key = windowKey(want);
    let hit = this.entries.get(key);
    if (!hit) {
      for (const e of this.entries.values()) {
        if (e.window.bucketLog2 === want.bucketLog2 && covers(e.window, view)) {
          hit = e;
          break;
        }
      }
    }
    if (hit) {
      this.touch(windowKey(hit.window), hit);
      this.last = hit;
      return hit;
    }
    this.request(want, key);
    return this.last;
  }

  private touch(key: string, e: DensityData): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private request(w: FetchWindow, key: string): void {
    if (this.inflight.has(key) || this.failed.has(key)) return;
    this.inflight.add(key);
    this.fetches++;
    this.fetcher(w).then(
      (series) => {
        this.inflight.delete(key);
        this.touch(key, { window: w, series });
        while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
        this.onData();
      },
      (e: unknown) => {
        this.inflight.delete(key);
        this.failed.add(key);
        this.errors.push(e instanceof Error ? e.message : String(e));
        this.onData();
      },
    );
  }

  get pending(): number {
    return this.inflight.size;
  }
}
