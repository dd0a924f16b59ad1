/**
 * The investigation layout: header; Timeline across the top; Process tree at the side; Network calls over the
 * Build log in the middle; Details on the right. The tree's column can be widened (TreeWidthHandle, remembered). One shared selection drives them all (state/selection.ts).
 * Announces `document.body.dataset.appState`: 'ready' after the first data load, 'import-done' after an import.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseInfo } from '../../shared/api';
import { formatNanos, tryParseRfc3339 } from '../../shared/time';
import { api } from './api';
import { BuildLog } from './panes/BuildLog';
import { Details } from './panes/Details';
import { Header } from './panes/Header';
import { DropZone } from './panes/ImportPanel';
import { NetworkTable } from './panes/NetworkTable';
import { ProcessTreeSlot } from './panes/ProcessTreeSlot';
import { treeColumn, TreeWidthHandle, useTreeWidth } from './panes/process-tree/TreeWidthHandle';
import { TimelineSlot } from './panes/TimelineSlot';
import { StartPage } from './StartPage';
import { useCaseId } from './state/case';
import { moveCall } from './state/navigation';
import { appStore, clearSelection, restoreFromHash, useApp } from './state/selection';

function typingIn(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return (
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'Escape') {
    if (typingIn(e.target)) (e.target as HTMLElement).blur();
    clearSelection();
    return;
  }
  if (typingIn(e.target)) return;
  if (e.key === 'j') void moveCall(1);
  else if (e.key === 'k') void moveCall(-1);
  else if (e.key === 'f') appStore.set((s) => ({ findingsOnly: !s.findingsOnly }));
  else if (e.key === '/') {
    e.preventDefault();
    document.getElementById('net-search')?.focus();
  } else return;
}

/** One case's investigation (the page's URL names the case). */
function CaseView() {
  const version = useApp((s) => s.caseVersion);
  const [info, setInfo] = useState<CaseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef({ version: -1, net: false, log: false });

  useEffect(() => {
    let live = true;
    Promise.all([api['case.info']({}), api['steps.list']({})]).then(
      ([i, s]) => {
        if (!live) return;
        setInfo(i);
        setError(null);
        appStore.set({ steps: s.steps });
        document.title = `${i.title} — Runlens`;
        if (version === 0) restoreFromHash();
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version]);

  useEffect(() => {
    window.addEventListener('keydown', onKey);
    const onHash = () => restoreFromHash();
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const paneLoaded = useCallback(
    (which: 'net' | 'log') => (v: number) => {
      const l = loaded.current;
      if (l.version !== v) loaded.current = { version: v, net: false, log: false };
      loaded.current[which] = true;
      if (loaded.current.net && loaded.current.log) document.body.dataset.appState = v === 0 ? 'ready' : 'import-done';
    },
    [],
  );
  // Stable callbacks: the panes call them from effects.
  const [onNet] = useState(() => paneLoaded('net'));
  const [onLog] = useState(() => paneLoaded('log'));

  const [treeWidth, setTreeWidth] = useTreeWidth();
  const treeCol = treeColumn(treeWidth);
  const steps = useApp((s) => s.steps);
  // Job time counts from the job's start: the run's started_at, else its first step, else the first event.
  const started = info?.run?.started_at;
  const origin =
    (typeof started === 'string' && tryParseRfc3339(started) !== null
      ? formatNanos(tryParseRfc3339(started)!)
      : null) ??
    steps
      .map((s) => s.started_at)
      .filter((t): t is string => !!t)
      .sort()[0] ??
    info?.time_range?.start ??
    null;
  return (
    <div className="app">
      <Header info={info} />
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <main className="layout" key={version} style={treeCol ? ({ '--tree-col': treeCol } as React.CSSProperties) : undefined}>
        <div className="slot-timeline">
          <TimelineSlot />
        </div>
        <div className="slot-tree">
          <ProcessTreeSlot />
          <TreeWidthHandle onWidth={setTreeWidth} />
        </div>
        <div className="slot-center">
          <NetworkTable onLoaded={onNet} />
          <BuildLog origin={origin} onLoaded={onLog} />
        </div>
        <div className="slot-details">
          <Details />
        </div>
      </main>
      <DropZone />
    </div>
  );
}

/** The page: the case its URL names, else the start page (the open and recent cases). */
export function App() {
  const caseId = useCaseId();
  // Not keyed by the case: a case opened from this page (an import, clock offsets) bumps caseVersion, which
  // reloads every pane, while the header keeps what the user had open (the Inputs panel).
  return caseId ? <CaseView /> : <StartPage />;
}
