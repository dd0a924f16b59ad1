/**
 * The Timeline pane in the layout: connects the timeline (panes/timeline/) to the shared selection and time cursor.
 * Clicking a moment moves the cursor (`focus.ts`, which the log follows); a finding marker selects its first call.
 */
import { useCallback } from 'react';
import { appStore, select, setFilter, stepAt, useApp } from '../state/selection';
import { useCaseClient } from '../state/case-import';
import { TimelinePane } from './timeline/TimelinePane';

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
      />
    </section>
  );
}
