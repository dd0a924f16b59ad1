/**
 * Opening a bundle from the page: stage the files through the transport (HTTP upload, or local paths in Electron),
 * `import.start`, poll `import.status` for progress, Cancel at any point. When the import is done the API has
 * switched to the new case: bump `caseVersion` so every pane reloads.
 */
import type { ImportStatus } from '../../../shared/api';
import { api, transport } from '../api';
import { createStore, useStore } from './store';
import { appStore, clearSelection } from './selection';

export interface ImportUi {
  /** What the job does: import a bundle, or apply clock offsets to the open case (state/reoffset.ts). */
  kind: 'import' | 'reoffset';
  state: 'idle' | 'uploading' | 'importing' | 'done' | 'failed' | 'cancelled';
  fraction: number | null;
  phase: string;
  files: string[];
  error: string | null;
  job: string | null;
  caseFile: string | null;
  warnings: number;
}

export const IDLE: ImportUi = {
  kind: 'import',
  state: 'idle',
  fraction: null,
  phase: '',
  files: [],
  error: null,
  job: null,
  caseFile: null,
  warnings: 0,
};
export const importStore = createStore<ImportUi>(IDLE);
export const useImport = <T>(f: (s: ImportUi) => T) => useStore(importStore, f);

let abort: AbortController | null = null;
const POLL_MS = 200;

export async function startImport(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const cur = importStore.get().state;
  if (cur === 'uploading' || cur === 'importing') return;
  abort = new AbortController();
  const signal = abort.signal;
  importStore.set({ ...IDLE, state: 'uploading', phase: transport.kind === 'http' ? 'uploading' : 'starting', fraction: 0, files: files.map((f) => f.name) });
  try {
    const params = await transport.stageFiles(files, (fraction) => importStore.set({ fraction }), signal);
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const { job } = await api['import.start'](params);
    await followImportJob(job);
  } catch (e) {
    if ((e as Error).name === 'AbortError' || signal.aborted) importStore.set({ state: 'cancelled', phase: 'cancelled' });
    else importStore.set({ state: 'failed', error: (e as Error).message });
  } finally {
    abort = null;
  }
}

/**
 * Poll a running job (`import.status`) into the store until it ends; when done, the API serves the new case: clear
 * the selection and bump `caseVersion` so every pane reloads. Also used by the clock-offset job (state/reoffset.ts).
 */
export async function followImportJob(job: string): Promise<void> {
  importStore.set({
    state: 'importing',
    job,
    phase: importStore.get().kind === 'reoffset' ? 'starting' : 'importing',
    fraction: null,
  });
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const s: ImportStatus = await api['import.status']({ job });
    importStore.set({ phase: s.message ? `${s.phase ?? ''}: ${s.message}` : (s.phase ?? ''), fraction: s.fraction });
    if (s.state === 'running') continue;
    if (s.state === 'done') {
      importStore.set({ state: 'done', fraction: 1, phase: 'done', caseFile: s.case_file, warnings: s.warnings });
      clearSelection();
      appStore.set((a) => ({ caseVersion: a.caseVersion + 1 }));
    } else if (s.state === 'cancelled') importStore.set({ state: 'cancelled', phase: 'cancelled' });
    else importStore.set({ state: 'failed', error: s.error ?? 'the import failed' });
    return;
  }
}

export async function cancelImport(): Promise<void> {
  const s = importStore.get();
  abort?.abort();
  if (s.state === 'importing' && s.job) {
    try {
      await api['import.cancel']({ job: s.job });
    } catch {
      /* already over */
    }
  }
}

export const dismissImport = () => importStore.set(IDLE);
