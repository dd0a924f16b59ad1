/** File events: what was read, written or executed, by which process, with the hash when the capture had one. */
import { useCallback, useState } from 'react';
import type { FileEventRow } from '../../../../shared/api';
import { api } from '../../api';
import { baseName, clock } from '../../format';
import { select, useApp } from '../../state/selection';
import { copyText, openMenu } from '../ContextMenu';
import { ListTable, type Column } from './ListTable';
import { Ev, evTitle } from '../../evidence/Evidence';

const COLUMNS: Column<FileEventRow>[] = [
  { key: 'ts', label: 'Time', width: '92px', render: (r) => clock(r.ts) },
  { key: 'op', label: 'Op', width: '56px', render: (r) => r.op },
  { key: 'path', label: 'Path', width: 'minmax(140px, 2fr)', render: (r) => <Ev text={r.path} />, title: (r) => (evTitle(r.path) ?? '') + (r.sha256 ? `\nsha256 ${r.sha256}` : '') },
  { key: 'proc', label: 'Process', width: 'minmax(70px, 1fr)', render: (r) => <Ev text={`${baseName(r.exe) || '?'} ${r.pid ?? ''}`} /> },
];

export function FilesPane() {
  const version = useApp((s) => s.caseVersion);
  const [search, setSearch] = useState('');
  const [total, setTotal] = useState<number | null>(null);
  const fetch = useCallback((offset: number, limit: number) => api['files.list']({ search: search.trim() || undefined, offset, limit }), [search]);
  return (
    <section aria-label="File events" className="pane list-pane">
      <div className="pane-bar">
        <input type="search" aria-label="Filter file events" placeholder="Path, operation or program" value={search} onChange={(e) => setSearch(e.target.value)} spellCheck={false} />
        <span className="count">{total === null ? 'loading…' : `${total.toLocaleString()} events`}</span>
      </div>
      <ListTable<FileEventRow>
        label="File events"
        cacheKey={JSON.stringify([version, search.trim()])}
        columns={COLUMNS}
        fetch={fetch}
        rowId={(r) => r.id}
        onPick={(r) => r.process_id !== null && select({ kind: 'process', id: r.process_id })}
        onMenu={(e, r) =>
          openMenu(e, [
            { label: 'Copy the path', run: () => copyText(r.path) },
            ...(r.sha256 ? [{ label: 'Copy the sha256', run: () => copyText(r.sha256!) }] : []),
            ...(r.process_id !== null ? [{ label: 'Select the process', run: () => select({ kind: 'process', id: r.process_id! }) }] : []),
          ])
        }
        empty={search ? 'No file event matches.' : 'This case holds no file events: a bundle with files.jsonl adds them.'}
        onTotal={setTotal}
      />
    </section>
  );
}
