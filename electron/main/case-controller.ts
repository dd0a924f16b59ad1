/**
 * The desktop app's side of the case owner (api/case-owner.ts, the same owner `runlens serve` uses): every
 * `runlens:call` goes to the owner (each window's calls name its case); files the user picked or dropped are staged
 * here (staged-paths.ts) so `import.start({uploads})` accepts them; imports the app starts itself (File ▸ Open,
 * the command line, the first start's sample) are tracked so their case is shown in the window that asked; every
 * job status is handed to the app to push to its windows.
 */
import path from 'node:path';
import type { Call, CaseSummary, Envelope, ImportStatus } from '../../shared/api';
import { ApiError } from '../../shared/api';
import { CaseOwner } from '../api/case-owner';
import { errorLine } from '../api/dispatch';
import type { ImportRunner } from '../api/imports';
import type { QueryEngine } from '../api/query-engine';
import { isCaseFile } from '../db/case-file';
import { StagedPaths } from './staged-paths';

export interface ControllerEvents {
  /** A job's status changed (also its final one: done, failed or cancelled). */
  jobChanged(status: ImportStatus): void;
  /** A job the app started (not a page) built case `caseId`: show it where it was asked for. */
  caseReady(caseId: string, job: string): void;
  /** A case was opened (the recent list changed). */
  opened(summary: CaseSummary): void;
}

export interface ControllerDeps {
  runner?: ImportRunner;
  /** `<userData>/recent-cases.json`. */
  recentFile: string;
  /** Where imported cases go; undefined: the import's default case location. */
  caseDir?: string;
  queries?: QueryEngine;
  /** Baseline case files picked in File → Compare with Baseline… */
  baselines?: () => readonly string[];
  events: ControllerEvents;
}

export class CaseController {
  readonly owner: CaseOwner;
  private readonly staged = new StagedPaths();
  /** Jobs the app started itself: their case is shown by the app (a page follows the jobs it started). */
  private readonly hostJobs = new Set<string>();
  private running: string | null = null;

  constructor(private readonly deps: ControllerDeps) {
    this.owner = new CaseOwner({
      runner: deps.runner,
      recentFile: deps.recentFile,
      caseDir: deps.caseDir,
      staged: this.staged,
      queries: deps.queries,
      baselines: deps.baselines,
      onJobChange: (s) => this.jobChanged(s),
    });
  }

  get importing(): boolean {
    return this.owner.busy;
  }

  private jobChanged(s: ImportStatus): void {
    this.running = s.state === 'running' ? s.job : this.running === s.job ? null : this.running;
    this.deps.events.jobChanged(s);
    if (s.state === 'running' && s.case_id && (s.case_state === 'loading' || s.case_state === 'analysing') && this.hostJobs.has(s.job)) {
      // First screen first: the case opens in its window while the import goes on (the page fills in as it lands).
      // Taken off the host jobs, so it is not shown again when done.
      this.hostJobs.delete(s.job);
      this.deps.events.caseReady(s.case_id, s.job);
    } else if (s.state === 'done' && s.case_id) {
      void this.announce(s.case_id);
      if (this.hostJobs.delete(s.job)) this.deps.events.caseReady(s.case_id, s.job);
    } else if (s.state !== 'running') this.hostJobs.delete(s.job);
  }

  private async announce(id: string): Promise<void> {
    const p = this.owner.pathOf(id);
    if (!p) return;
    try {
      this.deps.events.opened(await this.owner.open(p).summary);
    } catch {
      /* its calls will say what is wrong */
    }
  }

  /** Open a case file (read-only); a file that is not a case throws a one-line error. */
  openCase(casePath: string): { id: string; summary: Promise<CaseSummary> } {
    const abs = path.resolve(casePath);
    let r: ReturnType<CaseOwner['open']>;
    try {
      r = this.owner.open(abs);
    } catch (e) {
      throw new Error(`Cannot open ${abs}: ${errorLine(e)}`, { cause: e });
    }
    void this.announce(r.id);
    return { id: r.id, summary: r.summary };
  }

  /** Files or folders the user chose (a dialog, the command line): a lone case file is opened, else imported. */
  openPaths(paths: string[]): { caseId: string } | { job: string } {
    const one = paths.length === 1 ? paths[0]! : null;
    // A case only by its `.runlens` name, never by its bytes (an SQLite file dropped as evidence is imported, not
    // opened: see db/case-file.ts).
    if (one && isCaseFile(one)) return { caseId: this.openCase(one).id };
    return this.startImport(paths);
  }

  /** Import paths the app chose (never the page's): the case is shown through `caseReady`. */
  startImport(paths: string[]): { job: string } {
    if (paths.length === 0) throw new ApiError('nothing to import');
    const r = this.owner.startImport({ paths: paths.map((p) => path.resolve(p)), release: () => {} });
    this.hostJobs.add(r.job);
    return r;
  }

  cancelImport(): boolean {
    return this.running !== null && this.owner.cancel(this.running).cancelled;
  }

  /** The router behind `runlens:call`. */
  readonly route = (call: Call): Promise<Envelope<unknown>> => this.owner.call(call);

  /** The handler behind `runlens:stage`: paths the preload took from picked or dropped files. */
  readonly stage = (paths: string[]): Envelope<{ uploads: string[] }> => {
    try {
      return { ok: true, value: this.staged.stage(paths) };
    } catch (e) {
      return { ok: false, error: errorLine(e) };
    }
  };

  dispose(): void {
    this.owner.dispose();
  }
}
