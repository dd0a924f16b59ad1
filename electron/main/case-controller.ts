/**
 * The desktop app's state: which case is open (one read-only API over it) and the one import that may be running.
 * Every `runlens:call` goes through `route`: import methods are answered here (one job table whether or not a case is
 * open, local paths allowed: the user picked them), everything else by the open case's API (electron/api/dispatch).
 * Import progress is pushed to the window as the job's ImportStatus; a finished import opens its case.
 */
import path from 'node:path';
import type { Envelope, ImportStatus, ParsedParams } from '../../shared/api';
import { ApiError, parseParams } from '../../shared/api';
import type { Api } from '../api/dispatch';
import { errorLine } from '../api/dispatch';
import { ImportJobs, type ImportRunner, type JobTask } from '../api/imports';
import { prepareReoffset } from '../api/reoffset';
import { isCaseFile } from '../db/case-file';
import { CaseUpgradeNeeded } from '../db/open';
import { upgradeCaseCopy } from '../db/upgrade';
import { addRecent } from './recent-cases';

export const NO_CASE_MESSAGE = 'No case is open: use File → Open Bundle…, or drop a bundle on the window.';

export interface OpenCase {
  casePath: string;
  title: string;
}

export interface ControllerEvents {
  /**
   * The open case changed (null: closed). `pageKnows`: the page started the import that opened it, watches its
   * status and reloads its panes itself; otherwise (menu, command line, first start) the page must be told.
   */
  caseChanged(current: OpenCase | null, pageKnows: boolean): void;
  /** A running import's status (also its final one: done, failed or cancelled). */
  importProgress(status: ImportStatus): void;
}

export interface ControllerDeps {
  createApi: (casePath: string) => Api;
  runner: ImportRunner;
  /** `<userData>/recent-cases.json`. */
  recentFile: string;
  /** Where imported cases go; undefined: the import's default case location. */
  caseDir?: string;
  events: ControllerEvents;
}

export class CaseController {
  private api: Api | null = null;
  private title: string | null = null;
  private readonly jobs: ImportJobs;
  private job: string | null = null;
  /** Whether the page started the running (or last) import through `import.start`. */
  private jobByPage = false;

  constructor(private readonly deps: ControllerDeps) {
    this.jobs = new ImportJobs({
      caseDir: deps.caseDir,
      onDone: (casePath) => void this.openCase(casePath, this.jobByPage),
      runner: (req) => this.runWithProgress(req),
    });
  }

  get current(): OpenCase | null {
    return this.api && this.title !== null ? { casePath: this.api.casePath, title: this.title } : null;
  }

  get importing(): boolean {
    return this.job !== null && this.jobs.status(this.job).state === 'running';
  }

  /**
   * Open a case file in place of the open one. Opening is synchronous (a bad file throws a one-line error and the
   * open case stays open); the returned promise settles once the case's title is known and the change announced.
   */
  openCase(casePath: string, pageKnows = false): Promise<OpenCase> {
    let abs = path.resolve(casePath);
    let next: Api;
    try {
      try {
        next = this.deps.createApi(abs);
      } catch (e) {
        if (!(e instanceof CaseUpgradeNeeded)) throw e;
        // An older case is never changed in place: its upgraded copy in the case folder is opened instead.
        abs = upgradeCaseCopy(abs, this.deps.caseDir).case;
        next = this.deps.createApi(abs);
      }
    } catch (e) {
      throw new Error(`Cannot open ${abs}: ${errorLine(e)}`, { cause: e });
    }
    this.api?.close();
    this.api = next;
    this.title = path.basename(abs);
    return next.call('case.info', {}).then((env) => {
      const t = env.ok ? (env.value as { title?: unknown }).title : null;
      if (this.api === next && typeof t === 'string' && t !== '') this.title = t;
      const opened = { casePath: abs, title: this.api === next ? this.title! : path.basename(abs) };
      addRecent(this.deps.recentFile, abs, opened.title);
      if (this.api === next) this.deps.events.caseChanged(opened, pageKnows);
      return opened;
    });
  }

  closeCase(): void {
    if (!this.api) return;
    this.api.close();
    this.api = null;
    this.title = null;
    this.deps.events.caseChanged(null, false);
  }

