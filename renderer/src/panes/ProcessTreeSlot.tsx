/**
 * The Process tree pane in the layout: connects the tree (panes/process-tree/) to the shared selection. A selected
 * process is revealed and selected in the tree; a selected call selects the process that made it. Selecting a node
 * is `select({ kind: 'process', id })`; hovering one lets the timeline highlight its calls.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { appStore, select, useApp } from '../state/selection';
import { useCaseClient } from '../state/case-import';
import { ProcessTreePane } from './process-tree/ProcessTreePane';
import { processMenu } from './process-menu';
import { openMenu } from './ContextMenu';

export function ProcessTreeSlot() {
  const caseClient = useCaseClient(); // a new one when the case must be read again (its import advanced)
  const selection = useApp((s) => s.selection);
  const [callProcess, setCallProcess] = useState<{ call: number; process: number | null } | null>(null);
  const callId = selection?.kind === 'call' ? selection.id : null;
  useEffect(() => {
    if (callId === null) return;
    let live = true;
    api['network.explain']({ id: callId, limit: 1 }).then(
      (e) => live && setCallProcess({ call: callId, process: e.process?.id ?? null }),
      () => live && setCallProcess({ call: callId, process: null }),
    );
    return () => {
      live = false;
    };
  }, [callId]);
  const selectedProcess =
    selection?.kind === 'process' ? selection.id : callId !== null && callProcess?.call === callId ? callProcess.process : null;
  const onSelectProcess = useCallback((id: number) => select({ kind: 'process', id }), []);
  const onHoverProcess = useCallback((id: number | null) => appStore.set({ hoveredProcess: id }), []);
  const onMenu = useCallback((e: React.MouseEvent, p: { id: number; pid: number; name: string }) => openMenu(e, processMenu(p)), []);
  return (
    <section aria-label="Process tree" className="pane tree-pane" aria-busy={callId !== null && callProcess?.call !== callId}>
      <ProcessTreePane client={caseClient} selectedProcess={selectedProcess} onSelectProcess={onSelectProcess} onHoverProcess={onHoverProcess} onMenu={onMenu} />
    </section>
  );
}
