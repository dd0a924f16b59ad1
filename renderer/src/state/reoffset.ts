/**
 * Applying clock offsets from the Inputs panel: `case.reoffset` starts a job on the server (a new case is built from
 * a copy of the open one; the open case is never modified), which the import progress bar follows like an import
 * (state/import.ts): progress, Cancel, and every pane reloading on the new case when it is done.
 */
import { api } from '../api';
import { followImportJob, IDLE, importStore } from './import';

export interface OffsetRequest {
  source_id: number;
  seconds: number;
}

/** Seconds typed by the user: `2.5`, `-3600`, `+0.25`, `.5`; null when it is not such a number. */
export function parseOffsetSeconds(text: string): number | null {
  const t = text
    .trim()
    .replace(/\s+/g, '')
    .replace(/^\u2212/, '-');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) && Math.abs(v) <= 604800 ? v : null;
}

/** How an offset in force reads: `+2.5 s`, `−3600 s`, `0`. */
export function offsetLabel(seconds: number): string {
  if (seconds === 0) return '0';
  const abs = Math.abs(seconds);
  return `${seconds > 0 ? '+' : '\u2212'}${Number(abs.toFixed(9))} s`;
}

export async function applyOffsets(offsets: OffsetRequest[]): Promise<void> {
  if (offsets.length === 0) return;
  const cur = importStore.get().state;
  if (cur === 'uploading' || cur === 'importing') return;
  const n = offsets.length;
  importStore.set({
    ...IDLE,
    kind: 'reoffset',
    state: 'importing',
    phase: 'starting',
    files: [`${n} source${n === 1 ? '' : 's'}`],
  });
  try {
    const { job } = await api['case.reoffset']({ offsets });
    await followImportJob(job);
  } catch (e) {
    importStore.set({ state: 'failed', error: (e as Error).message });
  }
}