  /**
   * Import local files/folders as one bundle (off-thread); a lone case file is opened. A case only by its `.runlens`
   * name, never by its bytes (an SQLite file dropped as evidence is imported, not opened: see db/case-file.ts).
   */
  openPaths(paths: string[]): Promise<OpenCase> | { job: string } {
    const one = paths.length === 1 ? paths[0]! : null;
    if (one && isCaseFile(one)) return this.openCase(one);
    return this.startImport(paths);
  }

  startImport(paths: string[], byPage = false): { job: string } {
    if (paths.length === 0) throw new ApiError('nothing to import');
    if (this.importing) throw new ApiError('an import is already running; cancel it or wait for it to finish');
    // Progress reported before start() returns is in the status pushed below, not pushed under the previous job.
    this.job = null;
    this.jobByPage = byPage;
    const r = this.jobs.start({ paths: paths.map((p) => path.resolve(p)), release: () => {} });
    this.job = r.job;
    this.deps.events.importProgress(this.jobs.status(r.job));
    return r;
  }

  cancelImport(): boolean {
    return this.job !== null && this.jobs.cancel(this.job).cancelled;
  }

  importStatus(job: string): ImportStatus {
    return this.jobs.status(job);
  }

  /** The router behind `runlens:call` (method names were checked against the contract by the IPC handler). */
  readonly route = async (method: string, params: unknown): Promise<Envelope<unknown>> => {
    if (method === 'import.start' || method === 'import.status' || method === 'import.cancel') {
      try {
        return { ok: true, value: this.importCall(method, params) };
      } catch (e) {
        return { ok: false, error: errorLine(e) };
      }
    }
    if (method === 'case.reoffset' && this.api) {
      // A re-offset is a job like an import (one job table, progress pushed, the new case opened when done).
      try {
        return { ok: true, value: this.startReoffset(params) };
      } catch (e) {
        return { ok: false, error: errorLine(e) };
      }
    }
    if (!this.api) return { ok: false, error: NO_CASE_MESSAGE };
    return this.api.call(method, params);
  };

  private importCall(method: 'import.start' | 'import.status' | 'import.cancel', params: unknown): unknown {
    const parsed = parseParams(method, params);
    if (parsed.method === 'import.start') {
      const p = parsed.params as ParsedParams<'import.start'>;
      if (!p.paths) throw new ApiError('import.start: the desktop app imports local paths (uploads are for `runlens serve`)');
      return this.startImport(p.paths, true);
    }
    const job = (parsed.params as ParsedParams<'import.status'>).job;
    return parsed.method === 'import.status' ? this.jobs.status(job) : this.jobs.cancel(job);
  }

  /** `case.reoffset` from the page: a copy of the open case with clock offsets applied (api/reoffset.ts). */
  private startReoffset(params: unknown): { job: string } {
    const p = parseParams('case.reoffset', params).params as ParsedParams<'case.reoffset'>;
    if (!this.api) throw new ApiError(NO_CASE_MESSAGE);
    if (this.importing) throw new ApiError('an import is already running; cancel it or wait for it to finish');
    const plan = prepareReoffset({ casePath: this.api.casePath, offsets: p.offsets, caseDir: this.deps.caseDir });
    this.job = null;
    this.jobByPage = true;
    const r = this.jobs.startTask((req) => this.runWithProgress({ ...req, inputs: [], caseDir: this.deps.caseDir }, plan.task));
    this.job = r.job;
    this.deps.events.importProgress(this.jobs.status(r.job));
    return r;
  }

  /** Runs the import (or `task`) and pushes every status change; the final status is pushed once the job has settled. */
  private async runWithProgress(req: Parameters<ImportRunner>[0], task?: JobTask): ReturnType<ImportRunner> {
    const push = () => {
      if (this.job) this.deps.events.importProgress(this.jobs.status(this.job));
    };
    try {
      const onProgress = (p: Parameters<typeof req.onProgress>[0]) => {
        req.onProgress(p);
        push();
      };
      return await (task ? task({ signal: req.signal, onProgress }) : this.deps.runner({ ...req, onProgress }));
    } finally {
      // ImportJobs records done/failed/cancelled after this promise settles: report on the next turn.
      setImmediate(push);
    }
  }

  dispose(): void {
    this.jobs.close();
    this.api?.close();
    this.api = null;
  }
}
