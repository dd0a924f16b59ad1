/**
 * Import jobs behind `import.start` / `import.status` / `import.cancel`: one import at a time runs off-thread (the
 * import worker), reports progress, can be cancelled, and when it succeeds the API switches to the new case.
 * Whatever the outcome, the job's sources are released (serve removes the uploaded temporary files).
 */
import { randomBytes } from 'node:crypto';
import type { ImportStatus } from '../../shared/api';
import { ApiError } from '../../shared/api';
import { runImportInWorker } from './import-runner';

export interface ImportSources {
  /** Local files or folders that together form the bundle (one folder, one archive, or loose bundle files). */
  paths: string[];
  /** Called once when the import has ended (done, failed or cancelled). */
  release: () => void;
}

export interface ImportProgress {
  phase?: string | null;
  fraction?: number | null;
  message?: string | null;
}

export interface ImportRequest {
  inputs: string[];
  caseDir?: string;
  signal: AbortSignal;
  onProgress: (p: ImportProgress) => void;
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

  constructor(private readonly opts: { caseDir?: string; onDone: (casePath: string) => void; runner?: ImportRunner }) {
    this.runner = opts.runner ?? runImportInWorker;
  }

  start(sources: ImportSources): { job: string } {
    return this.startTask(
      (req) => this.runner({ inputs: sources.paths, caseDir: this.opts.caseDir, ...req }),
      () => sources.release(),
    );
  }

  /**
   * Any job that builds a case and switches to it (an import, or a re-offset of the open case: api/reoffset.ts),
   * with the same one-at-a-time rule, status, cancel and switch. `release` is called once when it has ended.
   */
  startTask(task: JobTask, releaseSources: () => void = () => {}): { job: string } {
    if ([...this.jobs.values()].some((j) => j.status.state === 'running')) {
      releaseSources();
      throw new ApiError('an import is already running; cancel it or wait for it to finish');
    }
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    const status: ImportStatus = {
      job: id,
      state: 'running',
      phase: 'starting',
      fraction: null,
      message: null,
      case_file: null,
      warnings: 0,
      error: null,
    };
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
          },
        });
        if (abort.signal.aborted) {
          status.state = 'cancelled';
          return;
        }
        this.opts.onDone(r.casePath);
        Object.assign(status, {
          state: 'done',
          phase: 'done',
          fraction: 1,
          case_file: r.casePath,
          warnings: r.warnings,
        });
      } catch (e) {
        if (abort.signal.aborted) Object.assign(status, { state: 'cancelled', phase: 'cancelled' });
        else Object.assign(status, { state: 'failed', phase: 'failed', error: oneLine(e) });
      } finally {
        release();
      }
    })();
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
