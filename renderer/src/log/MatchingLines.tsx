/**
 * "Show only matching lines": the build log's lines that match the filter expression (and the timeline's time
 * range), virtualized like the full log, each with its line number in the whole log. A click selects the line;
 * the selection shows in the full log when the filter is turned off.
 */
import { useEffect, useRef } from 'react';
import type { LogRow } from '../../../shared/api';
import { api } from '../api';
import { clock } from '../format';
import { select } from '../state/selection';
import { usePageCache } from '../virtual/pages';
import { useViewport } from '../virtual/useViewport';
import { scrollTopFor, virtualWindow } from '../virtual/window';
import { LineText } from './line-text';
import { PaneMessage } from '../panes/NotReady';

const H = 18;

export function MatchingLines(p: {
  expr: string;
  range: { from: string; to: string } | null;
  caseVersion: number;
  times: 'absolute' | 'local' | 'relative';
  origin: string | null;
  highlight: string;
  selectedId: number | null;
  current: number;
  wrap: boolean;
  onTotal(n: number | null): void;
}) {
  const key = JSON.stringify([p.caseVersion, p.expr, p.range]);
  const cache = usePageCache<LogRow>(key, 500, (offset, limit) =>
    api['log.filter']({ expr: p.expr, ...(p.range ? { from: p.range.from, to: p.range.to } : {}), offset, limit }),
  );
  const scroller = useRef<HTMLDivElement>(null);
  const vp = useViewport(scroller);
  const total = cache.total ?? 0;
  const win = virtualWindow(total, H, vp.scrollTop, vp.height);
  useEffect(() => {
    cache.ensure(win.first, win.first + win.count - 1);
  });
  const { onTotal } = p;
  useEffect(() => onTotal(cache.total), [cache.total, onTotal]);
  const { current } = p;
  useEffect(() => {
    const el = scroller.current;
    if (el && current >= 0) el.scrollTop = scrollTopFor(current, total, H, el.clientHeight, el.scrollTop, true);
  }, [current, total]);
  const rows = [];
  for (let i = win.first; i < win.first + win.count; i++) {
    const l = cache.get(i);
    if (!l) {
      rows.push(<div key={`p${i}`} className="log-row log-line placeholder" />);
      continue;
    }
    rows.push(
      <div
        key={l.id}
        className={`log-row log-line${l.marker ? ` m-${l.marker}` : ''}${l.id === p.selectedId ? ' selected' : ''}${i === p.current ? ' match-current' : ''}`}
        data-index={l.index}
        data-line-id={l.id}
        onClick={() => select({ kind: 'log', id: l.id }, { ts: l.ts, runningStepId: l.step_id })}
      >
        <span className="ln">{l.index + 1}</span>
        <span className="ts">{clock(l.ts)}</span>
        <span className="mk" />
        <span className="tx">
          <LineText raw={l.raw} marker={l.marker} query={p.highlight} />
        </span>
      </div>,
    );
  }
  return (
    <div className={`scroller log-scroller${p.wrap ? ' wrap' : ''}`} ref={scroller} tabIndex={0} aria-label="Matching log lines">
      {cache.error && <PaneMessage text={cache.error} />}
      <div className="spacer" style={{ height: win.height }}>
        <div className="window" style={{ transform: `translateY(${win.top}px)` }}>
          {rows}
        </div>
      </div>
      {cache.total === 0 && !cache.error && <div className="empty">No log line matches. Change the filter or clear the time range.</div>}
    </div>
  );
}
