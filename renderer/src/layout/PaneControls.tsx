/**
 * The collapse and maximise buttons at the right end of a pane's title bar. Any pane (also the Findings and Notes
 * panes) puts `<PaneControls id=… title=… />` into its bar.
 */
import { toggleCollapsed, toggleMaximised, usePanes, type PaneId } from './pane-state';

export function PaneControls({ id, title }: { id: PaneId; title: string }) {
  const collapsed = usePanes((s) => s.collapsed.includes(id) || s.auto.includes(id));
  const maximised = usePanes((s) => s.maximised === id);
  return (
    <span className="pane-controls">
      <button
        type="button"
        className="icon"
        aria-pressed={maximised}
        aria-label={maximised ? `Restore ${title}` : `Maximise ${title}`}
        title={maximised ? 'Restore the layout (m)' : 'Maximise this pane (m)'}
        onClick={() => toggleMaximised(id)}
      >
        {maximised ? '❐' : '□'}
      </button>
      <button
        type="button"
        className="icon"
        aria-expanded={!collapsed}
        aria-label={collapsed ? `Expand ${title}` : `Collapse ${title}`}
        title={collapsed ? 'Expand this pane' : 'Collapse this pane to its title'}
        onClick={() => toggleCollapsed(id)}
      >
        {collapsed ? '▸' : '▾'}
      </button>
    </span>
  );
}

/** What a collapsed pane leaves in the layout: its title, a button that opens it again. */
export function CollapsedPane({ id, title, vertical, note }: { id: PaneId; title: string; vertical?: boolean; note?: string }) {
  return (
    <section aria-label={title} className={`pane collapsed-pane${vertical ? ' vertical' : ''}`}>
      <button type="button" className="collapsed-title" aria-expanded={false} aria-label={`Expand ${title}`} onClick={() => toggleCollapsed(id)}>
        <span aria-hidden="true">▸</span> {title}
      </button>
      {note && <span className="collapsed-note">{note}</span>}
    </section>
  );
}
