/**
 * The start page (a page whose URL names no case): the cases this host has open or opened recently — title, repo,
 * job, run, time and input hashes, so two investigations cannot be confused — each opening in this page (or, as a
 * link, in a new tab or window), and opening a new bundle.
 */
import { useEffect, useState } from 'react';
import type { CaseSummary } from '../../shared/api';
import { appApi } from './api';
import { ImportErrorPanel } from './panes/ImportErrorPanel';
import { DropZone, ImportProgress, OpenBundleButtons } from './panes/ImportPanel';
import { showCase } from './state/case';

const short = (sha: string) => sha.slice(0, 12);

export function StartPage() {
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    document.title = 'Cases — Runlens';
    appApi['cases.list']({}).then(
      (r) => {
        if (!live) return;
        setCases(r.cases);
        document.body.dataset.appState = 'start';
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, []);
  const open = (c: CaseSummary) => (e: React.MouseEvent) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // a new tab or window
    e.preventDefault();
    if (c.open) return showCase(c.id);
    appApi['cases.open']({ id: c.id }).then(
      () => showCase(c.id),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <div className="app start-page">
      <header className="app-header">
        <span className="logo" aria-hidden="true">
          ◉
        </span>
        <span className="app-name">Runlens</span>
        <ImportProgress />
        <span className="spacer-flex" />
        <OpenBundleButtons />
      </header>
      <ImportErrorPanel noCase />
      <main className="start-main">
        <h1>Cases</h1>
        {error && (
          <div className="error-banner" role="alert">
            {error}
          </div>
        )}
        {cases && cases.length === 0 && <p className="dim">No cases yet: open a bundle, or drop one on this window.</p>}
        {cases && cases.length > 0 && (
          <table className="start-cases" aria-label="Cases">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Repository</th>
                <th scope="col">Job</th>
                <th scope="col">Run</th>
                <th scope="col">Run time</th>
                <th scope="col">Inputs (SHA-256)</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} data-case-id={c.id} data-state={c.state}>
                  <td>
                    <a href={`?case=${c.id}`} onClick={open(c)} title={c.case_file}>
                      {c.title}
                    </a>
                  </td>
                  <td>{c.repo ?? '—'}</td>
                  <td>{c.job ?? '—'}</td>
                  <td>{c.run_id ? `#${c.run_id}` : '—'}</td>
                  <td>{c.run_time ?? '—'}</td>
                  <td className="mono">
                    {c.inputs.length === 0
                      ? '—'
                      : c.inputs.map((i) => (
                          <div key={i.path + i.sha256} title={`${i.path}\n${i.sha256}`}>
                            {short(i.sha256)} <span className="dim">{i.path.split(/[\\/]/).pop()}</span>
                          </div>
                        ))}
                  </td>
                  <td>
                    {c.state === 'incomplete' ? (
                      <span className="badge bad" title={c.state_note ?? undefined}>
                        incomplete
                      </span>
                    ) : c.state === 'importing' ? (
                      <span className="badge run">importing…</span>
                    ) : c.open ? (
                      'open'
                    ) : (
                      'recent'
                    )}
                    {c.state === 'incomplete' && c.state_note && <div className="dim start-note">{c.state_note}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      <DropZone />
    </div>
  );
}

/** From a case back to the start page (the case stays open; Back returns to it). */
export function CasesButton() {
  return (
    <button type="button" onClick={() => showCase(null)} title="The cases open here and recent ones">
      Cases…
    </button>
  );
}
