/**
 * Which panes are collapsed or maximised, and which tab of the side area is open. Remembered in localStorage so a
 * laptop user's arrangement survives a reload. `logsOnly` is set by App for a case without calls or processes: the
 * log then gets the room (the table and the tree start collapsed).
 */
import { createStore, useStore } from '../state/store';

export type PaneId = 'timeline' | 'side' | 'calls' | 'log' | 'details';

export interface PaneState {
  collapsed: readonly PaneId[];
  maximised: PaneId | null;
  sideTab: string;
  /** Collapsed for this case only (a logs-only case: the table and the side area), never remembered. */
  auto: readonly PaneId[];
}

const KEY = 'runlens.panes';

function load(): PaneState {
  const base: PaneState = { collapsed: [], maximised: null, sideTab: 'tree', auto: [] };
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) ?? 'null') as Partial<PaneState> | null;
    if (v && Array.isArray(v.collapsed)) base.collapsed = v.collapsed.filter((x) => typeof x === 'string') as PaneId[];
    if (v && typeof v.sideTab === 'string') base.sideTab = v.sideTab;
  } catch {
    /* a private window: defaults */
  }
  return base;
}

export const paneStore = createStore<PaneState>(load());
paneStore.subscribe(() => {
  const { collapsed, sideTab } = paneStore.get();
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ collapsed, sideTab }));
  } catch {
    /* not remembered */
  }
});

export const usePanes = <T>(sel: (s: PaneState) => T): T => useStore(paneStore, sel);

export function toggleCollapsed(id: PaneId): void {
  if (paneStore.get().auto.includes(id)) {
    paneStore.set((s) => ({ auto: s.auto.filter((x) => x !== id) }));
    return;
  }
  paneStore.set((s) => ({
    collapsed: s.collapsed.includes(id) ? s.collapsed.filter((x) => x !== id) : [...s.collapsed, id],
    maximised: s.maximised === id ? null : s.maximised,
  }));
}

export function toggleMaximised(id: PaneId): void {
  paneStore.set((s) => ({
    maximised: s.maximised === id ? null : id,
    collapsed: s.collapsed.filter((x) => x !== id),
  }));
}

export function setSideTab(tab: string): void {
  paneStore.set((s) => ({ sideTab: tab, collapsed: s.collapsed.filter((x) => x !== 'side') }));
}
