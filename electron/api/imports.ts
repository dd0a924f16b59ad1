/**
 * Import jobs behind `import.start` / `import.status` / `import.cancel` (and `case.reoffset`): one job at a time
 * runs off-thread (the import worker), reports progress (every change to `onChange`: the desktop pushes it), can be
 * cancelled, and when it succeeds `onDone` opens the new case (the case owner) and the status names it. Whatever
 * the outcome of a job that ran, its sources are released (serve removes the uploaded temporary files); a job
 * refused because another runs leaves them alone, so the user's upload can still be imported.
 */
import { randomBytes } from 'node:crypto';
import type { ImportStatus } from '../../shared/api';
import type { EarlyWorker } from '../import/worker-client';
import { ApiError } from '../../shared/api';
import { runImportInWorker } from './import-runner';

export interface ImportSources {
  /** Local files or folders that together form the bundle (one folder, one archive, or loose bundle files). */
  paths: string[];
  /** Called once when the import has ended (done, failed or cancelled). */
  release: () => void;
  /** Settles when the case's first screen is drawn (ImportRequest.firstScreenShown). */
  firstScreenShown?: Promise<void>;
  /** An import worker already started for this import (ImportRequest.worker). */
  worker?: EarlyWorker;
}

export interface ImportProgress {
  phase?: string | null;
  fraction?: number | null;
  message?: string | null;
  /** First screen first: the case being built is readable (import/partial-case.ts). */
  partial?: PartialCase;
  /** The case the job builds has its name (its id from now on), before it is readable: calls about it wait for it. */
  named?: string;
  /** The case being built is readable before it is named (its inputs not hashed yet): the partial file and how far. */
  readable?: { path: string; state: 'loading' | 'analysing' };
}

/** A case an import is building, readable before it is complete. */
export interface PartialCase {
  /** The partial file (read it read-only; renamed to `casePath` when complete, removed when interrupted). */
  path: string;
  /** Where the complete case will be: its id names the case from the first screen on. */
  casePath: string;
  state: 'loading' | 'analysing';
}

export interface ImportRequest {
  inputs: string[];
  caseDir?: string;
  signal: AbortSignal;
  onProgress: (p: ImportProgress) => void;
  /**
   * Settles when the page has drawn the case's first screen (serve's own target, shown under an alias before it is
   * named: case-owner.ts startImportAs). Until then the import is held after its first commit (at most
   * HOLD_AFTER_FIRST_SCREEN_MS) and its inputs are not hashed (which names the case; at the latest
   * NAME_AT_LATEST_MS after the start, or when the load needs the name). Absent: no hold, hashed at once.
   */
  firstScreenShown?: Promise<void>;
  /** The import worker, started before the request (serve starts it before its own start-up: the worker's start
   *  is on the first screen's path); the runner takes it over, or discards it when it does not need it. */
  worker?: EarlyWorker;
}
export type ImportRunner = (req: ImportRequest) => Promise<{ casePath: string; warnings: number }>;
/** A job's work: build a case (reporting progress, stopping when the signal aborts) and say where it is. */
export type JobTask = (req: Pick<ImportRequest, 'signal' | 'onProgress'>) => Promise<{ casePath: string; warnings: number }>;

interface Job {
  status: ImportStatus;
  abort: AbortController;
}

const MAX_KEPT = 20;

