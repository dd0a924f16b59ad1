/**
 * The side area on the left: one tabbed pane holding the process views and the rest of the evidence (DNS, file
 * events, SQL) and any extra pane registered in `extra-panes.ts` (Findings, Notes). Only the open tab is mounted,
 * except the process tree, which stays mounted (hidden) so its expansion and framing survive a tab switch.
 */
import type { ReactNode } from 'react';
import { PaneControls } from './PaneControls';
import { setSideTab, usePanes } from './pane-state';
import { extraPanes } from './extra-panes';

export interface SideTab {
  id: string;
  label: string;
  /** Tooltip of the tab (what the pane holds). */
  title?: string;
  render(): ReactNode;
  /** Kept mounted while hidden. */
  keep?: boolean;
}

export function SideArea({ tabs }: { tabs: readonly SideTab[] }) {
  const all = [...tabs, ...extraPanes];
  const open = usePanes((s) => s.sideTab);
  const current = all.find((t) => t.id === open) ?? all[0]!;
  const onKey = (e: React.KeyboardEvent) => {
    const i = all.indexOf(current);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = all[(next + all.length) % all.length]!;
    setSideTab(t.id);
    requestAnimationFrame(() => document.getElementById(`side-tab-${t.id}`)?.focus());
  };
  return (
    <div className="pane side-pane">
      <div className="pane-bar side-bar">
        <div role="tablist" aria-label="Side panes" className="side-tabs" onKeyDown={onKey}>
          {all.map((t) => (
            <button
              key={t.id}
              id={`side-tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={t === current}
              aria-controls={`side-panel-${t.id}`}
              tabIndex={t === current ? 0 : -1}
              title={t.title}
              onClick={() => setSideTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <PaneControls id="side" title="side panes" />
      </div>
      {all.map((t) =>
        t === current || t.keep ? (
          <div
            key={t.id}
            id={`side-panel-${t.id}`}
            role="tabpanel"
            aria-labelledby={`side-tab-${t.id}`}
            className="side-panel"
            hidden={t !== current}
          >
            {t.render()}
          </div>
        ) : null,
      )}
    </div>
  );
}
