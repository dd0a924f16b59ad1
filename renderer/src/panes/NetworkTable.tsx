/**
 * The network calls pane: a virtualized table (fixed row height; rows fetched by offset/limit as they scroll into
 * view), sortable columns, a search box and a Findings-only toggle. It follows the shared selection: the selected
 * call is scrolled into view; a log line or process selection marks (and scrolls to) the call nearest that moment.
 */
import { useEffect, useRef, useState } from 'react';
import type { NetworkRow } from '../../../shared/api';
import { api } from '../api';
import { clock } from '../format';
import { appStore, networkFilter, select, setFilter, stepAt, useApp, type SortKey } from '../state/selection';
import { PaneControls } from '../layout/PaneControls';
import { tryParseFilter } from '../../../shared/filter';
import { commandLine } from '../format';
import { moveCall } from '../state/navigation';
import { copyText, filterValue, openMenu, type MenuItem } from './ContextMenu';
import { isDerived } from './evidence-words';
import { usePageCache } from '../virtual/pages';
import { useViewport } from '../virtual/useViewport';
import { scrollTopFor, virtualWindow } from '../virtual/window';
import { Ev, evTitle, Host } from '../evidence/Evidence';
import { PaneMessage, PartialTag } from './NotReady';
import { useCaseImport } from '../state/case-import';
import { HitGutter } from './HitGutter';

export const NET_ROW_HEIGHT = 22;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'ts', label: 'Time' },
  { key: 'process', label: 'Process' },
  { key: 'domain', label: 'Domain' },
  { key: 'endpoint', label: 'IP:port' },
  { key: 'http', label: 'HTTP' },
  { key: 'status', label: 'Status' },
  { key: 'finding', label: 'Finding' },
];

function ipPort(r: NetworkRow): string {
  if (!r.ip) return `:${r.port}`;
  return r.ip.includes(':') ? `[${r.ip}]:${r.port}` : `${r.ip}:${r.port}`;
}

/** Add `term` to the table's filter (AND). */
export function addFilterTerm(term: string): void {
  const cur = appStore.get().search.trim();
  setFilter({ search: cur ? `${cur} ${term}` : term });
}

function rowText(r: NetworkRow): string {
  return [r.ts, r.process_name ?? '', r.pid ?? '', r.domain ?? '', ipPort(r), r.http_method ?? r.protocol, r.http_path ?? '', r.http_status ?? r.status, r.verdict, r.finding_kind ?? ''].join('\t');
}

function rowMenu(r: NetworkRow): MenuItem[] {
  const items: MenuItem[] = [];
  if (r.domain) items.push({ label: `Filter: domain ${r.domain}`, run: () => addFilterTerm(`domain:=${filterValue(r.domain!)}`) });
  if (r.ip) items.push({ label: `Filter: ip ${r.ip}`, run: () => addFilterTerm(`ip:${r.ip}`) });
  items.push({ label: `Filter: port ${r.port}`, run: () => addFilterTerm(`port:${r.port}`) });
  if (r.domain) items.push({ label: `Hide domain ${r.domain}`, run: () => addFilterTerm(`-domain:=${filterValue(r.domain!)}`) });
  if (r.pid !== null) items.push({ label: `Show this process's calls (pid ${r.pid})`, run: () => setFilter({ search: `pid:${r.pid}` }) });
  if (r.process_id !== null) items.push({ label: 'Select the process', run: () => select({ kind: 'process', id: r.process_id! }) });
  items.push({ label: 'Copy the row', run: () => copyText(rowText(r)) });
  if (r.domain) items.push({ label: 'Copy the domain', run: () => copyText(r.domain!) });
  if (r.ip) items.push({ label: 'Copy the IP', run: () => copyText(r.ip!) });
  items.push({
    label: 'Copy the command line',
    run: async () => {
      const e = await api['network.explain']({ id: r.id, limit: 1 });
      await copyText(e.process ? commandLine(e.process.args, e.process.exe) : (e.process_name ?? ''));
    },
  });
  items.push({
    label: 'Copy the process chain',
    run: async () => {
      const e = await api['network.explain']({ id: r.id, limit: 1 });
      const chain = [...(e.process ? [e.process] : []), ...e.ancestors].reverse();
      await copyText(chain.map((p) => `${p.pid} ${commandLine(p.args, p.exe)}`).join('\n'));
    },
  });
  return items;
}

