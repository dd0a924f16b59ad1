/**
 * In a call's Details: where the log itself NAMES the call's host (`mentions.list` with `host`), per step, each a
 * link to the step's first mentioning line. Labelled as log mentions, never as calls.
 */
import { useEffect, useState } from 'react';
import type { MentionRow } from '../../../../shared/api';
import { api } from '../../api';
import { goToLine, stepLabel } from './MentionsPane';
import { Ev, Host } from '../../evidence/Evidence';
import { setSideTab } from '../../layout/pane-state';
import './mentions.css';

export function MentionedInLog({ host }: { host: string }) {
  const [row, setRow] = useState<{ host: string; value: MentionRow | null } | null>(null);
  useEffect(() => {
    let live = true;
    api['mentions.list']({ host, limit: 1 }).then(
      (r) => live && setRow({ host, value: r.rows[0] ?? null }),
      () => live && setRow({ host, value: null }),
    );
    return () => {
      live = false;
    };
  }, [host]);
  if (!row || row.host !== host) return null;
  const m = row.value;
  return (
    <div className="mentioned-in-log" aria-label="Mentioned in log by step">
      <span className="badge said" title="Hosts written in log lines: what the log says, not a call the run was seen to make">
        mentioned in log
      </span>{' '}
      {m ? (
        <>
          <span className="dim">
            {m.lines} line{m.lines === 1 ? '' : 's'} in {m.step_count} step{m.step_count === 1 ? '' : 's'}
          </span>
          <ul>
            {m.steps.map((s) => (
              <li key={s.first_line_id}>
                <button type="button" className="link" onClick={() => goToLine(s.first_line_id)} title="Go to the step's first line that mentions it">
                  <Ev text={stepLabel(s)} />
                </button>
                <span className="dim">{s.lines} line{s.lines === 1 ? '' : 's'}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <span className="dim">no step’s log names this host</span>
      )}
    </div>
  );
}

/** In a log line's Details: the hosts the line mentions, each with where else the log names it. */
export function LineMentions({ id }: { id: number }) {
  const [rows, setRows] = useState<{ id: number; rows: MentionRow[] } | null>(null);
  useEffect(() => {
    let live = true;
    api['mentions.list']({ line: id, sort: 'host', limit: 50 }).then(
      (r) => live && setRows({ id, rows: r.rows }),
      () => live && setRows({ id, rows: [] }),
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (!rows || rows.id !== id || rows.rows.length === 0) return null;
  return (
    <section className="d-section mentioned-in-log" aria-label="Hosts this line mentions">
      <h3>
        Hosts this line mentions{' '}
        <span className="badge said" title="Written in the log: not a call the run was seen to make">
          mentioned in log
        </span>
      </h3>
      <ul>
        {rows.rows.map((m) => (
          <li key={m.host}>
            <button type="button" className="link" onClick={() => setSideTab('mentions')} title="Show it in the Log hosts list">
              <Host name={m.host} />
            </button>
            <span className="dim">
              {m.lines} line{m.lines === 1 ? '' : 's'} in {m.step_count} step{m.step_count === 1 ? '' : 's'}:
            </span>
            {m.steps.slice(0, 6).map((s) => (
              <button key={s.first_line_id} type="button" className="link small" onClick={() => goToLine(s.first_line_id)} title={`First mention in ${stepLabel(s)}`}>
                {s.step_number ?? '—'}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
