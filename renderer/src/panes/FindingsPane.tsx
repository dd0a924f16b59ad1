/**
 * The Findings pane: every finding, one row each — Runlens's own (allow-list, local detections, rules file) and the
 * producer's detections, merged when they are about the same endpoint, process or source line. A row shows
 * severity, kind, title, who raised it, the endpoint or process, time and step; rows come sorted by severity, then
 * time (the API's order). Activating a row selects its evidence in every pane through the one selection store
 * (a call, a process or a log line). Titles arrive with secrets masked.
 */
import { useEffect, useState } from 'react';
import type { FindingOut } from '../../../shared/api';
import { api } from '../api';
import { baseName, clock } from '../format';
import { select, useApp } from '../state/selection';
import { AnalystActions } from './AnalystActions';
import { analystStore } from './analyst-state';
import './findings.css';
import { Ev, evTitle } from '../evidence/Evidence';
import { PaneMessage } from './NotReady';

function about(f: FindingOut): string {
  if (f.endpoint) return f.endpoint;
  const p = f.processes[0];
  return p ? `${baseName(p.exe) || '?'} (${p.pid})` : '—';
}

export function FindingsPane() {
  const version = useApp((s) => s.caseVersion);
  const selection = useApp((s) => s.selection);
  const [rows, setRows] = useState<FindingOut[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api['findings.list']({}).then(
      (r) => {
        if (!live) return;
        setRows(r.findings);
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const choose = (f: FindingOut) => {
    setActive(f.id);
    analystStore.set({ finding: { id: f.id, title: f.title ?? f.kind } });
    if (f.target) select(f.target);
    void api['actions.record']({ action: 'select-finding', detail: { finding: f.id, title: f.title ?? f.kind } }).catch(() => {});
  };
  const isSelected = (f: FindingOut) =>
    active === f.id && !!selection && !!f.target && selection.kind === f.target.kind && selection.id === f.target.id;

  return (
    <section aria-label="Findings" className="pane findings-pane">
      <div className="pane-bar">
        <h2>Findings</h2>
        {rows && <span className="count">{rows.length}</span>}
        <AnalystActions />
      </div>
      <div className="scroller">
        {error && <PaneMessage text={error} />}
        {rows && rows.length === 0 && <p className="empty">No findings.</p>}
        {rows && rows.length > 0 && (
          <ul
            className="findings-list"
            aria-label="Findings, most severe first"
            onKeyDown={(e) => {
              // Up/Down move between rows and select the row's evidence, like j/k in the calls table.
              if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
              const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.finding-row:not(:disabled)')];
              const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
              const next = buttons[Math.min(buttons.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))];
              if (!next) return;
              e.preventDefault();
              next.focus();
              next.click();
            }}
          >
            {rows.map((f) => (
              <li key={f.id}>
                <button
                  type="button"
                  className={`finding-row${isSelected(f) ? ' selected' : ''}`}
                  aria-pressed={isSelected(f)}
                  data-finding-id={f.id}
                  disabled={!f.target}
                  onClick={() => choose(f)}
                  title={evTitle(f.sources.map((s) => `${s.by}: ${s.title ?? s.kind} (${s.severity})`).join('\n'))}
                >
                  <span className="f-line1">
                    <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                    <Ev className="f-title" text={f.title ?? f.kind} />
                  </span>
                  <span className="f-line2 dim">
                    <span className="f-kind">{f.kinds.join(', ')}</span> · <span className="f-by">{f.by.join(', ')}</span> ·{' '}
                    <Ev className="f-about" text={about(f)} /> · <span className="mono">{clock(f.first_seen)}</span>
                    {f.steps[0] && <> · step {f.steps[0].number}</>}
                  </span>
                  {f.sources.length > 1 && (
                    <span className="f-also dim">
                      {f.sources.slice(1).map((s) => (
                        <span key={s.id} className="f-source">
                          {s.by}: <Ev text={s.title ?? s.kind} />
                        </span>
                      ))}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
