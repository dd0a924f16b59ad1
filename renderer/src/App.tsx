/**
 * The investigation layout: header; Timeline across the top; Process tree at the side; Network calls over the
 * Build log in the middle; Details on the right. The tree's column can be widened (TreeWidthHandle, remembered). One shared selection drives them all (state/selection.ts).
 * Announces `document.body.dataset.appState`: 'ready' after the first data load, 'import-done' after an import, and
 * 'partial' when the panes have loaded a case whose import still runs (first screen first: state/case-import.ts;
 * `document.body.dataset.importState` says how far it is); 'incomplete' for a case whose import was interrupted.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseInfo } from '../../shared/api';
import { formatNanos, tryParseRfc3339 } from '../../shared/time';
import { setTimeDisplay } from './format';
import { api, currentCaseId } from './api';
import { BuildLog } from './panes/BuildLog';
import { Header } from './panes/Header';
import { DropZone } from './panes/ImportPanel';
import { treeColumn, TreeWidthHandle, useTreeWidth } from './panes/process-tree/TreeWidthHandle';
import { StartPage } from './StartPage';
import { showCase, useCaseId } from './state/case';
import { caseImportStore, isPartialState, noteOpenedPartial, useCaseImport, watchCaseImport } from './state/case-import';
import { CollapsedPane } from './layout/PaneControls';
import { paneStore, setSideTab, toggleMaximised, usePanes, type PaneId } from './layout/pane-state';
import { Dialogs, openDialog } from './layout/HelpSheet';
import { SideArea, type SideTab } from './layout/SideArea';
import { ImportErrorPanel } from './panes/ImportErrorPanel';
import { ContextMenuHost } from './panes/ContextMenu';
import { later, laterNote, laterPanesLoaded, useLaterPanesLoaded } from './layout/later';
import { TimelineLoading } from './panes/timeline/TimelineLoading';
import { firstScreenDrawn, firstScreenStarted } from './state/first-screen';
import { moveCall } from './state/navigation';
import { appStore, clearSelection, restoreFromHash, useApp } from './state/selection';

// First screen first (state/first-screen.ts): the build log is in the entry bundle; every other pane is its own
// chunk, loaded once the log's first rows are on screen (layout/later.tsx), with a placeholder in its place until then.
const TimelineSlot = later(() => import('./panes/TimelineSlot').then((m) => m.TimelineSlot), {
  title: 'Timeline',
  body: <TimelineLoading why={laterNote('Timeline')} />,
});
const NetworkTable = later(() => import('./panes/NetworkTable').then((m) => m.NetworkTable), { title: 'Network calls' });
const Details = later(() => import('./panes/Details').then((m) => m.Details), { title: 'Details' });
const ComparePanel = later(() => import('./panes/compare/ComparePanel').then((m) => m.ComparePanel), { title: null });
const ProcessTreeSlot = later(() => import('./panes/ProcessTreeSlot').then((m) => m.ProcessTreeSlot), { title: 'Process tree', bar: false });
const ProcessList = later(() => import('./panes/lists/ProcessList').then((m) => m.ProcessList), { title: 'Process list', bar: false });
const DnsPane = later(() => import('./panes/lists/DnsPane').then((m) => m.DnsPane), { title: 'DNS', bar: false });
const FilesPane = later(() => import('./panes/lists/FilesPane').then((m) => m.FilesPane), { title: 'File events', bar: false });
const SqlPane = later(() => import('./panes/lists/SqlPane').then((m) => m.SqlPane), { title: 'SQL', bar: false });

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
  else if (e.key === '?') openDialog('help');
  else if (e.key === 't')
    appStore.set((s) => ({ logTimes: s.logTimes === 'absolute' ? 'relative' : s.logTimes === 'relative' ? 'local' : 'absolute' }));
  else if (/^[1-5]$/.test(e.key)) setSideTab(sideTabs[Number(e.key) - 1]!.id);
  else if (e.key === 'm') {
    const slot = (document.activeElement as HTMLElement | null)?.closest('.slot-timeline, .slot-tree, .slot-details, .net-pane, .log-pane');
    const id: PaneId | null = !slot
      ? null
      : slot.classList.contains('slot-timeline')
        ? 'timeline'
        : slot.classList.contains('slot-tree')
          ? 'side'
          : slot.classList.contains('slot-details')
            ? 'details'
            : slot.classList.contains('net-pane')
              ? 'calls'
              : 'log';
    if (id) toggleMaximised(id);
    else if (paneStore.get().maximised) toggleMaximised(paneStore.get().maximised!);
  }
  else if (e.key === 'f') appStore.set((s) => ({ findingsOnly: !s.findingsOnly }));
  else if (e.key === '/') {
    e.preventDefault();
    document.getElementById('net-search')?.focus();
  } else return;
}

/** The side tab was switched to "Log hosts" for a logs-only case (not by the user): switched back for other cases. */
let autoMentionsTab = false;

