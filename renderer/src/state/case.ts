/**
 * Which case this page shows: the one its URL names (`?case=<id>`; none: the start page). A page changes its case
 * only when the user opens one here (the start page, or an import or re-offset started here finishing): the URL
 * changes with it (a new history entry, so Back returns), every pane reloads, and no other tab or window is told.
 */
import { bindCase, caseFromSearch, currentCaseId } from '../api';
import { appStore, clearSelection } from './selection';
import { createStore, useStore } from './store';

export const caseStore = createStore<{ caseId: string | null }>({ caseId: currentCaseId() });
export const useCaseId = () => useStore(caseStore, (s) => s.caseId);

function switchTo(id: string | null): void {
  bindCase(id);
  clearSelection();
  caseStore.set({ caseId: id });
  appStore.set((a) => ({ caseVersion: a.caseVersion + 1, caseMount: a.caseMount + 1 }));
}

/** The page's case again, further on (its import advanced): every pane loads again, the selection and layout stay. */
export function refreshCase(): void {
  appStore.set((a) => ({ caseVersion: a.caseVersion + 1 }));
}

/** Show case `id` in this page (null: the start page); the same case again reloads every pane. */
export function showCase(id: string | null): void {
  if (id === caseStore.get().caseId) {
    clearSelection();
    appStore.set((a) => ({ caseVersion: a.caseVersion + 1, caseMount: a.caseMount + 1 }));
    return;
  }
  history.pushState(null, '', id ? `${location.pathname}?case=${id}` : location.pathname);
  switchTo(id);
}

// Back and Forward move between the cases this page showed.
window.addEventListener('popstate', () => {
  const id = caseFromSearch(location.search);
  if (id !== caseStore.get().caseId) switchTo(id);
});
