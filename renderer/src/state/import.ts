/**
 * Opening a bundle from the page: stage the files through the transport (HTTP upload, or picked/dropped files in
 * Electron), `import.start`, follow the job (pushed where the transport can, else polled `import.status`), Cancel
 * at any point. When the job is done this page opens the new case (its URL names it); no other page changes.
 */
import type { ImportStatus } from '../../../shared/api';
import { appApi, transport } from '../api';
import { caseStore, showCase } from './case';
import { noteOpenedPartial } from './case-import';
import { createStore, useStore } from './store';

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
const POLL_MS = 100;

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
    const { job } = await appApi['import.start'](params);
    await followImportJob(job);
  } catch (e) {
    if ((e as Error).name === 'AbortError' || signal.aborted) importStore.set({ state: 'cancelled', phase: 'cancelled' });
    else importStore.set({ state: 'failed', error: (e as Error).message });
  } finally {
    abort = null;
  }
}

/** The job's statuses until it ends: pushed by the host where the transport can, else polled. */
async function* jobStatuses(job: string): AsyncGenerator<ImportStatus> {
  if (transport.onJobProgress) {
    const queue: ImportStatus[] = [];
    let wake: (() => void) | null = null;
    const off = transport.onJobProgress((s) => {
      if (s.job !== job) return;
      queue.push(s);
      wake?.();
    });
    try {
      // The job may have moved on before we listened: start from its status now.
      queue.push(await appApi['import.status']({ job }));
      for (;;) {
        while (queue.length) {
          const s = queue.shift()!;
          yield s;
          if (s.state !== 'running') return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      off();
    }
  }
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const s = await appApi['import.status']({ job });
    yield s;
    if (s.state !== 'running') return;
  }
}

/**
 * Follow a running job into the store until it ends; when done, this page opens the new case (every pane reloads).
 * Also used by the clock-offset job (state/reoffset.ts).
 */
export async function followImportJob(job: string): Promise<void> {
  importStore.set({
    state: 'importing',
    job,
    phase: importStore.get().kind === 'reoffset' ? 'starting' : 'importing',
    fraction: null,
  });
  let shownPartial = false;
  for await (const s of jobStatuses(job)) {
    importStore.set({ phase: s.message ? `${s.phase ?? ''}: ${s.message}` : (s.phase ?? ''), fraction: s.fraction });
    if (s.state === 'running') {
      // First screen first: the case is readable before it is complete; this page opens it now (once: a user who
      // went elsewhere meanwhile is not pulled back), and it fills in as the import goes on (state/case-import.ts).
      if (s.case_id && (s.case_state === 'loading' || s.case_state === 'analysing') && !shownPartial) {
        shownPartial = true;
        if (caseStore.get().caseId !== s.case_id) {
          noteOpenedPartial(s.case_id);
          showCase(s.case_id);
        }
      }
      continue;
    }
    if (s.state === 'done') {
      importStore.set({ state: 'done', fraction: 1, phase: 'done', caseFile: s.case_file, warnings: s.warnings });
      // Already showing it (from its first screen): it completes in place (case-import.ts reloads the panes).
      if (s.case_id && (!shownPartial || caseStore.get().caseId !== s.case_id)) showCase(s.case_id);
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
      await appApi['import.cancel']({ job: s.job });
    } catch {
      /* already over */
    }
  }
}

export const dismissImport = () => importStore.set(IDLE);
