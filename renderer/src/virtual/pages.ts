/**
 * Rows fetched in fixed-size pages by offset/limit, cached (bounded), for virtualized lists: only the pages in
 * view are ever requested. A new `key` (filter, sort, case) starts a new cache.
 */
import { useEffect, useMemo, useReducer, useRef } from 'react';

export interface Page<T> {
  total: number;
  rows: T[];
}

export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly pending = new Set<number>();
  total: number | null = null;
  error: string | null = null;

  constructor(
    readonly pageSize: number,
    private readonly fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
    private readonly onChange: () => void,
    private readonly maxPages = 40,
    /** The first page when it is already known (the first screen's answer): no call for it. */
    first?: Page<T> | null,
  ) {
    if (first) {
      this.pages.set(0, first.rows);
      this.total = first.total;
    }
  }

  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Fetch the pages holding rows first..last (inclusive) that are not cached or on their way. */
  ensure(first: number, last: number): void {
    if (last < first) return;
    const p0 = Math.floor(first / this.pageSize),
      p1 = Math.floor(last / this.pageSize);
    for (let p = p0; p <= p1; p++) {
      if (this.pages.has(p) || this.pending.has(p)) continue;
      if (this.total !== null && p * this.pageSize >= this.total) continue;
      this.pending.add(p);
      this.fetchPage(p * this.pageSize, this.pageSize).then(
        (r) => {
          this.pending.delete(p);
          this.total = r.total;
          this.error = null;
          this.pages.set(p, r.rows);
          if (this.pages.size > this.maxPages) {
            for (const k of this.pages.keys()) {
              if (k < p0 - 2 || k > p1 + 2) this.pages.delete(k);
              if (this.pages.size <= this.maxPages) break;
            }
          }
          this.onChange();
        },
        (e: unknown) => {
          this.pending.delete(p);
          this.error = e instanceof Error ? e.message : String(e);
          this.onChange();
        },
      );
    }
  }

  get loading(): boolean {
    return this.pending.size > 0;
  }
}

/** A PageCache for `key`, re-rendering the caller when pages arrive. */
export function usePageCache<T>(
  key: string,
  pageSize: number,
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  /** The first page if already known, for the first cache only (read once). */
  first?: () => Page<T> | null,
): PageCache<T> {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const firstRef = useRef(first);
  const cache = useMemo(() => {
    const seed = firstRef.current?.() ?? null;
    firstRef.current = undefined;
    return new PageCache<T>(pageSize, (o, l) => fetchRef.current(o, l), bump, 40, seed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, pageSize]);
  useEffect(() => {
    cache.ensure(0, 0);
  }, [cache]);
  return cache;
}
