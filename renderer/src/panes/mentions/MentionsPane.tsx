/**
 * "Mentioned in log": hosts and IP addresses written in log lines (`mentions.list`, from `log_mentions`), one row
 * per host with its mentions, the steps whose lines name it and the first such line. Labelled everywhere as what
 * the log SAYS, never as calls the run was seen to make (those are the Network calls table). Selecting a row
 * selects its first mentioning line (the one selection: the log scrolls there, its step is marked running); the
 * context menu goes to the first mention in each step. Rows are fetched in pages (ListTable).
 */
import { useCallback, useEffect, useState } from 'react';
import { mentionStore, usePickedHost } from './mention-state';
import type { MentionRow, MentionStep } from '../../../../shared/api';
import { api } from '../../api';
import { clock } from '../../format';
import { select, setFilter, useApp } from '../../state/selection';
import { copyText, filterValue, openMenu, type MenuItem } from '../ContextMenu';
import { ListTable, type Column } from '../lists/ListTable';
import { Ev, evTitle, Host } from '../../evidence/Evidence';
import './mentions.css';

type Sort = 'first' | 'host' | 'count';

export const stepLabel = (s: MentionStep): string =>
  s.step_number !== null ? `${s.step_number} · ${s.step_name ?? ''}` : 'outside the steps (runner lines)';

const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');

const COLUMNS: Column<MentionRow>[] = [
  {
    key: 'host',
    label: 'Host or IP',
    width: 'minmax(92px, 1.6fr)',
    sortable: true,
    render: (r) => (isIp(r.host) ? <Ev text={r.host} /> : <Host name={r.host} />),
    title: (r) => `${evTitle(r.host) ?? r.host} — written in the log (${r.kinds.join(', ')}), not an observed call`,
  },
  {
    key: 'count',
    label: 'Lines',
    width: '54px',
    sortable: true,
    render: (r) => r.lines.toLocaleString(),
    title: (r) => `${r.mentions.toLocaleString()} mentions in ${r.lines.toLocaleString()} log lines`,
  },
  {
    key: 'steps',
    label: 'Steps',
    width: 'minmax(44px, 1fr)',
    render: (r) => <Ev text={r.steps.map((s) => (s.step_number !== null ? String(s.step_number) : '—')).join(', ') + (r.step_count > r.steps.length ? ' …' : '')} />,
    title: (r) => r.steps.map((s) => `${stepLabel(s)}: ${s.lines} line${s.lines === 1 ? '' : 's'}`).join('\n'),
  },
  { key: 'first', label: 'First', width: '70px', sortable: true, render: (r) => clock(r.first_ts, 0), title: (r) => `first mentioned at ${clock(r.first_ts)}` },
];

/** Select a mentioning line: the log moves there and marks its step. */
export function goToLine(id: number): void {
  select({ kind: 'log', id });
}

function menuFor(r: MentionRow, go: (r: MentionRow, line: number) => void): MenuItem[] {
  const items: MenuItem[] = [{ label: 'Go to the first mention in the log', run: () => go(r, r.first_line_id) }];
  for (const s of r.steps.slice(0, 8)) {
    items.push({ label: `First mention in step ${stepLabel(s)}`, run: () => go(r, s.first_line_id) });
  }
  items.push({
    label: `Show observed calls to ${r.host}`,
    run: () => setFilter({ search: `${isIp(r.host) ? 'ip' : 'domain'}:=${filterValue(r.host)}` }),
  });
  items.push({ label: 'Copy the host', run: () => copyText(r.host) });
  return items;
}

export function MentionsPane() {
  const version = useApp((s) => s.caseVersion);
  const selection = useApp((s) => s.selection);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>('first');
  const [total, setTotal] = useState<number | null>(null);
  const picked = usePickedHost();
  const go = (r: MentionRow, line: number) => {
    mentionStore.set({ host: r.host });
    goToLine(line);
  };
  // the timeline marks the picked host's lines while the list is open and a log line is selected
  useEffect(() => () => mentionStore.set({ host: null }), [version]);
  const fetch = useCallback(
    (offset: number, limit: number) => api['mentions.list']({ search: search.trim() || undefined, sort, offset, limit }),
    [search, sort],
  );
  return (
    <section aria-label="Mentioned in log" className="pane list-pane mentions-pane">
      <div className="pane-bar">
        <input
          type="search"
          aria-label="Filter hosts mentioned in the log"
          placeholder="Host or IP"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          spellCheck={false}
        />
        <span className="count">{total === null ? 'loading…' : `${total.toLocaleString()} host${total === 1 ? '' : 's'}`}</span>
      </div>
      <p className="pane-note" id="mentions-note">
        Written in log lines — <strong>mentions, not observed calls</strong>.
      </p>
      <ListTable<MentionRow>
        label="Hosts mentioned in the log"
        cacheKey={JSON.stringify([version, search.trim(), sort])}
        columns={COLUMNS}
        fetch={fetch}
        rowId={(r) => r.host}
        selectedId={selection?.kind === 'log' ? picked : null}
        sort={{ key: sort, dir: sort === 'count' ? 'desc' : 'asc' }}
        onSort={(k) => setSort(k as Sort)}
        onPick={(r) => go(r, r.first_line_id)}
        onMenu={(e, r) => openMenu(e, menuFor(r, go))}
        empty={
          search
            ? 'No mentioned host matches.'
            : 'No host, URL or IP address is written in this case’s log lines.'
        }
        onTotal={setTotal}
      />
    </section>
  );
}
