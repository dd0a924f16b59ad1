/**
 * The case-wide analyst actions, in the Findings and Notes pane bars: Export (the report as HTML, Markdown or
 * JSON, downloaded) and Reveal secrets (masked everywhere by default; revealing is recorded in the action log,
 * and every pane reloads with the secrets shown).
 */
import { useState } from 'react';
import { api } from '../api';
import { appStore } from '../state/selection';
import { analystStore, useAnalyst } from './analyst-state';

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

export function AnalystActions() {
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
    <span className="analyst-actions">
      <select aria-label="Report format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
        <option value="html">HTML</option>
        <option value="md">MD</option>
        <option value="json">JSON</option>
      </select>
      <button type="button" title="Export the case's report" onClick={() => void exportReport(format).then(() => setError(null), (e: Error) => setError(e.message))}>
        Export
      </button>
      <button
        type="button"
        aria-pressed={revealed}
        onClick={() => void toggleReveal()}
        title="Secrets are masked by default; revealing them is recorded in the action log"
      >
        {revealed ? 'Mask secrets' : 'Reveal secrets'}
      </button>
      {error && (
        <span className="error-line" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
