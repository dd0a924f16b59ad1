/**
 * The build log pane, for logs of millions of lines: display rows (step headers + lines, minus folded groups) are
 * virtualized with a fixed row height, and lines are fetched by index in pages as they come into view, so the DOM
 * holds only the rows on screen. It follows the shared focus: it scrolls to the line at the selected moment, marks
 * that line and the step running then. Search runs on the server (next/previous) and highlights in view.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LogOutline, LogRow } from '../../../shared/api';
import { api, peekFirstScreen } from '../api';
import { clock, TIME_MODE_LABEL } from '../format';
import { LineText } from '../log/line-text';
import { buildRowModel, hiddenRanges } from '../log/row-model';
import { appStore, select, useApp } from '../state/selection';
import { PaneControls } from '../layout/PaneControls';
import { filterWords, tryParseFilter } from '../../../shared/filter';
import { MatchingLines } from '../log/MatchingLines';
import { usePageCache } from '../virtual/pages';
import { useViewport } from '../virtual/useViewport';
import { scrollTopFor, virtualWindow } from '../virtual/window';
import { Ev } from '../evidence/Evidence';
import { PaneMessage, PartialTag } from './NotReady';
import { copyText, openMenu, type MenuItem } from './ContextMenu';
import { stripAnsi } from '../../../shared/ansi';
import { firstScreenDrawn } from '../state/first-screen';

export const LOG_ROW_HEIGHT = 18;

const MARK: Record<string, string> = { error: '✖', warning: '▲', notice: 'ℹ' };

export function BuildLog({ origin, onLoaded }: { origin: string | null; onLoaded?: (version: number) => void }) {
  const caseVersion = useApp((s) => s.caseVersion);
  const focus = useApp((s) => s.focus);
  const selection = useApp((s) => s.selection);
  const logTimes = useApp((s) => s.logTimes);
  const steps = useApp((s) => s.steps);
  const runningStep = steps.find((s) => s.id === focus.runningStepId) ?? null;
  // First screen first: when the first screen's answers are already in (public/first-screen.js asked before the
  // bundle ran), the first render draws the rows: no effect, call and render in between.
  const [outline, setOutline] = useState<LogOutline | null>(() => peekFirstScreen('log.outline', {}));
  const seeded = useRef(outline !== null);
  const [error, setError] = useState<string | null>(null);
  const [folded, setFolded] = useState<ReadonlySet<number>>(new Set());
  const [cursorLine, setCursorLine] = useState(-1);
  const [query, setQuery] = useState('');
  const [match, setMatch] = useState<{ index: number; total: number } | null>(null);
  const [onlyMatching, setOnlyMatching] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [filteredTotal, setFilteredTotal] = useState<number | null>(null);
  const range = useApp((s) => s.range);
  const parsed = tryParseFilter(query);
  const exprOk = !parsed.error;
  const filtering = (onlyMatching && !!query.trim() && exprOk) || range !== null;
  const scroller = useRef<HTMLDivElement>(null);
  const vp = useViewport(scroller, seeded.current ? window.innerHeight : 0); // rows beyond the pane are cut

  useEffect(() => {
    let live = true;
    if (!seeded.current) {
      setOutline(null);
      setFolded(new Set());
    }
    seeded.current = false;
    setError(null); // the case is read again (an import advanced): an earlier "not ready" no longer holds
    api['log.outline']({}).then(
      (o) => live && setOutline(o),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [caseVersion]);

  const cache = usePageCache<LogRow>(
    `log:${caseVersion}`,
    500,
    (offset, limit) => api['log.window']({ offset, limit }),
    () => peekFirstScreen('log.window', { offset: 0, limit: 500 }, true), // public/first-screen.js's first page
  );
  const model = useMemo(
    () => (outline ? buildRowModel(outline.total, outline.steps, hiddenRanges(outline.groups, folded)) : null),
    [outline, folded],
  );
  const groupAt = useMemo(() => new Map((outline?.groups ?? []).map((g) => [g.start, g])), [outline]);
  const rowCount = model?.rowCount ?? 0;
  const win = virtualWindow(rowCount, LOG_ROW_HEIGHT, vp.scrollTop, vp.height);

  // Fetch the lines of the rows in view.
  useEffect(() => {
    if (!model || win.count === 0) return;
    let lo = Infinity,
      hi = -1;
    for (let r = win.first; r < win.first + win.count; r++) {
      const d = model.rowAt(r);
      if (d?.kind === 'line') {
        lo = Math.min(lo, d.index);
        hi = Math.max(hi, d.index);
      }
    }
    if (hi >= 0) cache.ensure(lo, hi);
  });
  useEffect(() => {
    if (outline && (outline.total === 0 || cache.total !== null)) onLoaded?.(caseVersion);
  }, [outline, cache.total, caseVersion, onLoaded]);

  const scrollToLine = useCallback(
    (line: number, center = true) => {
      const el = scroller.current;
      if (!el || !model || line < 0) return;
      el.scrollTop = scrollTopFor(
        model.rowOfLine(line),
        model.rowCount,
        LOG_ROW_HEIGHT,
        el.clientHeight,
        el.scrollTop,
        center,
      );
    },
    [model],
  );

  /** Unfold every group that hides `line`. */
  const reveal = useCallback(
    (line: number) => {
      if (!outline) return;
      const hiding = outline.groups.filter((g) => folded.has(g.start) && line > g.start && line <= g.end);
      if (hiding.length) {
        const next = new Set(folded);
        hiding.forEach((g) => next.delete(g.start));
        setFolded(next);
      }
    },
    [outline, folded],
  );

  // Follow the focus: the selected log line, or the line at the selected moment.
  const selectedLog = selection?.kind === 'log' ? selection.id : null;
  useEffect(() => {
    if (!outline) return;
    let live = true;
    const p =
      selectedLog !== null
        ? api['log.indexOfId']({ id: selectedLog })
        : focus.ts
          ? api['log.indexAt']({ ts: focus.ts })
          : Promise.resolve({ index: -1 });
    p.then(
      (r) => {
        if (!live) return;
        setCursorLine(r.index);
        if (r.index >= 0) reveal(r.index);
      },
      () => {},
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outline, selectedLog, focus.ts]);
  useEffect(() => {
    if (cursorLine >= 0) scrollToLine(cursorLine);
    // Scroll once per new cursor (and after the model changed under it).
  }, [cursorLine, scrollToLine]);

  // Enter: the next line matching the filter expression, from the current hit (or the selected line), wrapping
  const runSearch = async (direction: 'next' | 'prev') => {
    const q = query.trim();
    if (!q || !exprOk) return;
    const from = match ? match.index : cursorLine >= 0 ? cursorLine : direction === 'next' ? -1 : (outline?.total ?? 0);
    try {
      let r = await api['log.match']({ expr: q, from, direction });
      if (r.index < 0 && r.total_matches > 0) {
        r = await api['log.match']({ expr: q, from: direction === 'next' ? -1 : (outline?.total ?? 0), direction }); // wrap
      }
      setMatch({ index: r.index, total: r.total_matches });
      setError(null);
      if (r.index >= 0) {
        reveal(r.index);
        setTimeout(() => scrollToLine(r.index), 0);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const toggleFold = (start: number) => {
    const next = new Set(folded);
    if (next.has(start)) next.delete(start);
    else next.add(start);
    setFolded(next);
  };

  /** A log line's context menu (right-click, or the context-menu key with the log focused). */
  const lineMenu = (line: LogRow, index: number): MenuItem[] => {
    const items: MenuItem[] = [
      { label: `Select line ${index + 1}`, run: () => select({ kind: 'log', id: line.id }, { ts: line.ts, runningStepId: line.step_id }) },
      { label: 'Copy the line', run: () => copyText(stripAnsi(line.raw)) },
      { label: 'Copy the line with its number and time', run: () => copyText(`${index + 1}\t${line.ts ?? ''}\t${stripAnsi(line.raw)}`) },
    ];
    if (line.step_number !== null)
      items.push({
        label: `Show only step ${line.step_number}'s lines`,
        run: () => {
          setQuery(`step:${line.step_number}`);
          setOnlyMatching(true);
        },
      });
    return items;
  };

  const highlight = filterWords(parsed.tree)[0] ?? '';
  const rows = [];
  let linesDrawn = 0;
  if (model && !filtering) {
    for (let r = win.first; r < win.first + win.count; r++) {
      const d = model.rowAt(r);
      if (!d) continue;
      if (d.kind === 'step') {
        const running = d.step.step_id === focus.runningStepId;
        rows.push(
          <div
            key={`s${d.step.step_id}`}
            className={`log-row log-step${running ? ' running' : ''}`}
            data-step-id={d.step.step_id}
            aria-current={running ? 'step' : undefined}
          >
            <span className="step-no">{d.step.number}</span>
            <Ev className="step-name" text={d.step.name} />
            {running && <span className="badge run">running at the selected moment</span>}
            <span className="dim step-lines">{(d.step.last - d.step.first + 1).toLocaleString()} lines</span>
          </div>,
        );
        continue;
      }
      const line = cache.get(d.index);
      if (!line) {
        rows.push(
          <div key={`l${d.index}`} className="log-row log-line placeholder" data-index={d.index}>
            <span className="ln">{d.index + 1}</span>
          </div>,
        );
        continue;
      }
      linesDrawn++;
      const g = groupAt.get(d.index);
      const cls = [
        'log-row log-line',
        line.marker ? `m-${line.marker}` : '',
        d.index === cursorLine ? 'cursor' : '',
        line.step_id !== null && line.step_id === focus.runningStepId ? 'in-running' : '',
        match && match.index === d.index ? 'match-current' : '',
        selectedLog === line.id ? 'selected' : '',
      ].join(' ');
      rows.push(
        <div
          key={`l${d.index}`}
          className={cls}
          data-index={d.index}
          data-line-id={line.id}
          onClick={() => select({ kind: 'log', id: line.id }, { ts: line.ts, runningStepId: line.step_id })}
          onContextMenu={(e) => openMenu(e, lineMenu(line, d.index))}
        >
          <span className="ln">{d.index + 1}</span>
          <span className="ts">{clock(line.ts)}</span>
          <span className="mk" aria-label={line.marker && MARK[line.marker] ? line.marker : undefined}>
            {d.index === cursorLine && selectedLog === null ? (
              <span className="moment-dot" title={`The selected moment (${clock(focus.ts)}) falls just before this line`}>
                ◆
              </span>
            ) : g ? (
              <button
                type="button"
                className="fold"
                aria-expanded={!folded.has(d.index)}
                aria-label={folded.has(d.index) ? 'Unfold group' : 'Fold group'}
                onClick={(e) => {
                  e.stopPropagation();
                  toggleFold(d.index);
                }}
              >
                {folded.has(d.index) ? '▸' : '▾'}
              </button>
            ) : (
              ((line.marker && MARK[line.marker]) ?? '')
            )}
          </span>
          <span className="tx" style={line.depth ? { paddingLeft: Math.min(line.depth, 8) * 14 } : undefined}>
            <LineText raw={line.raw} marker={line.marker} query={highlight} />
            {g && folded.has(d.index) && (
              <span className="badge dim">{(g.end - g.start).toLocaleString()} lines folded</span>
            )}
          </span>
        </div>,
      );
    }
  }

  // First screen first: once this pane's first rows are in the DOM (or it has none to show), the other panes load.
  const firstScreenDone = linesDrawn > 0 || outline?.total === 0 || !!error || !!cache.error || filtering;
  useEffect(() => {
    if (firstScreenDone) firstScreenDrawn();
  }, [firstScreenDone]);

  return (
    <section aria-label="Build log" className="pane log-pane">
      <div className="pane-bar">
        <h2>Build log</h2>
        <PartialTag pane="log" />
        <input
          type="search"
          aria-label="Filter log"
          placeholder="Filter: words  domain:x  step:4  /re/  (Enter: next)"
          title="The filter language of the calls table: words, &quot;phrases&quot;, /regex/, domain:, ip: (CIDR), step:, NOT/-, AND, OR. Enter: next matching line; Shift+Enter: previous."
          aria-invalid={!exprOk}
          className={exprOk ? undefined : 'invalid'}
          value={query}
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setMatch(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void runSearch(e.shiftKey ? 'prev' : 'next');
          }}
        />
        <button
          type="button"
          className="icon"
          onClick={() => void runSearch('prev')}
          aria-label="Previous match"
          disabled={!query.trim()}
        >
          ↑
        </button>
        <button type="button" className="icon" onClick={() => void runSearch('next')} aria-label="Next match" disabled={!query.trim()}>
          ↓
        </button>
        <span className="count" aria-live="polite">
          {!exprOk
            ? parsed.error
            : filtering && filteredTotal !== null
              ? `${filteredTotal.toLocaleString()} line${filteredTotal === 1 ? '' : 's'}${range ? ' in the time range' : ''}`
              : match
                ? match.total === 0
                  ? 'no match'
                  : `${match.total.toLocaleString()} matching line${match.total === 1 ? '' : 's'}`
                : ''}
        </span>
        <label className="toggle" title="Show only the lines that match the filter">
          <input type="checkbox" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.target.checked)} />
          Only matches
        </label>
        <span className="spacer-flex" />
        <button type="button" aria-pressed={wrap} onClick={() => setWrap(!wrap)} title="Wrap long lines (w)">
          Wrap
        </button>
        <button
          type="button"
          onClick={() => appStore.set({ logTimes: logTimes === 'absolute' ? 'relative' : logTimes === 'relative' ? 'local' : 'absolute' })}
          title="Times: UTC, relative to the job start, or your local time (also in Settings)"
        >
          {TIME_MODE_LABEL[logTimes]}
        </button>
        <button
          type="button"
          className="icon"
          aria-label="Fold all"
          title="Fold every ##[group]"
          onClick={() => setFolded(new Set(outline?.groups.map((g) => g.start)))}
          disabled={!outline?.groups.length}
        >
          ⊟
        </button>
        <button type="button" className="icon" aria-label="Unfold all" title="Unfold every group" onClick={() => setFolded(new Set())} disabled={folded.size === 0}>
          ⊞
        </button>
        <span className="count">{outline ? `${outline.total.toLocaleString()} lines` : 'loading…'}</span>
        <PaneControls id="log" title="Build log" />
      </div>
      {(error || cache.error) && <PaneMessage text={(error ?? cache.error)!} />}
      {runningStep && (
        <div className="running-bar" aria-label="Running step" data-step-id={runningStep.id}>
          <span className="badge run">running</span> step {runningStep.number} · <Ev text={runningStep.name} />
          {runningStep.uses && <span className="dim"> ({runningStep.uses})</span>}
          {focus.ts && <span className="dim"> at {clock(focus.ts)}</span>}
          {focus.ts && selectedLog === null && cursorLine >= 0 && <MomentBetween cursor={cursorLine} ts={focus.ts} get={(i) => cache.get(i)} />}
          <button
            type="button"
            className="link"
            onClick={() => {
              const el = scroller.current;
              const row = model?.rowOfStep(runningStep.id) ?? -1;
              if (el && model && row >= 0)
                el.scrollTop = scrollTopFor(row, model.rowCount, LOG_ROW_HEIGHT, el.clientHeight, el.scrollTop, false);
            }}
          >
            go to step
          </button>
        </div>
      )}
      {filtering ? (
        <MatchingLines
          expr={exprOk ? query.trim() : ''}
          range={range}
          caseVersion={caseVersion}
          times={logTimes}
          origin={origin}
          highlight={highlight}
          selectedId={selectedLog}
          current={-1}
          wrap={wrap}
          onTotal={setFilteredTotal}
        />
      ) : (
        <div className={`scroller log-scroller${wrap ? ' wrap' : ''}`} ref={scroller} tabIndex={0} aria-label="Log lines">
          <div className="spacer" style={{ height: win.height }}>
            <div className="window" style={{ transform: `translateY(${win.top}px)` }}>
              {rows}
            </div>
          </div>
          {outline?.total === 0 && (
            <div className="empty">This case holds no log lines. Open a bundle with the job's log (logs/*.txt) to see it here.</div>
          )}
        </div>
      )}
      {wrap && <WrappedLine id={selectedLog} />}
    </section>
  );
}

