/** DNS resolutions: each answer, with the calls to that domain and how many of them were named by it (derived). */
import { useCallback, useState } from 'react';
import type { DnsRow } from '../../../../shared/api';
import { api } from '../../api';
import { clock } from '../../format';
import { setFilter, useApp } from '../../state/selection';
import { copyText, filterValue, openMenu } from '../ContextMenu';
import { ListTable, type Column } from './ListTable';
import { Ev, evTitle, Host } from '../../evidence/Evidence';

const COLUMNS: Column<DnsRow>[] = [
  { key: 'ts', label: 'Time', width: '92px', render: (r) => clock(r.ts) },
  { key: 'domain', label: 'Domain', width: 'minmax(120px, 1.4fr)', render: (r) => <Host name={r.domain} />, title: (r) => evTitle(r.domain) },
  { key: 'answers', label: 'Answers', width: 'minmax(100px, 1fr)', render: (r) => <Ev text={r.answers.join(', ')} />, title: (r) => evTitle(r.answers.join('\n')) },
  {
    key: 'calls',
    label: 'Calls',
    width: '70px',
    render: (r) => (
      <span title={`${r.calls} calls to ${r.domain}; ${r.named_calls} of them name it only through this answer (derived)`}>
        {r.calls}
        {r.named_calls > 0 && <span className="dim"> ({r.named_calls} derived)</span>}
      </span>
    ),
  },
];

export function DnsPane() {
  const version = useApp((s) => s.caseVersion);
  const [search, setSearch] = useState('');
  const [total, setTotal] = useState<number | null>(null);
  const fetch = useCallback((offset: number, limit: number) => api['dns.list']({ search: search.trim() || undefined, offset, limit }), [search]);
  return (
    <section aria-label="DNS" className="pane list-pane">
      <div className="pane-bar">
        <input type="search" aria-label="Filter DNS" placeholder="Domain or address" value={search} onChange={(e) => setSearch(e.target.value)} spellCheck={false} />
        <span className="count">{total === null ? 'loading…' : `${total.toLocaleString()} resolutions`}</span>
      </div>
      <ListTable<DnsRow>
        label="DNS resolutions"
        cacheKey={JSON.stringify([version, search.trim()])}
        columns={COLUMNS}
        fetch={fetch}
        rowId={(r) => r.id}
        onPick={(r) => setFilter({ search: `domain:=${filterValue(r.domain)}` })}
        onMenu={(e, r) =>
          openMenu(e, [
            { label: `Show the calls to ${r.domain}`, run: () => setFilter({ search: `domain:=${filterValue(r.domain)}` }) },
            { label: 'Copy the domain', run: () => copyText(r.domain) },
            { label: 'Copy the answers', run: () => copyText(r.answers.join('\n')) },
          ])
        }
        empty={search ? 'No resolution matches.' : 'This case holds no DNS events: a bundle with dns.jsonl adds them.'}
        onTotal={setTotal}
      />
    </section>
  );
}