function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split(/\r?\n/).find((l) => l.trim()) ?? 'import failed').slice(0, 500);
}

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly runner: ImportRunner;

  constructor(
    private readonly opts: {
      caseDir?: string;
      /** Opens the new case; returns its id (named in the job's status). */
      onDone: (casePath: string) => unknown;
      /** Every status change of every job, the final one included. */
      onChange?: (status: ImportStatus) => void;
      /** The case a job builds has its name, before it is readable: its id (calls about it wait: case-owner.ts). */
      onNamed?: (casePath: string, job: string) => string | null;
      /** The case a job builds became readable, or advanced (loading -> analysing): opens it; returns its id. */
      onPartial?: (p: PartialCase, job: string) => string | null;
      /** The case a job builds is readable before it is named (ImportProgress.readable), or advanced. */
      onReadable?: (r: NonNullable<ImportProgress['readable']>, job: string) => void;
      /** A job whose partial case was readable ended without completing it (cancelled or failed). */
      onInterrupted?: (p: PartialCase, why: 'cancelled' | 'failed', error: string | null) => void;
      runner?: ImportRunner;
    },
  ) {
    this.runner = opts.runner ?? runImportInWorker;
  }

  /** Whether a job is running (a new one would be refused). */
  get busy(): boolean {
    return [...this.jobs.values()].some((j) => j.status.state === 'running');
  }

  private refuseIfBusy(): void {
    if (this.busy) throw new ApiError('an import is already running; cancel it or wait for it to finish');
  }

  start(sources: ImportSources): { job: string } {
    return this.startTask(
      (req) =>
        this.runner({
          inputs: sources.paths,
          caseDir: this.opts.caseDir,
          ...(sources.firstScreenShown ? { firstScreenShown: sources.firstScreenShown } : {}),
          ...(sources.worker ? { worker: sources.worker } : {}),
          ...req,
        }),
      () => sources.release(),
    );
  }

  /**
   * Any job that builds a case and switches to it (an import, or a re-offset of the open case: api/reoffset.ts),
   * with the same one-at-a-time rule, status, cancel and switch. `release` is called once when it has ended.
   */
  startTask(task: JobTask, releaseSources: () => void = () => {}): { job: string } {
    this.refuseIfBusy();
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    const status: ImportStatus = {
      job: id,
      state: 'running',
      phase: 'starting',
      fraction: null,
      message: null,
      case_file: null,
      case_id: null,
      case_state: null,
      warnings: 0,
      error: null,
    };
    let partial: PartialCase | null = null;
    /** The partial file readable before the case was named. */
    let readable: ImportProgress['readable'] | null = null;
    /** The case's path once named (before it is readable). */
    let named: string | null = null;
    this.jobs.set(id, { status, abort });
    this.prune();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      try {
        releaseSources();
      } catch {
        /* removing temporary files is best effort */
      }
    };
    const changed = () => this.opts.onChange?.({ ...status });
    // The case the page may already show was never completed: say so wherever it is listed or open.
    const interrupted = (why: 'cancelled' | 'failed', error: string | null) => {
      const p = partial ?? (named ? { path: '', casePath: named, state: 'loading' as const } : null);
      if (!p) return;
      status.case_state = 'interrupted';
      try {
        this.opts.onInterrupted?.(p, why, error);
      } catch {
        /* best effort: the case file was never written */
      }
    };
    void (async () => {
      try {
        const r = await task({
          signal: abort.signal,
          onProgress: (p) => {
            if (status.state !== 'running') return;
            if (p.phase !== undefined) status.phase = p.phase;
            if (p.fraction !== undefined)
              status.fraction = p.fraction === null ? null : Math.max(0, Math.min(1, p.fraction));
            if (p.message !== undefined) status.message = p.message;
            if (p.named && !named && !partial) {
              named = p.named;
              try {
                const caseId = this.opts.onNamed?.(p.named, id) ?? null;
                if (caseId) Object.assign(status, { case_id: caseId, case_state: 'loading' });
              } catch {
                /* the page sees the case when it is readable */
              }
            }
            if (p.readable && !named && !partial && (readable?.path !== p.readable.path || readable.state !== p.readable.state)) {
              readable = p.readable;
              try {
                this.opts.onReadable?.(p.readable, id);
              } catch {
                /* shown once named */
              }
            }
            if (p.partial && (partial?.path !== p.partial.path || partial.state !== p.partial.state)) {
              partial = p.partial;
              try {
                const caseId = this.opts.onPartial?.(p.partial, id) ?? null;
                if (caseId) Object.assign(status, { case_id: caseId, case_state: p.partial.state });
              } catch {
                /* a partial case that cannot be opened yet: the page sees it when the import is done */
              }
            }
            changed();
          },
        });
        if (abort.signal.aborted) {
          Object.assign(status, { state: 'cancelled', phase: 'cancelled' });
          interrupted('cancelled', null);
          return;
        }
        const caseId = this.opts.onDone(r.casePath);
        Object.assign(status, {
          state: 'done',
          phase: 'done',
          fraction: 1,
          case_file: r.casePath,
          case_id: typeof caseId === 'string' ? caseId : null,
          case_state: 'complete',
          warnings: r.warnings,
        });
      } catch (e) {
        if (abort.signal.aborted) Object.assign(status, { state: 'cancelled', phase: 'cancelled' });
        else Object.assign(status, { state: 'failed', phase: 'failed', error: oneLine(e) });
        interrupted(abort.signal.aborted ? 'cancelled' : 'failed', status.error);
      } finally {
        release();
        changed();
      }
    })();
    changed();
    return { job: id };
  }

  status(id: string): ImportStatus {
    const j = this.jobs.get(id);
    if (!j) throw new ApiError(`no import job ${id}`);
    return { ...j.status };
  }

  cancel(id: string): { cancelled: boolean } {
    const j = this.jobs.get(id);
    if (!j) throw new ApiError(`no import job ${id}`);
    if (j.status.state !== 'running') return { cancelled: false };
    j.abort.abort();
    return { cancelled: true };
  }

  close(): void {
    for (const j of this.jobs.values()) if (j.status.state === 'running') j.abort.abort();
  }

  private prune(): void {
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT) break;
      if (j.status.state !== 'running') this.jobs.delete(id);
    }
  }
}
