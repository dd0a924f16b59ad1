/**
 * The timeline's place while it is not drawn yet (its chunk loading after the first screen, or its first answer on
 * its way): the bar, the lanes' height and the overview's, so the panes below do not move when the chart arrives.
 * Light on purpose (no d3): the page's entry bundle holds it (layout/later.tsx).
 */
import { LANES_HEIGHT } from './lanes';

export function TimelineLoading({ why }: { why: string }) {
  return (
    <div className="tl-root tl-loading" aria-busy="true">
      <div className="pane-bar tl-bar">
        <h2>Timeline</h2>
      </div>
      <div className="tl-chart" style={{ height: LANES_HEIGHT }}>
        <p className="pane-later-note" role="status">
          {why}
        </p>
      </div>
      <div className="tl-overview" aria-hidden="true" />
    </div>
  );
}
