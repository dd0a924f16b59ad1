/**
 * In a call's Details: where the log itself NAMES the call's host (`mentions.list` with `host`), per step, each a
 * link to the step's first mentioning line. Labelled as log mentions, never as calls.
 */
import { useEffect, useState } from 'react';
import type { MentionRow } from '../../../../shared/api';
import { api } from '../../api';
import { goToLine, stepLabel } from './MentionsPane';
import { Ev } from '../../evidence/Evidence';
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
