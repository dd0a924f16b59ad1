/**
 * First screen first, in the page: how far the import of the page's case is (`case.status`), polled while it is
 * not complete. Each phase that lands (loading -> analysing -> complete) reloads the panes in place
 * (`refreshCase`: the selection, the layout and the scroll positions stay), so they fill in without a reload.
 * `document.body.dataset.importState` says the state to tests and to CSS. An answer "still importing …" from the
 * API (what the case cannot answer yet) is shown as "not ready yet", never as an error or an empty result.
 */
import { useMemo } from 'react';
import type { CaseImportState, CaseStatus, Client } from '../../../shared/api';
import { api, freshClient, readWhilePartial } from '../api';
import { refreshCase } from './case';
import { useApp } from './selection';
import { createStore, useStore } from './store';

export interface CaseImportUi {
  /** The case this is about (null: not known yet). */
  caseId: string | null;
  state: CaseImportState | null;
  lines: number;
  calls: number;
  job: CaseStatus['job'];
  message: string | null;
}

const UNKNOWN: CaseImportUi = { caseId: null, state: null, lines: 0, calls: 0, job: null, message: null };
export const caseImportStore = createStore<CaseImportUi>(UNKNOWN);
export const useCaseImport = <T>(f: (s: CaseImportUi) => T) => useStore(caseImportStore, f);

export const isPartialState = (s: CaseImportState | null): s is 'loading' | 'analysing' => s === 'loading' || s === 'analysing';

/** The prefix of the API's answer about what a case being imported cannot answer yet (api/case-owner.ts). */
export const STILL_IMPORTING = 'still importing';
export const isNotReady = (message: string | null | undefined): boolean => !!message && message.startsWith(STILL_IMPORTING);
/** "still importing (loading): findings are listed when …" -> "findings are listed when …". */
export const notReadyReason = (message: string): string => message.replace(/^still importing(?: \([a-z]+\))?:\s*/, '');

/** How often the page asks while its case is being imported (`case.status` is one rowid probe per table). */
const POLL_MS = 400;

/** Called before the page shows a case whose import is still running (state/import.ts, CaseView's case.info). */
export function noteOpenedPartial(caseId: string): void {
  readWhilePartial.add(caseId);
}

/** Follow the import state of case `caseId` until it is complete (or interrupted); returns a stop function. */
export function watchCaseImport(caseId: string): () => void {
  let live = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  caseImportStore.set({ ...UNKNOWN, caseId });
  delete document.body.dataset.importState;
  let failed = false;
  const tick = async () => {
    let st: CaseStatus;
    try {
      st = await api['case.status']({});
    } catch {
      failed = true;
      if (live) timer = setTimeout(() => void tick(), POLL_MS * 2);
      return;
    }
    if (!live) return;
    const prev = caseImportStore.get();
    // The panes loaded while the case could not be read: load them again now that it can.
    if (failed && isPartialState(st.import_state)) refreshCase();
    failed = false;
    caseImportStore.set({ caseId, state: st.import_state, lines: st.log_lines, calls: st.calls, job: st.job, message: st.message });
    document.body.dataset.importState = st.import_state;
    // The panes reload when a phase lands, not as rows arrive: before the indexes exist some of their reads scan
    // the table, and every read delays the importer's next commit (the strip counts the rows meanwhile).
    // Read at its first screen (opened from an import, a URL printed then, or an answer "still importing"): the panes
    // may hold the partial case even when the first answer here is already 'complete' (a short import can end
    // between their reads and this poll), so count that as a phase landing.
    const assumed: CaseImportState | null = readWhilePartial.has(caseId) ? 'loading' : null;
    if (!isPartialState(st.import_state)) readWhilePartial.delete(caseId);
    const before = prev.state ?? assumed;
    const advanced = before !== null && before !== st.import_state;
    if (advanced && st.import_state !== 'interrupted') refreshCase();
    if (isPartialState(st.import_state)) timer = setTimeout(() => void tick(), POLL_MS);
  };
  void tick();
  return () => {
    live = false;
    if (timer) clearTimeout(timer);
  };
}

/**
 * The client of the page's case for panes that load when their client changes (timeline, process tree): a new one
 * each time every pane loads again (`caseVersion`), so they refetch in place, keeping their zoom and expansion.
 */
export function useCaseClient(): Client {
  const version = useApp((s) => s.caseVersion);
  return useMemo(() => freshClient(version), [version]);
}
