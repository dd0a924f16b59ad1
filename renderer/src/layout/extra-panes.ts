/**
 * Extra tabs of the side area, registered by other features (the Findings and Notes panes add themselves here:
 * `{ id: 'findings', label: 'Findings', render: () => <FindingsPane /> }` in a .tsx that re-exports this list).
 */
import type { SideTab } from './SideArea';

export const extraPanes: SideTab[] = [];
