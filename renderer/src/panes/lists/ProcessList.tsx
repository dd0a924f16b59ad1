/**
 * The flat process list (as Procmon's): every process with pid, parent pid, start, lifetime, step and calls,
 * sortable, searchable; a click (or Enter) selects the process everywhere; context menu: its calls, copy.
 */
import { useCallback, useState } from 'react';
import type { ProcessListRow } from '../../../../shared/api';
import { api } from '../../api';
import { clock, commandLine } from '../../format';
import { select, setFilter, useApp } from '../../state/selection';
import { copyText, openMenu } from '../ContextMenu';
import { ListTable, type Column } from './ListTable';
import { Ev, evTitle } from '../../evidence/Evidence';

type Sort = 'start' | 'pid' | 'name' | 'lifetime' | 'step' | 'calls';

const lifetime = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`);

const COLUMNS: Column<ProcessListRow>[] = [
  { key: 'pid', label: 'PID', width: '52px', sortable: true, render: (r) => r.pid },
  { key: 'ppid', label: 'PPID', width: '52px', render: (r) => r.ppid ?? '—' },
  { key: 'name', label: 'Name', width: 'minmax(90px, 1fr)', sortable: true, render: (r) => <Ev text={r.name} />, title: (r) => evTitle(commandLine(r.args, r.exe)) },
  { key: 'start', label: 'Start', width: '92px', sortable: true, render: (r) => clock(r.start) || '—' },
  { key: 'lifetime', label: 'Lifetime', width: '66px', sortable: true, render: (r) => (r.end ? lifetime(r.lifetime_ms) : 'running') },
  { key: 'step', label: 'Step', width: '40px', sortable: true, render: (r) => r.step_number ?? '—', title: (r) => r.step_name ?? undefined },
  {
    key: 'calls',
    label: 'Calls',
    width: '48px',
    sortable: true,
    render: (r) => (
      <>
        {r.calls || ''}
        {r.findings > 0 && <span className="badge bad">{r.findings}</span>}
      </>
    ),
  },
];

export function ProcessList() {
  const version = useApp((s) => s.caseVersion);
  const selection = useApp((s) => s.selection);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: Sort; dir: 'asc' | 'desc' }>({ key: 'start', dir: 'asc' });
  const [total, setTotal] = useState<number | null>(null);
  const fetch = useCallback(
    (offset: number, limit: number) => api['process.list']({ search: search.trim() || undefined, sort: sort.key, dir: sort.dir, offset, limit }),
    [search, sort],
  );
  return (
    <section aria-label="Process list" className="pane list-pane">
      <div className="pane-bar">
        <input type="search" aria-label="Filter process list" placeholder="Name, argument or pid" value={search} onChange={(e) => setSearch(e.target.value)} spellCheck={false} />
        <span className="count">{total === null ? 'loading…' : `${total.toLocaleString()} processes`}</span>
      </div>
      <ListTable<ProcessListRow>
        label="Processes"
        cacheKey={JSON.stringify([version, search.trim(), sort])}
        columns={COLUMNS}
        fetch={fetch}
        rowId={(r) => r.id}
        selectedId={selection?.kind === 'process' ? selection.id : null}
        onPick={(r) => select({ kind: 'process', id: r.id })}
        onMenu={(e, r) =>
          openMenu(e, [
            { label: `Show this process's calls (pid ${r.pid})`, run: () => setFilter({ search: `pid:${r.pid}` }) },
            { label: 'Copy the command line', run: () => copyText(commandLine(r.args, r.exe)) },
            { label: 'Copy the pid', run: () => copyText(String(r.pid)) },
          ])
        }
        sort={sort}
        onSort={(k) => setSort((s) => ({ key: k as Sort, dir: s.key === k && s.dir === 'asc' ? 'desc' : 'asc' }))}
        empty={search ? 'No process matches.' : 'This case holds no process events: a bundle with processes.jsonl, Tetragon, Falco… adds them.'}
        onTotal={setTotal}
      />
    </section>
  );
}
