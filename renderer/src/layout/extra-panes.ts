/**
 * Extra tabs of the side area, registered by other features: the Findings and Notes panes (panes/FindingsPane,
 * panes/NotesPane) and the hosts mentioned in the log (panes/mentions/MentionsPane).
 */
import { createElement } from 'react';
import { FindingsPane } from '../panes/FindingsPane';
import { NotesPane } from '../panes/NotesPane';
import { MentionsPane } from '../panes/mentions/MentionsPane';
import type { SideTab } from './SideArea';

export const extraPanes: SideTab[] = [
  { id: 'findings', label: 'Findings', render: () => createElement(FindingsPane) },
  { id: 'notes', label: 'Notes', render: () => createElement(NotesPane) },
  { id: 'mentions', label: 'Log hosts', title: 'Hosts and IPs mentioned in the log (not observed calls)', render: () => createElement(MentionsPane) },
];
