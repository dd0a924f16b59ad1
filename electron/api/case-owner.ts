/**
 * The one owner of cases and jobs, used by `runlens serve` and by the desktop main process alike. It
 *   - holds several open cases at once, each known by an id (api/case-id.ts) that every call names;
 *   - answers every call of the contract (`{ case, method, params }`): case methods from the case the call names
 *     (queries through the query engine, off the thread that answers requests), case-less methods itself;
 *   - runs import and re-offset jobs (api/imports.ts: one at a time, off-thread, progress, cancel) and opens the
 *     case a job built — without switching any page to it: the page that asked follows the job and opens it;
 *   - keeps the recent cases (api/recent-cases.ts) for the start page.
 * Hosts add only what is theirs: serve the HTTP routes and uploads, the desktop windows, menus and file dialogs.
 */
import path from 'node:path';
import type { CaseInfo, CaseSummary, Envelope, ImportStatus } from '../../shared/api';
import { ApiError, isCaseMethod, parseAppParams, parseCall, parseParams } from '../../shared/api';
import { caseIdOf } from './case-id';
import { CaseUpgradeNeeded } from '../db/open';
import { upgradeCaseCopy } from '../db/upgrade';
import { failure, type QueryContext } from './dispatch';
import { ImportJobs, type ImportRunner, type ImportSources } from './imports';
import { inThreadQueries, type QueryEngine } from './query-engine';
import { addRecent, readRecent, type CaseAbout } from './recent-cases';
import { prepareReoffset } from './reoffset';

/** Where staged files (serve's uploads, the desktop's picked or dropped files) become an import's inputs. */
export interface StagedFiles {
  /** The inputs of one import; throws ApiError for an unknown id. */
  resolve(ids: string[]): ImportSources;
}

export interface OwnerOptions {
  /** Where imported and re-offset cases go (default: the per-user cases folder). */
  caseDir?: string;
  /** The recent cases list (JSON); none: only the cases opened in this process are listed. */
  recentFile?: string;
  /** How imports run (default: the import worker). */
  runner?: ImportRunner;
  /** Resolves `import.start({uploads})`; none: imports from the page are refused. */
  staged?: StagedFiles;
  /** Every job status change (the desktop pushes them to its windows). */
  onJobChange?: (status: ImportStatus) => void;
  /** Where case queries run (default: in this thread; hosts pass the query worker: api/query-worker-pool.ts). */
  queries?: QueryEngine;
  /** Baseline case files the host was given (serve --baseline, the desktop dialog): `compare.run`, findings. */
  baselines?: () => readonly string[];
}

interface OpenEntry {
  id: string;
  path: string;
  summary: Promise<CaseSummary>;
  openedAt: string;
}

function aboutOf(info: CaseInfo): CaseAbout {
  const run = info.run ?? {};
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
  return {
    repo: s(run.repository),
    job: s(run.job) ?? info.jobs[0] ?? null,
    run_id: s(run.run_id),
    run_time: s(run.started_at) ?? info.time_range?.start ?? null,
    inputs: info.inputs.map((i) => ({ path: i.path, sha256: i.sha256 })),
  };
}

export class CaseOwner {
  private readonly cases = new Map<string, OpenEntry>();
  /** Cases whose secrets the analyst revealed (`secrets.reveal`): passed with every query about them. */
  private readonly revealed = new Set<string>();
  private readonly jobs: ImportJobs;
  private readonly queries: QueryEngine;
  private disposed = false;

  constructor(private readonly opts: OwnerOptions = {}) {
    this.queries = opts.queries ?? inThreadQueries();
    this.jobs = new ImportJobs({
      caseDir: opts.caseDir,
      runner: opts.runner,
      onDone: (casePath) => this.open(casePath).id,
      onChange: opts.onJobChange,
    });
  }

  isCaseMethod(method: string): boolean {
    return isCaseMethod(method);
  }

  /** Whether a job is running. */
  get busy(): boolean {
    return this.jobs.busy;
  }

  /**
   * Open a case file (read-only; a file that is not a case throws a one-line error) or find it open. The id is
   * known at once; `summary` settles once the case has been read.
   */
  open(casePath: string): { id: string; case_file: string; summary: Promise<CaseSummary> } {
    if (this.disposed) throw new ApiError('the server is closing');
    let abs = path.resolve(casePath);
    const known = this.cases.get(caseIdOf(abs));
    if (known) return { id: known.id, case_file: abs, summary: known.summary };
    try {
      this.queries.open(abs);
    } catch (e) {
      if (!(e instanceof CaseUpgradeNeeded)) throw e;
      // An older case is never changed in place: its upgraded copy in the cases folder is opened instead.
      abs = upgradeCaseCopy(abs, this.opts.caseDir).case;
      const upgraded = this.cases.get(caseIdOf(abs));
      if (upgraded) return { id: upgraded.id, case_file: abs, summary: upgraded.summary };
      this.queries.open(abs);
    }
    const id = caseIdOf(abs);
    const openedAt = new Date();
    const summary = (this.queries.run(abs, 'case.info', {}, this.context(abs)) as Promise<CaseInfo>).then((info) => {
      const about = aboutOf(info);
      if (this.opts.recentFile) addRecent(this.opts.recentFile, abs, info.title, openedAt, about);
      return { id, title: info.title, case_file: abs, ...about, open: true, opened_at: openedAt.toISOString() };
    });
    // A case whose summary cannot be read is still open; its calls will say what is wrong.
    summary.catch(() => {});
    this.cases.set(id, { id, path: abs, summary, openedAt: openedAt.toISOString() });
    return { id, case_file: abs, summary };
  }

