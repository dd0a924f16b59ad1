/**
 * Findings and Notes share the top of the details column as two tabs (the 1280×720 screen has no room for both),
 * with the case-wide analyst actions beside them: Export (the report as md, html or json, downloaded) and
 * Reveal secrets (masked everywhere by default; revealing is recorded in the action log, and every pane reloads).
 */
import { useState } from 'react';
import { api } from '../api';
import { appStore } from '../state/selection';
import { analystStore, useAnalyst } from './analyst-state';
import { FindingsPane } from './FindingsPane';
import { NotesPane } from './NotesPane';

type Format = 'html' | 'md' | 'json';

async function exportReport(format: Format): Promise<void> {
  const r = await api['report.export']({ format });
  const url = URL.createObjectURL(new Blob([r.content], { type: r.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = r.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  analystStore.set((s) => ({ notesVersion: s.notesVersion + 1 }));
}

export function AnalystTabs() {
  const [tab, setTab] = useState<'findings' | 'notes'>('findings');
  const [format, setFormat] = useState<Format>('html');
  const [error, setError] = useState<string | null>(null);
  const revealed = useAnalyst((s) => s.revealed);
  const toggleReveal = async () => {
    try {
      const r = await api['secrets.reveal']({ reveal: !revealed });
      analystStore.set((s) => ({ revealed: r.revealed, notesVersion: s.notesVersion + 1 }));
      appStore.set((s) => ({ caseVersion: s.caseVersion + 1 }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="analyst-tabs">
      <div className="tab-bar">
        <div role="tablist" aria-label="Findings and notes" className="tabs">
          {(['findings', 'notes'] as const).map((t) => (
            <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`tabpanel-${t}`} onClick={() => setTab(t)}>
              {t === 'findings' ? 'Findings' : 'Notes'}
            </button>
          ))}
        </div>
        <span className="tab-actions">
          <select aria-label="Report format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="html">HTML</option>
            <option value="md">MD</option>
            <option value="json">JSON</option>
          </select>
          <button type="button" onClick={() => void exportReport(format).catch((e: Error) => setError(e.message))}>
            Export
          </button>
          <button type="button" aria-pressed={revealed} onClick={() => void toggleReveal()} title="Secrets are masked by default; revealing them is recorded in the action log">
            {revealed ? 'Mask secrets' : 'Reveal secrets'}
          </button>
        </span>
      </div>
      {error && (
        <p className="error-line" role="alert">
          {error}
        </p>
      )}
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'findings' ? <FindingsPane /> : <NotesPane />}
      </div>
    </div>
  );
}
