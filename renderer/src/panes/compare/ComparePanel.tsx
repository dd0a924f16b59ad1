/**
 * The Compare panel: the open case against the baseline runs the host opened beside it (`runlens serve CASE
 * --baseline B…`, or File → Compare with Baseline… in the desktop app). Lists what is new, gone or changed:
 * endpoints, processes (executable + argument shape), steps and actions (with commits). A new endpoint or a new
 * process selects its first call / process in the other panes. Renders nothing when no baseline is open.
 * Self-contained: its own fetch (compare.run), its own styles (compare.css).
 */
import { useEffect, useState } from 'react';
import type { CompareResult } from '../../../../shared/api';
import type { Comparison } from '../../../../shared/compare';
import { api } from '../../api';
import { select, useApp } from '../../state/selection';
import './compare.css';
import { PaneMessage } from '../NotReady';
import { isNotReady } from '../../state/case-import';

type Kind = 'new' | 'gone' | 'changed';

interface Item {
  kind: Kind;
  text: string;
  detail?: string;
  onClick?: () => void;
}

function Group({ title, items }: { title: string; items: Item[] }) {
  return (
    <section className="cmp-group" aria-label={title}>
      <h3>
        {title} <span className="dim">{items.length === 0 ? 'no change' : items.length}</span>
      </h3>
      {items.length > 0 && (
        <ul className="cmp-list">
          {items.map((it, i) => (
            <li key={i} className={`cmp-item cmp-${it.kind}`}>
              <span className={`badge ${it.kind === 'new' ? 'bad' : it.kind === 'changed' ? 'warn' : ''}`}>{it.kind}</span>{' '}
              {it.onClick ? (
                <button type="button" className="cmp-link" onClick={it.onClick} title={`${it.text}\n(select in the other panes)`}>
                  {it.text}
                </button>
              ) : (
                <span className="cmp-text" title={it.text}>
                  {it.text}
                </span>
              )}
              {it.detail && <div className="cmp-detail dim">{it.detail}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function groups(c: Comparison): { title: string; items: Item[] }[] {
  const n = c.baselines.length;
  return [
    {
      title: 'Endpoints',
      items: [
        ...c.endpoints.new.map((e): Item => ({
          kind: 'new',
          text: e.endpoint,
          detail: `${e.calls} call${e.calls === 1 ? '' : 's'} · ${e.processes.join(', ') || '?'} · ${e.steps.join('; ') || 'no step'}`,
          ...(e.call_ids[0] !== undefined ? { onClick: () => select({ kind: 'call', id: e.call_ids[0]! }) } : {}),
        })),
        ...c.endpoints.gone.map((e): Item => ({ kind: 'gone', text: e.endpoint, detail: `called in ${e.baselines} of ${n} baseline runs` })),
        ...(c.endpoints.changed ?? []).map((e): Item => ({ kind: 'changed', text: e.endpoint, detail: `now also from ${e.steps.join('; ')} · baseline: ${e.baseline_steps.join('; ') || '—'}` })),
      ],
    },
    {
      title: 'Processes',
      items: [
        ...c.processes.new.map((p): Item => ({
          kind: 'new',
          text: `${p.exe}  ${p.args_shape.slice(1).join(' ')}`,
          detail: `pid ${p.pids.join(', ')} · ${p.steps.join('; ') || 'no step'}`,
          ...(p.process_ids[0] !== undefined ? { onClick: () => select({ kind: 'process', id: p.process_ids[0]! }) } : {}),
        })),
        ...c.processes.gone.map((p): Item => ({ kind: 'gone', text: `${p.exe}  ${p.args_shape.slice(1).join(' ')}`, detail: `in ${p.baselines} of ${n} baseline runs` })),
        ...(c.processes.changed ?? []).map((p): Item => ({
          kind: 'changed',
          text: `${p.exe}  ${p.args_shape.slice(1).join(' ')}`,
          detail: `now also in ${p.steps.join('; ')} · baseline: ${p.baseline_steps.join('; ') || '—'}`,
          ...(p.process_ids[0] !== undefined ? { onClick: () => select({ kind: 'process', id: p.process_ids[0]! }) } : {}),
        })),
      ],
    },
    {
      title: 'Steps',
      items: [
        ...c.steps.new.map((s): Item => ({ kind: 'new', text: `${s.job} #${s.number ?? '?'} ${s.name}` })),
        ...c.steps.gone.map((s): Item => ({ kind: 'gone', text: `${s.job} #${s.number ?? '?'} ${s.name}` })),
        ...c.steps.changed.map((s): Item => ({ kind: 'changed', text: `${s.job} #${s.number ?? '?'} ${s.name}`, detail: `${s.field}: ${s.value ?? '—'} (baseline: ${s.baseline_values.map((v) => v ?? '—').join(', ')})` })),
      ],
    },
    {
      title: 'Actions',
      items: [
        ...c.actions.new.map((a): Item => ({ kind: 'new', text: `${a.action}@${a.refs.join(', ')}` })),
        ...c.actions.gone.map((a): Item => ({ kind: 'gone', text: a.action, detail: `baseline: ${a.baseline_refs.join(', ')}` })),
        ...c.actions.changed.map((a): Item => ({ kind: 'changed', text: a.action, detail: `now ${a.refs.join(', ')} · baseline ${a.baseline_refs.join(', ')}` })),
      ],
    },
  ];
}

export function ComparePanel() {
  const version = useApp((s) => s.caseVersion);
  const [res, setRes] = useState<CompareResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(true);

  useEffect(() => {
    let live = true;
    api['compare.run']({}).then(
      (r) => live && (setRes(r), setError(null)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version]);

  if (error) return isNotReady(error) ? <div className="pane compare-pane"><PaneMessage text={error} /></div> : <div className="pane compare-pane" role="alert">Compare: {error}</div>;
  const c = res?.comparison;
  if (!c) return null;
  const gs = groups(c);
  const total = gs.reduce((n, g) => n + g.items.length, 0);
  return (
    <section className={`pane compare-pane${open ? '' : ' closed'}`} aria-label="Compare with baseline">
      <div className="pane-bar">
        <h2>Compare</h2>
        <span className="count" title={c.baselines.map((b) => b.file).join('\n')}>
          {total} difference{total === 1 ? '' : 's'} vs {c.baselines.length} baseline run{c.baselines.length === 1 ? '' : 's'}
        </span>
        <span style={{ flex: 1 }} />
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide' : 'Show'}
        </button>
      </div>
      {open && (
        <div className="compare-body">
          {gs.map((g) => (
            <Group key={g.title} title={g.title} items={g.items} />
          ))}
        </div>
      )}
    </section>
  );
}
