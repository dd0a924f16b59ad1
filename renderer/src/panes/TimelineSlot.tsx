/**
 * The Timeline pane in the layout: connects the timeline (panes/timeline/) to the shared selection and time cursor.
 * Clicking a moment moves the cursor (`focus.ts`, which the log follows); a finding marker selects its first call.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NoteMark } from '../../../shared/api';
import { useAnalyst } from './analyst-state';
import { usePickedHost } from './mentions/mention-state';
import { appStore, networkFilter, select, setFilter, stepAt, useApp } from '../state/selection';
import { useCaseClient } from '../state/case-import';
import { TimelinePane } from './timeline/TimelinePane';
import { tryParseFilter } from '../../../shared/filter';

export function TimelineSlot() {
  const caseClient = useCaseClient(); // a new one when the case must be read again (its import advanced)
  const cursor = useApp((s) => s.focus.ts);
  const selection = useApp((s) => s.selection);
  const hoveredProcess = useApp((s) => s.hoveredProcess);
  const selectedCall = selection?.kind === 'call' && cursor ? { id: selection.id, ts: cursor } : null;
  const onCursor = useCallback((ts: string) => {
    const s = appStore.get();
    // a selected log line would hold the log in place: the cursor now names another moment
    if (s.selection?.kind === 'log') select(null);
    appStore.set({ focus: { ts, runningStepId: stepAt(s.steps, ts)?.id ?? null } });
  }, []);
  const onSelectCall = useCallback((id: number) => select({ kind: 'call', id }), []);
  const onSelectProcess = useCallback((id: number) => select({ kind: 'process', id }), []);
  const timeRange = useApp((s) => s.range);
  const onRange = useCallback((r: { from: string; to: string } | null) => setFilter({ range: r }), []);
  // the table's filter without its time range: where in time its hits are
  const findingsOnly = useApp((s) => s.findingsOnly);
  const search = useApp((s) => s.search);
  const hitFilter = useMemo(() => {
    const ok = !!search.trim() && !tryParseFilter(search).error; // as the table: a filter that does not parse filters nothing
    return findingsOnly || ok ? networkFilter({ findingsOnly, search: ok ? search : '' }) : null;
  }, [findingsOnly, search]);
  // the analyst's notes, with their moments; reloaded when notes change
  const notesVersion = useAnalyst((s) => s.notesVersion);
  const caseVersion = useApp((s) => s.caseVersion);
  const [notes, setNotes] = useState<NoteMark[]>([]);
  useEffect(() => {
    let live = true;
    caseClient['notes.marks']({}).then(
      (r) => live && setNotes(r.marks),
      () => live && setNotes([]),
    );
    return () => {
      live = false;
    };
  }, [notesVersion, caseVersion, caseClient]);
  const onNote = useCallback(
    (m: NoteMark) => {
      if (m.select) select(m.select);
      else if (m.target.kind === 'range' && m.target.start && m.target.end) {
        setFilter({ range: { from: m.target.start, to: m.target.end } });
        onCursor(m.target.start);
      } else if (m.ts) onCursor(m.ts);
    },
    [onCursor],
  );
  // the host picked in the Log hosts list: its mentioning lines' times (while a log line is selected)
  const pickedHost = usePickedHost();
  const host = selection?.kind === 'log' ? pickedHost : null;
  const [mentions, setMentions] = useState<{ host: string; times: string[] } | null>(null);
  useEffect(() => {
    if (host === null) return;
    let live = true;
    caseClient['mentions.lines']({ host, limit: 5000 }).then(
      (r) => live && setMentions({ host, times: r.lines.flatMap((l) => (l.ts ? [l.ts] : [])) }),
      () => live && setMentions(null),
    );
    return () => {
      live = false;
    };
  }, [host, caseVersion, caseClient]);
  return (
    <section aria-label="Timeline" className="pane timeline-pane">
      <TimelinePane
        client={caseClient}
        cursor={cursor}
        onCursor={onCursor}
        selectedCall={selectedCall}
        onSelectCall={onSelectCall}
        hoveredProcess={hoveredProcess}
        onSelectProcess={onSelectProcess}
        timeRange={timeRange}
        onRange={onRange}
        hitFilter={hitFilter}
        notes={notes}
        onNote={onNote}
        mentions={host !== null && mentions?.host === host ? mentions : null}
      />
    </section>
  );
}
