/**
 * A read-only SQL console over the case (as lnav's and Perfetto's): saved queries (a few built in, the user's
 * own in localStorage), Ctrl+Enter runs, at most 500 rows come back. The case file is opened read-only.
 */
import { useState } from 'react';
import type { Result } from '../../../../shared/api';
import { api } from '../../api';
import { Ev, evTitle } from '../../evidence/Evidence';
import { PaneMessage } from '../NotReady';

const BUILT_IN: { name: string; sql: string }[] = [
  { name: 'Calls outside the policy', sql: "SELECT id, domain, ip, port, process_name, pid FROM network WHERE verdict = 'outside-policy' ORDER BY ts" },
  { name: 'Calls per domain', sql: 'SELECT coalesce(domain, ip) AS host, count(*) AS calls FROM network GROUP BY host ORDER BY calls DESC' },
  { name: 'Processes per step', sql: 'SELECT s.number, s.name, count(p.id) AS processes FROM steps s LEFT JOIN processes p ON p.step_id = s.id GROUP BY s.id ORDER BY s.number' },
  { name: 'Error and warning lines', sql: "SELECT id, step_number, text FROM log_lines WHERE marker IN ('error', 'warning') ORDER BY id" },
  { name: 'Tables', sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" },
];
const KEY = 'runlens.savedQueries';

function loadSaved(): { name: string; sql: string }[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is { name: string; sql: string } => typeof x?.name === 'string' && typeof x?.sql === 'string') : [];
  } catch {
    return [];
  }
}

export function SqlPane() {
  const [sql, setSql] = useState(BUILT_IN[0]!.sql);
  const [saved, setSaved] = useState(loadSaved);
  const [result, setResult] = useState<Result<'sql.query'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      setResult(await api['sql.query']({ sql, limit: 500 }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    const name = sql.replace(/\s+/g, ' ').slice(0, 40);
    const next = [...saved.filter((q) => q.sql !== sql), { name, sql }];
    setSaved(next);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      /* not remembered */
    }
  };
  const all = [...BUILT_IN, ...saved];
  return (
    <section aria-label="SQL" className="pane list-pane sql-pane">
      <textarea
        aria-label="SQL query (read-only)"
        value={sql}
        spellCheck={false}
        onChange={(e) => setSql(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <div className="sql-actions">
        <button type="button" onClick={() => void run()} disabled={busy || !sql.trim()} title="Run (Ctrl+Enter)">
          Run
        </button>
        <select aria-label="Saved queries" value="" onChange={(e) => e.target.value !== '' && setSql(all[Number(e.target.value)]!.sql)}>
          <option value="">Saved queries…</option>
          {all.map((q, i) => (
            <option key={i} value={i}>
              {q.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={save} disabled={!sql.trim()}>
          Save
        </button>
        <span className="count dim">{result ? `${result.rows.length}${result.truncated ? '+ (first 500)' : ''} rows` : 'read-only'}</span>
      </div>
      {error && <PaneMessage text={error} />}
      <div className="sql-result" tabIndex={0} aria-label="Query result">
        {result && (
          <table>
            <thead>
              <tr>
                {result.columns.map((c, i) => (
                  <th key={i} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j} title={v === null ? 'NULL' : evTitle(String(v))}>
                      {v === null ? <span className="dim">NULL</span> : <Ev text={String(v)} />}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!result && !error && <p className="empty">Write a SELECT over the case’s tables (network, log_lines, processes, dns, file_events…) and press Run.</p>}
      </div>
    </section>
  );
}
