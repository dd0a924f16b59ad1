/** What the Findings and Notes panes share besides the one selection: the finding last chosen, and a reload tick. */
import { createStore, useStore } from '../state/store';

export interface AnalystState {
  /** The finding row chosen last (a note can be about it). */
  finding: { id: number; title: string } | null;
  /** Bumped after notes change, so lists reload. */
  notesVersion: number;
  /** Whether the analyst revealed secrets (the API masks them otherwise). */
  revealed: boolean;
}

export const analystStore = createStore<AnalystState>({ finding: null, notesVersion: 0, revealed: false });
export const useAnalyst = <T>(select: (s: AnalystState) => T): T => useStore(analystStore, select);