/** With Wrap on: the selected line's whole text, wrapped, under the log (rows keep one height for the virtual list). */
function WrappedLine({ id }: { id: number | null }) {
  const [text, setText] = useState<{ id: number; raw: string; marker: string | null } | null>(null);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    void api['log.indexOfId']({ id }).then(async ({ index }) => {
      const row = index >= 0 ? (await api['log.window']({ offset: index, limit: 1 })).rows[0] : undefined;
      if (live && row) setText({ id, raw: row.raw, marker: row.marker });
    });
    return () => {
      live = false;
    };
  }, [id]);
  return (
    <div className="wrapped-line" aria-label="Selected line, wrapped">
      {id === null || !text || text.id !== id ? (
        <span className="dim">Select a line to read it whole here; long lines are cut at the pane's edge while Wrap is on.</span>
      ) : (
        <LineText raw={text.raw} marker={text.marker} query="" />
      )}
    </div>
  );
}

/** Where the selected moment falls: between the line before the cursor line and the cursor line (their times). */
function MomentBetween({ cursor, ts, get }: { cursor: number; ts: string; get(i: number): LogRow | undefined }) {
  const after = get(cursor);
  const before = cursor > 0 ? get(cursor - 1) : undefined;
  if (!after) return null;
  if (after.ts === ts) return <span className="moment-text"> · on line {cursor + 1}</span>;
  if (after.ts !== null && after.ts < ts) return <span className="moment-text"> · after the last line ({cursor + 1})</span>;
  return (
    <span className="moment-text">
      {' '}
      · ◆ between line {before ? `${cursor} (${clock(before.ts)})` : 'the start'} and line {cursor + 1} ({clock(after.ts)})
    </span>
  );
}