/** One case's investigation (the page's URL names the case). */
function CaseView() {
  const version = useApp((s) => s.caseVersion);
  const mount = useApp((s) => s.caseMount);
  const caseId = useCaseId();
  const [info, setInfo] = useState<CaseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef({ version: -1, net: false, log: false });
  // The caseVersion at which this page started showing its case (the layout's mount).
  const base = useRef({ mount: -1, version: 0 });
  if (base.current.mount !== mount) base.current = { mount, version };
  const importState = useCaseImport((s) => (s.caseId === caseId ? s.state : null));
  const interrupted = useCaseImport((s) => (s.caseId === caseId && s.state === 'interrupted' ? s.message : null));

  // How far the case's import is, followed until it is complete (the panes fill in as it goes).
  useEffect(() => (caseId ? watchCaseImport(caseId) : undefined), [caseId]);
  // The other panes load once the log's first rows are drawn (BuildLog says so), at the latest a moment from now.
  useEffect(() => firstScreenStarted(), []);

  useEffect(() => {
    let live = true;
    Promise.all([api['case.info']({}), api['steps.list']({})]).then(
      ([i, s]) => {
        if (!live) return;
        const shown = currentCaseId();
        if (shown && i.import_state !== 'complete') noteOpenedPartial(shown);
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

  // The page's state, once both the panes have loaded this version and the case's import state is known.
  const announce = useCallback(() => {
    const l = loaded.current;
    const st = caseImportStore.get();
    if (!l.net || !l.log || st.state === null || st.caseId !== caseId || !laterPanesLoaded()) return;
    if (l.version !== appStore.get().caseVersion) return;
    // 'ready' for the case the page was opened with (also once its import, seen from its first screen, is done);
    // 'import-done' for a case this page switched to (an import or re-offset started here, a case from the list).
    document.body.dataset.appState =
      st.state === 'interrupted' ? 'incomplete' : isPartialState(st.state) ? 'partial' : base.current.version === 0 ? 'ready' : 'import-done';
  }, [caseId]);
  const panesIn = useLaterPanesLoaded(); // the panes loaded after the first screen (layout/later.tsx)
  useEffect(() => announce(), [announce, importState, panesIn]);
  const paneLoaded = useCallback(
    (which: 'net' | 'log') => (v: number) => {
      const l = loaded.current;
      if (l.version !== v) loaded.current = { version: v, net: false, log: false };
      loaded.current[which] = true;
      announce();
    },
    [announce],
  );
  // Stable callbacks (per case): the panes call them from effects.
  const onNet = useMemo(() => paneLoaded('net'), [paneLoaded]);
  const onLog = useMemo(() => paneLoaded('log'), [paneLoaded]);

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
  const timeMode = useApp((s) => s.logTimes);
  setTimeDisplay(timeMode, origin);
  const collapsed = usePanes((s) => s.collapsed);
  const maximised = usePanes((s) => s.maximised);
  const auto = usePanes((s) => s.auto);
  const isC = (id: PaneId) => (collapsed.includes(id) || auto.includes(id)) && maximised !== id;
  // A case with logs only (no calls, no processes): the log gets the room, and the side area shows the hosts the
  // log mentions (the process tabs would be empty) instead of an empty calls table that reads as "no network".
  // Not while the import runs: its calls and processes may still be on their way (first screen first).
  const logsOnly = !!info && info.import_state === 'complete' && info.counts.network === 0 && info.counts.processes === 0;
  useEffect(() => {
    paneStore.set({ auto: logsOnly ? ['calls'] : [] });
    const tab = paneStore.get().sideTab;
    if (logsOnly && (tab === 'tree' || tab === 'processes')) {
      paneStore.set({ sideTab: 'mentions' });
      autoMentionsTab = true;
    } else if (!!info && !logsOnly && autoMentionsTab && tab === 'mentions') {
      paneStore.set({ sideTab: 'tree' });
      autoMentionsTab = false;
    }
  }, [logsOnly, version, info]);
  const callsHidden = isC('calls');
  const logHidden = isC('log');
  useEffect(() => {
    // a collapsed pane has nothing to load: it counts as loaded for the app's ready signal
    if (callsHidden) onNet(version);
    if (logHidden) onLog(version);
    if (logHidden || (maximised !== null && maximised !== 'log')) firstScreenDrawn(); // no log rows to wait for
  }, [callsHidden, logHidden, maximised, version, onNet, onLog]);
  const layoutClass = [
    'layout',
    maximised ? `max max-${maximised}` : '',
    isC('timeline') ? 'c-timeline' : '',
    isC('side') ? 'c-side' : '',
    isC('details') ? 'c-details' : '',
    isC('calls') ? 'c-calls' : '',
    isC('log') ? 'c-log' : '',
  ].join(' ');
  return (
    <div className="app">
      <Header info={info} />
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <ImportErrorPanel />
      {interrupted !== null && <IncompleteCase why={interrupted} />}
      {interrupted === null && (
        <main
          className={layoutClass}
          key={mount}
          data-maximised={maximised ?? undefined}
          style={treeCol ? ({ '--tree-col': treeCol } as React.CSSProperties) : undefined}
        >
          <div className="slot-timeline">
            {isC('timeline') ? <CollapsedPane id="timeline" title="Timeline" /> : <TimelineSlot />}
          </div>
          <div className="slot-tree">
            {isC('side') ? (
              <CollapsedPane id="side" title="Processes" vertical />
            ) : (
              <>
                <SideArea tabs={sideTabs} />
                <TreeWidthHandle onWidth={setTreeWidth} />
              </>
            )}
          </div>
          <div className="slot-center">
            {isC('calls') ? (
              <CollapsedPane
                id="calls"
                title="Network calls"
                note={logsOnly ? 'none recorded: this case holds logs only (hosts the log names: Log hosts tab)' : undefined}
              />
            ) : (
              <NetworkTable onLoaded={onNet} />
            )}
            {isC('log') ? <CollapsedPane id="log" title="Build log" /> : <BuildLog origin={origin} onLoaded={onLog} />}
          </div>
          <div className="slot-details">
            {isC('details') ? <CollapsedPane id="details" title="Details" vertical /> : <Details />}
            <ComparePanel />
          </div>
        </main>
      )}
      <DropZone />
      <ContextMenuHost />
      <Dialogs />
    </div>
  );
}

/** A case whose import stopped before it was complete: nothing of it is shown as if it were a case. */
function IncompleteCase({ why }: { why: string }) {
  useEffect(() => {
    document.body.dataset.appState = 'incomplete';
  }, []);
  return (
    <section className="incomplete-case" role="alert" aria-label="Incomplete case">
      <h2>This case is incomplete</h2>
      <p>{why.charAt(0).toUpperCase() + why.slice(1)}.</p>
      <button type="button" onClick={() => showCase(null)}>
        Back to the cases
      </button>
    </section>
  );
}

/** The page: the case its URL names, else the start page (the open and recent cases). */
export function App() {
  const caseId = useCaseId();
  // Not keyed by the case: a case opened from this page (an import, clock offsets) bumps caseVersion, which
  // reloads every pane, while the header keeps what the user had open (the Inputs panel).
  return caseId ? <CaseView /> : <StartPage />;
}
const sideTabs: SideTab[] = [
  { id: 'tree', label: 'Tree', render: () => <ProcessTreeSlot />, keep: true },
  { id: 'processes', label: 'List', render: () => <ProcessList /> },
  { id: 'dns', label: 'DNS', render: () => <DnsPane /> },
  { id: 'files', label: 'Files', render: () => <FilesPane /> },
  { id: 'sql', label: 'SQL', render: () => <SqlPane /> },
];
