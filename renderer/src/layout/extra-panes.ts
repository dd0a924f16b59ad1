/**
 * Extra tabs of the side area, registered by other features: the Findings and Notes panes (panes/FindingsPane,
 * panes/NotesPane) and the hosts mentioned in the log (panes/mentions/MentionsPane). Each loads after the first
 * screen (layout/later.tsx).
 */
import { createElement } from 'react';
import { later } from './later';
import type { SideTab } from './SideArea';

const FindingsPane = later(() => import('../panes/FindingsPane').then((m) => m.FindingsPane), { title: 'Findings', bar: false });
const NotesPane = later(() => import('../panes/NotesPane').then((m) => m.NotesPane), { title: 'Notes', bar: false });
const MentionsPane = later(() => import('../panes/mentions/MentionsPane').then((m) => m.MentionsPane), { title: 'Log hosts', bar: false });

export const extraPanes: SideTab[] = [
  { id: 'findings', label: 'Findings', render: () => createElement(FindingsPane) },
  { id: 'notes', label: 'Notes', render: () => createElement(NotesPane) },
  { id: 'mentions', label: 'Log hosts', title: 'Hosts and IPs mentioned in the log (not observed calls)', render: () => createElement(MentionsPane) },
];
