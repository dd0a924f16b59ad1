/**
 * A virtualized, keyboard-usable table for the side panes (process list, DNS, file events): fixed row height,
 * rows fetched in pages as they scroll into view, optional sortable headers, Enter/click selects, arrows move.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { usePageCache, type Page } from '../../virtual/pages';
import { useViewport } from '../../virtual/useViewport';
import { scrollTopFor, virtualWindow } from '../../virtual/window';
import { paneMessageText } from '../NotReady';

export interface Column<T> {
  key: string;
  label: string;
  /** CSS grid track. */
  width: string;
  render(r: T): ReactNode;
  sortable?: boolean;
  title?(r: T): string | undefined;
}

const H = 22;

export function ListTable<T>(p: {
  label: string;
  cacheKey: string;
  columns: Column<T>[];
  fetch(offset: number, limit: number): Promise<Page<T>>;
  rowId(r: T): number | string;
  selectedId?: number | string | null;
  onPick?(r: T): void;
  onMenu?(e: React.MouseEvent, r: T): void;
  sort?: { key: string; dir: 'asc' | 'desc' };
  onSort?(key: string): void;
  empty: ReactNode;
  onTotal?(n: number | null): void;
}) {
  const cache = usePageCache<T>(p.cacheKey, 200, p.fetch);
  const scroller = useRef<HTMLDivElement>(null);
  const vp = useViewport(scroller);
  const total = cache.total ?? 0;
  const win = virtualWindow(total, H, vp.scrollTop, vp.height);
  const [active, setActive] = useState(0);
  useEffect(() => {
    cache.ensure(win.first, win.first + win.count - 1);
  });
  const { onTotal } = p;
  useEffect(() => onTotal?.(cache.total), [cache.total, onTotal]);
  const grid = p.columns.map((c) => c.width).join(' ');
  const move = (i: number) => {
    const n = Math.max(0, Math.min(total - 1, i));
    setActive(n);
    const el = scroller.current;
    if (el) el.scrollTop = scrollTopFor(n, total, H, el.clientHeight, el.scrollTop, false);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') move(active + 1);
    else if (e.key === 'ArrowUp') move(active - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(total - 1);
    else if (e.key === 'PageDown') move(active + 10);
    else if (e.key === 'PageUp') move(active - 10);
    else if (e.key === 'Enter') {
      const r = cache.get(active);
      if (r) p.onPick?.(r);
    } else return;
    e.preventDefault();
  };
  const rows = [];
  for (let i = win.first; i < win.first + win.count; i++) {
    const r = cache.get(i);
    rows.push(
      r ? (
        <div
          key={p.rowId(r)}
          role="row"
          aria-rowindex={i + 2}
          aria-selected={p.selectedId === p.rowId(r)}
          className={`lt-row${p.selectedId === p.rowId(r) ? ' selected' : ''}${i === active ? ' active' : ''}`}
          style={{ gridTemplateColumns: grid }}
          data-row-id={p.rowId(r)}
          onClick={() => {
            setActive(i);
            p.onPick?.(r);
          }}
          onContextMenu={p.onMenu ? (e) => p.onMenu!(e, r) : undefined}
        >
          {p.columns.map((c) => (
            <span key={c.key} role="gridcell" title={c.title?.(r)}>
              {c.render(r)}
            </span>
          ))}
        </div>
      ) : (
        <div key={`p${i}`} role="row" aria-rowindex={i + 2} className="lt-row placeholder" style={{ gridTemplateColumns: grid }}>
          <span role="gridcell" className="dim">
            …
          </span>
        </div>
      ),
    );
  }
  return (
    <div
      className="lt"
      role="grid"
      aria-label={p.label}
      aria-rowcount={total + 1}
    >
      <div role="row" aria-rowindex={1} className="lt-row lt-head" style={{ gridTemplateColumns: grid }}>
        {p.columns.map((c) => (
          <span
            key={c.key}
            role="columnheader"
            aria-sort={p.sort?.key === c.key ? (p.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {c.sortable && p.onSort ? (
              <button type="button" tabIndex={-1} onClick={() => p.onSort!(c.key)}>
                {c.label}
                <span aria-hidden="true">{p.sort?.key === c.key ? (p.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            ) : (
              c.label
            )}
          </span>
        ))}
      </div>
      {cache.error && (
        <div className="error-line" role="row">
          <span role="gridcell">{paneMessageText(cache.error)}</span>
        </div>
      )}
      <div className="scroller" ref={scroller} role="rowgroup" tabIndex={0} onKeyDown={onKey}>
        <div className="spacer" role="presentation" style={{ height: win.height }}>
          <div className="window" role="presentation" style={{ transform: `translateY(${win.top}px)` }}>
            {rows}
          </div>
        </div>
        {cache.total === 0 && (
          <div className="empty" role="row">
            <span role="gridcell">{p.empty}</span>
          </div>
        )}
      </div>
    </div>
  );
}
