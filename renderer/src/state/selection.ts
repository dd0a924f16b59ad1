/**
 * The one shared selection and time cursor. Selecting a call, a process or a log line sets `selection` (mirrored in
 * the URL hash: `#call=12`, `#process=5`, `#log=300`) and then `focus`: the moment and the step running then, which
 * every pane follows (the log scrolls there and marks the running step, the table selects the call, Details shows
 * it). Table filter and sort live here too, so keyboard shortcuts and panes share them.
 */
import type { NetworkFilter, StepOut } from '../../../shared/api';
import { api } from '../api';
import { createStore, useStore } from './store';

export type SelectionKind = 'call' | 'process' | 'log';
export interface Selection {
  kind: SelectionKind;
  id: number;
}
export interface Focus {
  /** The selection's moment (RFC 3339), when it has one. */
  ts: string | null;
  /** Id of the step running at that moment. */
  runningStepId: number | null;
}
export type SortKey = 'ts' | 'process' | 'domain' | 'endpoint' | 'http' | 'status' | 'finding';

export interface AppState {
  selection: Selection | null;
  focus: Focus;
  findingsOnly: boolean;
  search: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  /**
   * Bumped when every pane must load again: another case (after an import), or the same case further on (its import
   * advanced: first screen first, state/case-import.ts). Panes refetch; the selection stays unless the case changed.
   */
  caseVersion: number;
  /** Bumped only when the page shows another case: the layout is built anew (scroll positions reset). */
  caseMount: number;
  steps: StepOut[];
  /** How times are shown everywhere: UTC, local time, or relative to the job's start (Settings). */
  logTimes: 'absolute' | 'local' | 'relative';
  /** The process under the pointer in the process tree: the timeline highlights its calls. */
  hoveredProcess: number | null;
  /** A time range picked on the timeline (modifier-drag): it filters the calls and the log. */
  range: { from: string; to: string } | null;
}

export const appStore = createStore<AppState>({
  selection: null,
  focus: { ts: null, runningStepId: null },
  findingsOnly: false,
  search: '',
  sort: 'ts',
  dir: 'asc',
  caseVersion: 0,
  caseMount: 0,
  steps: [],
  logTimes: 'absolute',
  hoveredProcess: null,
  range: null,
});

export const useApp = <T>(select: (s: AppState) => T): T => useStore(appStore, select);

/** The table's filter: the filter-language expression in the search box, Findings only and the time range. */
export function networkFilter(s: Pick<AppState, 'findingsOnly' | 'search'> & { range?: AppState['range'] }): NetworkFilter {
  const f: NetworkFilter = {};
  if (s.findingsOnly) f.findingsOnly = true;
  if (s.search.trim()) f.expr = s.search.trim();
  if (s.range) {
    f.from = s.range.from;
    f.to = s.range.to;
  }
  return f;
}

// ---------- URL hash ----------
/** `#call=12&filter=domain%3Aexfil&from=…&to=…`: the selection, the table's filter and the time range. */
export function parseHash(hash: string): Selection | null {
  return parseHashState(hash).selection;
}
export function parseHashState(hash: string): { selection: Selection | null; filter: string | null; range: AppState['range'] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  let selection: Selection | null = null;
  for (const kind of ['call', 'process', 'log'] as const) {
    const v = q.get(kind);
    if (v !== null && /^\d{1,15}$/.test(v)) selection = { kind, id: Number(v) };
  }
  const from = q.get('from'), to = q.get('to');
  return { selection, filter: q.get('filter'), range: from && to ? { from, to } : null };
}
export function formatHash(s: Selection | null, filter = '', range: AppState['range'] = null): string {
  const q = new URLSearchParams();
  if (s) q.set(s.kind, String(s.id));
  if (filter.trim()) q.set('filter', filter.trim());
  if (range) {
    q.set('from', range.from);
    q.set('to', range.to);
  }
  const t = q.toString();
  return t ? `#${t}` : '';
}

function writeHash(s: Selection | null): void {
  const st = appStore.get();
  const h = formatHash(s, st.search, st.range);
  if (location.hash === h || (h === '' && location.hash === '')) return;
  history.replaceState(null, '', h === '' ? location.pathname + location.search : h);
}

// ---------- steps and time ----------
/** The step whose window holds `ts` (the latest-starting one when windows overlap). */
export function stepAt(steps: StepOut[], ts: string | null): StepOut | null {
  if (!ts) return null;
  let best: StepOut | null = null;
  for (const s of steps) {
    if (s.started_at && s.started_at <= ts && (!s.completed_at || ts <= s.completed_at)) {
      if (!best || (best.started_at ?? '') <= s.started_at) best = s;
    }
  }
  return best;
}

// ---------- actions ----------
let seq = 0;

/** Select something; its moment is looked up (asynchronously) unless the caller knows it. */
export function select(sel: Selection | null, known?: Focus): void {
  const my = ++seq;
  appStore.set({ selection: sel });
  writeHash(sel);
  if (!sel) return;
  if (known) {
    appStore.set({ focus: known });
    return;
  }
  void focusOf(sel).then(
    (f) => {
      if (my === seq) appStore.set({ focus: f });
    },
    () => {
      /* an unknown id: the Details pane says so */
    },
  );
}

async function focusOf(sel: Selection): Promise<Focus> {
  const steps = appStore.get().steps;
  if (sel.kind === 'call') {
    const e = await api['network.explain']({ id: sel.id, limit: 1 });
    return { ts: e.ts, runningStepId: e.running_step?.id ?? stepAt(steps, e.ts)?.id ?? null };
  }
  if (sel.kind === 'process') {
    const p = await api['process.get']({ id: sel.id });
    return { ts: p.start, runningStepId: stepAt(steps, p.start)?.id ?? null };
  }
  const { index } = await api['log.indexOfId']({ id: sel.id });
  if (index < 0) return { ts: null, runningStepId: null };
  const row = (await api['log.window']({ offset: index, limit: 1 })).rows[0];
  return { ts: row?.ts ?? null, runningStepId: row?.step_id ?? stepAt(steps, row?.ts ?? null)?.id ?? null };
}

export function clearSelection(): void {
  select(null);
  appStore.set({ focus: { ts: null, runningStepId: null } });
}

export function restoreFromHash(): void {
  const h = parseHashState(location.hash);
  const s = appStore.get();
  if ((h.filter ?? '') !== s.search || JSON.stringify(h.range) !== JSON.stringify(s.range)) appStore.set({ search: h.filter ?? '', range: h.range });
  if (h.selection && (h.selection.kind !== s.selection?.kind || h.selection.id !== s.selection?.id)) select(h.selection);
}

export function setFilter(patch: Partial<Pick<AppState, 'findingsOnly' | 'search' | 'sort' | 'dir' | 'range'>>): void {
  const before = appStore.get();
  appStore.set(patch);
  const after = appStore.get();
  // the URL follows a change of the filter or the range (never rewritten by a no-op, e.g. a box settling)
  if (before.search !== after.search || before.range !== after.range) writeHash(after.selection);
}
