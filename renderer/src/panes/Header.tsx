/**
 * The header: run identity (repository, workflow, job, commit), the case's inputs with hashes and clock offsets,
 * and opening a bundle.
 */
import { useEffect, useRef, useState } from 'react';
import type { CaseInfo } from '../../../shared/api';
import { bytes } from '../format';
import { ClockOffsets, ClockOffsetsBadge } from './ClockOffsets';
import { CasesButton } from '../StartPage';
import { InputAccounting } from './InputAccounting';
import { ImportProgress, OpenBundleButtons } from './ImportPanel';
import { openDialog } from '../layout/HelpSheet';

const s = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);

export function Header({ info }: { info: CaseInfo | null }) {
  const [open, setOpen] = useState(false);
  const inputsButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // Esc anywhere closes the dialog (before the app's Esc, which clears the selection)
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopImmediatePropagation();
      setOpen(false);
      inputsButton.current?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open]);
  const run = info?.run ?? null;
  const sha = s(run?.head_sha);
  return (
    <header className="app-header">
      <span className="logo" aria-hidden="true">
        ◉
      </span>
      <span className="app-name">Runlens</span>
      <dl className="run-info" aria-label="Run">
        {s(run?.repository) && (
          <>
            <dt>repo</dt>
            <dd>{s(run?.repository)}</dd>
          </>
        )}
        {s(run?.workflow) && (
          <>
            <dt>workflow</dt>
            <dd>{s(run?.workflow)}</dd>
          </>
        )}
        {s(run?.job) && (
          <>
            <dt>job</dt>
            <dd>{s(run?.job)}</dd>
          </>
        )}
        {s(run?.run_id) && (
          <>
            <dt>run</dt>
            <dd>#{s(run?.run_id)}</dd>
          </>
        )}
        {sha && (
          <>
            <dt>commit</dt>
            <dd className="mono" title={sha}>
              {sha.slice(0, 12)}
            </dd>
          </>
        )}
        {!run && info && (
          <>
            <dt>case</dt>
            <dd>{info.title}</dd>
          </>
        )}
      </dl>
      <span className="spacer-flex" />
      <ImportProgress />
      {info && info.policy === null && info.import_state === 'complete' && (
        <span className="badge warn" title="No egress policy was given: no allow-list findings">
          no policy
        </span>
      )}
      <ClockOffsetsBadge
        info={info}
        onOpen={() => {
          setOpen(true);
          requestAnimationFrame(() => document.getElementById('clock-offsets')?.scrollIntoView({ block: 'nearest' }));
        }}
      />
      <button ref={inputsButton} type="button" aria-expanded={open} aria-controls="inputs-panel" onClick={() => setOpen(!open)}>
        Inputs{info ? ` (${info.inputs.length})` : ''}
        {info && info.warnings.length > 0 ? ` · ${info.warnings.length} warnings` : ''}
      </button>
      <CasesButton />
      <OpenBundleButtons />
      <button type="button" onClick={() => openDialog('settings')} title="Settings: how times are shown">
        Settings
      </button>
      <button type="button" className="icon" aria-label="Keyboard shortcuts and filters" title="Keyboard shortcuts and filters (?)" onClick={() => openDialog('help')}>
        ?
      </button>
      {open && info && (
        <div
          id="inputs-panel"
          className="popover"
          role="dialog"
          aria-label="Case inputs"
          ref={(el) => {
            // focus moves into the dialog when it opens (Esc closes it and gives focus back to the button)
            if (el && !el.contains(document.activeElement)) el.focus();
          }}
          tabIndex={-1}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              e.nativeEvent.stopImmediatePropagation();
              setOpen(false);
              inputsButton.current?.focus();
            }
          }}
        >
          <div className="popover-head">
            <h2>Case inputs</h2>
            <button type="button" className="icon" aria-label="Close" title="Close (Esc)" onClick={() => setOpen(false)}>
              ✕
            </button>
          </div>
          <h2>Case</h2>
          <p className="mono">{info.case_file}</p>
          <h2>Inputs</h2>
          <table className="inputs">
            <thead>
              <tr>
                <th>path</th>
                <th>format</th>
                <th>size</th>
                <th>sha256</th>
              </tr>
            </thead>
            <tbody>
              {info.inputs.map((i) => (
                <tr key={i.path + i.sha256}>
                  <td>{i.path}</td>
                  <td>{i.format ?? '—'}</td>
                  <td>{bytes(i.bytes)}</td>
                  <td className="mono hash">{i.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <InputAccounting info={info} />
          <ClockOffsets key={info.case_file} info={info} />
          <h2>Policy</h2>
          <p>
            {info.policy
              ? `${info.policy.egress_policy}: ${info.policy.allowed_endpoints.join(', ') || '(nothing allowed)'}`
              : 'no policy given'}
          </p>
          <h2>Warnings ({info.warnings.length})</h2>
          <ul className="warnings">
            {info.warnings.slice(0, 500).map((w, i) => (
              <li key={i}>
                <span className="mono">
                  {w.file ?? '(import)'}
                  {w.line !== null ? `:${w.line}` : ''}
                </span>{' '}
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </header>
  );
}
