/** Findings and Notes share the top of the details column as two tabs (the 1280×720 screen has no room for both). */
import { useState } from 'react';
import { FindingsPane } from './FindingsPane';
import { NotesPane } from './NotesPane';

export function AnalystTabs() {
  const [tab, setTab] = useState<'findings' | 'notes'>('findings');
  return (
    <div className="analyst-tabs">
      <div role="tablist" aria-label="Findings and notes" className="tab-bar">
        {(['findings', 'notes'] as const).map((t) => (
          <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`tabpanel-${t}`} onClick={() => setTab(t)}>
            {t === 'findings' ? 'Findings' : 'Notes'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'findings' ? <FindingsPane /> : <NotesPane />}
      </div>
    </div>
  );
}
