/**
 * Extra tabs of the side area, registered by other features: the Findings and Notes panes (panes/FindingsPane,
 * panes/NotesPane).
 */
import { createElement } from 'react';
import { FindingsPane } from '../panes/FindingsPane';
import { NotesPane } from '../panes/NotesPane';
import type { SideTab } from './SideArea';

export const extraPanes: SideTab[] = [
  { id: 'findings', label: 'Findings', render: () => createElement(FindingsPane) },
  { id: 'notes', label: 'Notes', render: () => createElement(NotesPane) },
];
