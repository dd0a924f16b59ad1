import { describe, expect, it } from 'vitest';
import { DensityCache } from '../../renderer/src/panes/timeline/density-cache';
import { fetchWindowFor, panBy, zoomAt, type FetchWindow } from '../../renderer/src/panes/timeline/time-view';

const S = 1e9;
const bounds = { start: 0, end: 1000 * S };

/** A fetcher that answers when told to, recording what was asked. */
function deferredFetcher() {
  const asked: FetchWindow[] = [];
  const pending: { w: FetchWindow; resolve: () => void; reject: (e: Error) => void }[] = [];
  const fetcher = (w: FetchWindow) =>
    new Promise<{ network: { b: number[]; n: number[] } }>((resolve, reject) => {
      asked.push(w);
      pending.push({ w, resolve: () => resolve({ network: { b: [0], n: [w.bucketLog2] } }), reject });
    });
  return { asked, pending, fetcher };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('DensityCache', () => {
  it('fetches once per window, keeps stale data on screen while the next arrives, then hits', async () => {
    const f = deferredFetcher();
    let arrivals = 0;
    const cache = new DensityCache(f.fetcher, () => arrivals++);
    const v = { start: 100 * S, end: 200 * S };
    expect(cache.best(v, 1000)).toBeNull();
    expect(cache.best(v, 1000)).toBeNull(); // same window in flight: no second request
    expect(f.asked).toHaveLength(1);
    f.pending[0]!.resolve();
    await flush();
    expect(arrivals).toBe(1);
    const first = cache.best(v, 1000)!;
    expect(first.window).toEqual(fetchWindowFor(v, 1000));

    // a small pan stays within the fetched window: a hit, no request
    expect(cache.best(panBy(v, 20 * S, bounds), 1000)).toBe(first);
    expect(f.asked).toHaveLength(1);

    // zooming in 4x needs finer buckets: a request, and meanwhile the coarse data is still returned
    const z = zoomAt(v, 4, 150 * S, bounds);
    expect(cache.best(z, 1000)).toBe(first);
    expect(f.asked).toHaveLength(2);
    expect(f.asked[1]!.bucketLog2).toBe(first.window.bucketLog2 - 2);
    f.pending[1]!.resolve();
    await flush();
    expect(cache.best(z, 1000)!.window.bucketLog2).toBe(first.window.bucketLog2 - 2);
    // and zooming back out is served from the cache
    expect(cache.best(v, 1000)).toBe(first);
    expect(f.asked).toHaveLength(2);
  });

  it('does not ask again for a window whose fetch failed, and keeps the error', async () => {
    const f = deferredFetcher();
    const cache = new DensityCache(f.fetcher, () => {});
    const v = { start: 0, end: 10 * S };
    cache.best(v, 500);
    f.pending[0]!.reject(new Error('timeline.density: bad params'));
    await flush();
    expect(cache.errors).toEqual(['timeline.density: bad params']);
    cache.best(v, 500);
    expect(f.asked).toHaveLength(1);
    expect(cache.pending).toBe(0);
  });

  it('evicts the least recently used windows past its capacity', async () => {
    const f = deferredFetcher();
    const cache = new DensityCache(f.fetcher, () => {}, 2);
    const views = [0, 300, 600].map((s) => ({ start: s * S, end: (s + 10) * S }));
    for (const v of views) {
      cache.best(v, 500);
      f.pending[f.pending.length - 1]!.resolve();
      await flush();
    }
    expect(f.asked).toHaveLength(3);
    cache.best(views[2]!, 500);
    cache.best(views[1]!, 500);
    expect(f.asked).toHaveLength(3);
    cache.best(views[0]!, 500); // evicted: asked again
    expect(f.asked).toHaveLength(4);
  });
});