function Row({ r, index, selected, cursor }: { r: NetworkRow; index: number; selected: boolean; cursor: boolean }) {
  const finding = r.finding_kind ?? (r.verdict === 'outside-policy' || r.verdict === 'blocked' ? r.verdict : '');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-call-id={r.id}
      className={`net-row${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}${r.finding_id !== null ? ' finding' : ''}`}
      onClick={() => select({ kind: 'call', id: r.id })}
      onContextMenu={(e) => openMenu(e, rowMenu(r))}
    >
      <span role="gridcell" className="mono">
        {clock(r.ts)}
      </span>
      <span role="gridcell" title={r.pid !== null ? `pid ${r.pid}` : undefined}>
        {r.process_name !== null ? <Ev text={r.process_name} /> : '—'}
        {r.pid !== null && <span className="dim"> {r.pid}</span>}
      </span>
      <span role="gridcell" title={r.domain ? (isDerived(r.domain_origin) ? `${evTitle(r.domain)} (derived from a DNS answer for ${r.ip})` : evTitle(r.domain)) : undefined}>
        {r.domain ? (
          isDerived(r.domain_origin) ? (
            <i className="derived-domain">
              <Host name={r.domain} />
              <span className="visually-hidden"> (derived from DNS)</span>
            </i>
          ) : (
            <Host name={r.domain} />
          )
        ) : (
          <span className="dim">(no domain)</span>
        )}
      </span>
      <span role="gridcell" className="mono">
        {ipPort(r)}
      </span>
      <span role="gridcell" className="mono" title={evTitle(r.http_path)}>
        {r.http_method ? <Ev text={`${r.http_method} ${r.http_path ?? ''}`} /> : <span className="dim">{r.protocol}</span>}
      </span>
      <span role="gridcell" className="mono">
        {r.http_status ?? (r.status === 'allowed' ? '' : r.status)}
        {r.status === 'blocked' && r.http_status !== null ? ' blocked' : ''}
      </span>
      <span role="gridcell">
        {finding ? <span className={`badge ${r.finding_id !== null ? 'bad' : 'warn'}`}>{finding}</span> : null}
      </span>
    </div>
  );
}

