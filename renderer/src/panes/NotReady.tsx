/**
 * First screen first: what a case being imported cannot show yet is labelled "not ready yet" (with why), never an
 * error and never an empty result that reads as "nothing found". `PaneMessage` shows an API failure: a "still
 * importing" answer (api/case-owner.ts) as not ready, anything else as the error it is. `PartialTag` marks a pane
 * whose rows are still arriving or whose analysis columns are not built yet (state/case-import.ts).
 */
import { isNotReady, isPartialState, notReadyReason, useCaseImport } from '../state/case-import';
import { useCaseId } from '../state/case';
import './not-ready.css';

export function PaneMessage({ text, className }: { text: string; className?: string }) {
  if (isNotReady(text)) {
    return (
      <p className={`not-ready ${className ?? ''}`} role="status" data-not-ready="">
        <strong>Not ready yet</strong> — {notReadyReason(text)} (the import is still running; this fills in when it is done)
      </p>
    );
  }
  return (
    <p className={`error-line ${className ?? ''}`} role="alert">
      {text}
    </p>
  );
}

/** The text of an API failure for places that show a line of text (a grid cell). */
export function paneMessageText(text: string): string {
  return isNotReady(text) ? `Not ready yet — ${notReadyReason(text)}` : text;
}

const TAGS: Record<'log' | 'calls' | 'timeline', Record<'loading' | 'analysing', { text: string; title: string }>> = {
  log: {
    loading: { text: 'loading: lines so far', title: 'The import is still reading the log: the lines so far are shown, more appear as they load. Filtering and search are ready when it is done.' },
    analysing: { text: 'search not ready yet', title: 'Every line is loaded; the search index and the steps are being built.' },
  },
  calls: {
    loading: { text: 'loading: calls so far', title: 'The import is still reading: the calls so far are shown (a bundle\'s calls are read after its log). Findings and attribution are not ready yet.' },
    analysing: { text: 'analysis not ready yet', title: 'Every call is loaded; processes, attribution, verdicts and findings are being built.' },
  },
  timeline: {
    loading: { text: 'loading: so far', title: 'The lanes show what is loaded so far; processes, findings and the rest of the calls come as the import goes on.' },
    analysing: { text: 'analysis not ready yet', title: 'Every row is loaded; processes and findings are being built.' },
  },
};

export function PartialTag({ pane }: { pane: 'log' | 'calls' | 'timeline' }) {
  const caseId = useCaseId();
  const state = useCaseImport((s) => (s.caseId === caseId ? s.state : null));
  if (!isPartialState(state)) return null;
  const t = TAGS[pane][state];
  return (
    <span className="not-ready-tag" data-not-ready={pane} title={t.title}>
      {t.text}
    </span>
  );
}