  private context(casePath: string): QueryContext {
    return { revealed: this.revealed.has(casePath), baselines: this.opts.baselines?.() ?? [] };
  }

  /** Close one case (its queries end; a running job is not affected). */
  close(id: string): void {
    const c = this.cases.get(id);
    if (!c) return;
    this.cases.delete(id);
    this.queries.close(c.path);
  }

  /** The path of an open case, or undefined. */
  pathOf(id: string): string | undefined {
    return this.cases.get(id)?.path;
  }

  /** Open cases and recent ones (whose file is still there), newest first, each once. */
  async list(): Promise<CaseSummary[]> {
    const open = await Promise.all(
      [...this.cases.values()].map((c) =>
        c.summary.catch(
          (e: unknown): CaseSummary => ({
            id: c.id,
            title: `${path.basename(c.path)} (unreadable: ${e instanceof Error ? e.message : String(e)})`,
            case_file: c.path,
            repo: null,
            job: null,
            run_id: null,
            run_time: null,
            inputs: [],
            open: true,
            opened_at: c.openedAt,
          }),
        ),
      ),
    );
    const out = [...open];
    if (this.opts.recentFile) {
      for (const r of readRecent(this.opts.recentFile)) {
        const id = caseIdOf(r.path);
        if (this.cases.has(id)) continue;
        out.push({
          id,
          title: r.title,
          case_file: r.path,
          repo: r.about?.repo ?? null,
          job: r.about?.job ?? null,
          run_id: r.about?.run_id ?? null,
          run_time: r.about?.run_time ?? null,
          inputs: r.about?.inputs ?? [],
          open: false,
          opened_at: r.opened_at,
        });
      }
    }
    return out.sort((a, b) => (a.opened_at < b.opened_at ? 1 : a.opened_at > b.opened_at ? -1 : 0));
  }

  /** An open case by id; a recent case (by id, never by a path from the caller) is opened again. */
  private ensureOpen(id: string): OpenEntry {
    const c = this.cases.get(id);
    if (c) return c;
    const recent = this.opts.recentFile ? readRecent(this.opts.recentFile).find((r) => caseIdOf(r.path) === id) : undefined;
    if (!recent) throw new ApiError(`no such case: ${id} (it is not open here; pick one on the start page)`);
    this.open(recent.path);
    return this.cases.get(id)!;
  }

  /** Import local files or folders as one bundle (the host's own choice: a dialog, the command line). */
  startImport(sources: ImportSources): { job: string } {
    if (sources.paths.length === 0) throw new ApiError('nothing to import');
    return this.jobs.start(sources);
  }

  status(job: string): ImportStatus {
    return this.jobs.status(job);
  }

  cancel(job: string): { cancelled: boolean } {
    return this.jobs.cancel(job);
  }

  /** Answer one call of the contract. Never throws: failures are `{ ok: false, error }` with one readable line. */
  async call(call: unknown): Promise<Envelope<unknown>> {
    const method = call && typeof call === 'object' ? String((call as { method?: unknown }).method) : '?';
    try {
      return { ok: true, value: await this.answer(call) };
    } catch (e) {
      return failure(method, e);
    }
  }

  private async answer(call: unknown): Promise<unknown> {
    if (this.disposed) throw new ApiError('the server is closing');
    const c = parseCall(call);
    if (c.kind === 'case') {
      const entry = this.ensureOpen(c.case);
      if (c.method === 'case.reoffset') {
        const p = parseParams<'case.reoffset'>(c.method, c.params).params;
        if (this.jobs.busy) throw new ApiError('an import is already running; cancel it or wait for it to finish');
        const plan = prepareReoffset({ casePath: entry.path, offsets: p.offsets, caseDir: this.opts.caseDir });
        return this.jobs.startTask(plan.task);
      }
      const value = await this.queries.run(entry.path, c.method, c.params, this.context(entry.path));
      if (c.method === 'secrets.reveal') {
        if ((value as { revealed: boolean }).revealed) this.revealed.add(entry.path);
        else this.revealed.delete(entry.path);
      }
      return value;
    }
    switch (c.method) {
      case 'cases.list':
        parseAppParams(c.method, c.params);
        return { cases: await this.list() };
      case 'cases.open': {
        const p = parseAppParams<'cases.open'>(c.method, c.params).params;
        return this.ensureOpen(p.id).summary;
      }
      case 'import.start': {
        const p = parseAppParams<'import.start'>(c.method, c.params).params;
        if (!this.opts.staged) throw new ApiError('import.start: importing from the page is not available here');
        // Refused before the staged files are taken: a refused import leaves the user's upload in place.
        if (this.jobs.busy) throw new ApiError('an import is already running; cancel it or wait for it to finish');
        return this.jobs.start(this.opts.staged.resolve(p.uploads));
      }
      case 'import.status':
        return this.jobs.status(parseAppParams<'import.status'>(c.method, c.params).params.job);
      case 'import.cancel':
        return this.jobs.cancel(parseAppParams<'import.cancel'>(c.method, c.params).params.job);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.jobs.close();
    for (const c of this.cases.values()) this.queries.close(c.path);
    this.cases.clear();
    this.queries.dispose();
  }
}