export function NetworkTable({ onLoaded }: { onLoaded?: (version: number) => void }) {
  const { findingsOnly, search, sort, dir, caseVersion, selection, focus, range } = useApp((s) => s);
  const stillLoading = useCaseImport((s) => s.state === 'loading'); // first screen first: not "no calls"

  const parsed = tryParseFilter(search);
  // an expression that does not parse filters nothing (the box says why); the last good one would mislead
  const filter = networkFilter({ findingsOnly, search: parsed.error ? '' : search, range });
  const key = JSON.stringify([caseVersion, filter, sort, dir]);
  const cache = usePageCache<NetworkRow>(key, 200, (offset, limit) =>
    api['network.query']({ filter, sort, dir, offset, limit }),
  );
  const scroller = useRef<HTMLDivElement>(null);
  const vp = useViewport(scroller);
  const total = cache.total ?? 0;
  const win = virtualWindow(total, NET_ROW_HEIGHT, vp.scrollTop, vp.height);
  const [cursorIndex, setCursorIndex] = useState(-1);
  const [searchText, setSearchText] = useState(search);

  useEffect(() => {
    cache.ensure(win.first, win.first + win.count - 1);
  });
  useEffect(() => {
    if (cache.total !== null) onLoaded?.(caseVersion);
  }, [cache.total, caseVersion, onLoaded]);

  // Debounced search box -> shared filter, only for what the user typed: the box's first value and a filter that
  // came from the store (the URL restored on load) are never pushed back, or a late timer could undo the restore.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    const t = setTimeout(() => {
      typed.current = false;
      setFilter({ search: searchText });
    }, 200);
    return () => clearTimeout(t);
  }, [searchText]);
  useEffect(() => setSearchText((t) => (t.trim() === search.trim() ? t : search)), [search]);

  // The hit gutter: the calls' time span (first and last call, two index probes), the rows in view, jumps.
  const [callSpan, setCallSpan] = useState<{ start: string; end: string } | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([
      api['network.query']({ sort: 'ts', dir: 'asc', offset: 0, limit: 1 }),
      api['network.query']({ sort: 'ts', dir: 'desc', offset: 0, limit: 1 }),
    ]).then(
      ([a, b]) => live && setCallSpan(a.rows[0] && b.rows[0] ? { start: a.rows[0].ts, end: b.rows[0].ts } : null),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [caseVersion]);
  const firstIn = Math.floor(vp.scrollTop / NET_ROW_HEIGHT);
  const lastIn = Math.min(total - 1, Math.floor((vp.scrollTop + Math.max(0, vp.height - 1)) / NET_ROW_HEIGHT));
  const rowA = sort === 'ts' && total > 0 ? cache.get(firstIn) : undefined;
  const rowB = sort === 'ts' && total > 0 ? cache.get(lastIn) : undefined;
  const inView = rowA && rowB ? (rowA.ts <= rowB.ts ? { from: rowA.ts, to: rowB.ts } : { from: rowB.ts, to: rowA.ts }) : null;
  const jumpTo = (ts: string) => {
    void api['network.indexAt']({ ts, filter }).then(
      (r) => {
        if (r.index < 0) return;
        // network.indexAt counts in time order; the table may be sorted another way
        if (sort === 'ts') scrollTo(dir === 'asc' ? r.index : (cache.total ?? 0) - 1 - r.index);
        else appStore.set((st) => ({ focus: { ts, runningStepId: stepAt(st.steps, ts)?.id ?? null } })); // the log follows
      },
      () => {},
    );
  };

  const scrollTo = (index: number) => {
    const el = scroller.current;
    if (!el || index < 0) return;
    const t = cache.total ?? index + 1;
    el.scrollTop = scrollTopFor(index, t, NET_ROW_HEIGHT, el.clientHeight, el.scrollTop, false);
  };

  // Follow the selection: scroll the selected call into view; else mark the call nearest the focus moment. Also
  // once the table knows its rows: a pane mounted after the selection was made (it loads after the log's first
  // rows, layout/later.tsx) has no height to scroll in before that.
  const selectedCall = selection?.kind === 'call' ? selection.id : null;
  const hasRows = total > 0;
  useEffect(() => {
    let live = true;
    if (selectedCall !== null) {
      setCursorIndex(-1);
      void api['network.indexOf']({ id: selectedCall, filter, sort, dir }).then(
        (r) => live && scrollTo(r.index),
        () => {},
      );
    } else if (focus.ts && sort === 'ts') {
      void api['network.indexAt']({ ts: focus.ts, filter }).then(
        (r) => {
          if (!live) return;
          const i = dir === 'asc' ? r.index : r.index < 0 ? -1 : (cache.total ?? 0) - 1 - r.index;
          setCursorIndex(i);
          scrollTo(i);
        },
        () => {},
      );
    } else setCursorIndex(-1);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedCall, focus.ts, key, hasRows]);

  const rows = [];
  for (let i = win.first; i < win.first + win.count; i++) {
    const r = cache.get(i);
    if (r) rows.push(<Row key={r.id} r={r} index={i} selected={r.id === selectedCall} cursor={i === cursorIndex} />);
    else
      rows.push(
        <div key={`p${i}`} role="row" aria-rowindex={i + 2} className="net-row placeholder">
          <span role="gridcell" className="dim">
            …
          </span>
        </div>,
      );
  }

  const toggleSort = (k: SortKey) => {
    if (sort === k) setFilter({ dir: dir === 'asc' ? 'desc' : 'asc' });
    else setFilter({ sort: k, dir: 'asc' });
  };

  return (
    <section aria-label="Network calls" className="pane net-pane">
      <div className="pane-bar">
        <h2>Network calls</h2>
        <PartialTag pane="calls" />
        <input
          id="net-search"
          type="search"
          placeholder="Filter: exfil  domain:x  ip:203.0.113.0/24  -process:node  ( / )"
          aria-label="Filter calls"
          aria-describedby="net-filter-help"
          aria-invalid={!!tryParseFilter(searchText).error}
          className={tryParseFilter(searchText).error ? 'invalid' : undefined}
          title="Filter language: field:value for domain, ip (CIDR), port, process, pid, step, status, verdict, method; NOT/-, AND, OR, ( ), &quot;phrases&quot;, /regex/. Enter selects the next matching call."
          value={searchText}
          spellCheck={false}
          onChange={(e) => {
            typed.current = true;
            setSearchText(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              typed.current = false;
              setFilter({ search: searchText });
              void moveCall(e.shiftKey ? -1 : 1);
            }
          }}
        />
        <span id="net-filter-help" className="filter-error" role={parsed.error ? 'alert' : undefined}>
          {parsed.error ?? ''}
        </span>
        {range && (
          <span className="range-chip" title="Calls and log lines in this time range only (drag on the timeline with Shift)">
            {clock(range.from)}–{clock(range.to)}
            <button type="button" aria-label="Clear the time range" onClick={() => setFilter({ range: null })}>
              ✕
            </button>
          </span>
        )}
        <label className="toggle">
          <input
            type="checkbox"
            checked={findingsOnly}
            onChange={(e) => setFilter({ findingsOnly: e.target.checked })}
          />
          Findings only <kbd>f</kbd>
        </label>
        <span className="count" aria-live="polite">
          {cache.total === null ? 'loading…' : `${total.toLocaleString()} call${total === 1 ? '' : 's'}`}
        </span>
        <span className="spacer-flex" />
        <PaneControls id="calls" title="Network calls" />
      </div>
      {cache.error && <PaneMessage text={cache.error} />}
      <div className="net-body">
      <div role="grid" aria-label="Network calls table" aria-rowcount={total + 1} className="net-grid">
        <div role="row" aria-rowindex={1} className="net-row net-head">
          {COLUMNS.map((c) => (
            <span
              key={c.key}
              role="columnheader"
              aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button type="button" onClick={() => toggleSort(c.key)}>
                {c.label}
                <span className="sort-mark" aria-hidden="true">
                  {sort === c.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </span>
              </button>
            </span>
          ))}
        </div>
        <div className="scroller" ref={scroller} tabIndex={0} role="rowgroup" aria-label="Calls">
          <div className="spacer" role="presentation" style={{ height: win.height }}>
            <div className="window" role="presentation" style={{ transform: `translateY(${win.top}px)` }}>
              {rows}
            </div>
          </div>
          {cache.total === 0 && (
            <div className="empty" role="row">
              <span role="gridcell">{findingsOnly || search || range
                ? 'No call matches the filter. Clear the filter box, the time range or Findings only.'
                : stillLoading
                  ? 'No calls loaded yet: the import is still reading (a bundle\'s calls are read after its log).'
                  : 'This case holds no network calls: open a bundle with network events (network.jsonl, Harden-Runner, Tetragon…).'}</span>
            </div>
          )}
        </div>
      </div>
      <HitGutter filter={filter} span={callSpan} view={inView} filtered={!!(filter.expr || filter.findingsOnly)} onJump={jumpTo} />
      </div>
    </section>
  );
}

/** Clear the store's filter (used by Esc when nothing is selected). */
export function clearTableFilter(): void {
  appStore.set({ search: '', findingsOnly: false });
}
