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
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseInfo, CaseStatus, CaseSummary, Envelope, ImportStatus, MethodName } from '../../shared/api';
import { ApiError, isCaseMethod, parseAppParams, parseCall, parseParams } from '../../shared/api';
import { caseIdOf } from './case-id';
import { CaseUpgradeNeeded } from '../db/open';
import { upgradeCaseCopy } from '../db/upgrade';
import { failure, type QueryContext } from './dispatch';
import { ImportJobs, type ImportRunner, type ImportSources, type PartialCase } from './imports';
import { inThreadQueries, type QueryEngine } from './query-engine';
import { addRecent, incompleteNote, markRecent, readRecent, type CaseAbout, type RecentImportMark } from './recent-cases';
import { trace } from './trace';

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
  /** The file queries read: the case, or while its import runs the partial file being built (first screen first). */
  path: string;
  /** The case's own path (what its id is of); the same as `path` once complete. */
  casePath: string;
  summary: Promise<CaseSummary>;
  openedAt: string;
  /** Its import runs now: the job, and how far the case is. */
  importing: { job: string; state: 'loading' | 'analysing' } | null;
  /** Its import stopped before the case was complete: why (one line). Every call but `case.status` is refused. */
  interrupted: string | null;
  /** While its import runs: the partial file's last `case.status` (answered while the file is being renamed). */
  lastStatus?: CaseStatus;
}

/**
 * Every case method, typed complete (a new method does not compile until it says): null when a case being
 * imported answers it from what is there so far, else what it cannot answer yet, and why: the page shows these as "still importing", never as an
 * empty result. While loading, the file has no indexes, no full-text index, no process instances, attribution or
 * findings (they are built after the last row, import/run-import.ts); while analysing, they are being built in the
 * importer's transactions, invisible to readers until the end.
 */
const NOT_READY: { [M in MethodName]: string | null } = {
  // Read from what is there so far (the first screen): null.
  'case.info': null,
  'case.status': null,
  'steps.list': null,
  'network.query': null,
  'network.indexOf': null,
  'network.indexAt': null,
  'network.density': null,
  'log.window': null,
  'log.indexAt': null,
  'log.indexOfId': null,
  'log.outline': null,
  'dns.list': null,
  'files.list': null,
  'raw.get': null,
  'timeline.density': null,
  'timeline.steps': null,
  'case.reoffset': 'clock offsets can be applied to the complete case',
  // Built after the load: "still importing".
  'findings.list': 'findings are listed when the analysis is done',
  'compare.run': 'the comparison with baselines runs when the analysis is done',
  'network.explain': 'explaining a call needs the analysis (process chains, attribution)',
  'log.search': 'search in the log is ready when the log is indexed',
  'log.filter': 'filtering the log is ready when the log is indexed',
  'log.match': 'search in the log is ready when the log is indexed',
  'process.tree': 'processes are resolved after every event is loaded',
  'process.list': 'processes are resolved after every event is loaded',
  'process.get': 'processes are resolved after every event is loaded',
  'process.calls': 'processes are resolved after every event is loaded',
  'report.export': 'a report needs the complete case',
  'sql.query': 'SQL runs on the complete case',
  // Hosts written in log lines are indexed with the log, after its last line (import/gha/finalize-logs.ts).
  'mentions.list': 'the hosts written in the log are listed when the log is indexed',
  'mentions.lines': 'the hosts written in the log are listed when the log is indexed',
  // Notes and the action log live beside the case file (notes/sidecar.ts), which exists once the case is complete.
  'notes.list': 'notes are kept with the complete case',
  'notes.marks': 'notes are kept with the complete case',
  'notes.add': 'notes can be written when the case is complete',
  'notes.update': 'notes can be written when the case is complete',
  'notes.delete': 'notes can be written when the case is complete',
  'actions.list': 'the action log is kept with the complete case',
  'actions.record': 'the action log is kept with the complete case',
  'secrets.reveal': 'secrets can be revealed when the case is complete',
};

/**
 * What a read of a partial case may meet while the importer holds the file: busy past the wait, (seen rarely
 * under heavy load, cause not found) SQLite refusing a read-only open of the file being written, and the schema
 * check meeting the file between two steps of the importer's migration after the load (columns added at the start
 * of the analysis). All pass: the next read, or the page's next refresh, reads it.
 */
const PARTIAL_BUSY = /database is locked|SQLITE_BUSY|attempt to write a readonly database|not a Runlens case schema/i;

/**
 * What a page asks for before its first screen is drawn (renderer/src/first-screen-gate.ts FIRST_SCREEN: its other
 * calls about the case wait until the log's first rows are in the DOM), so its first call outside these says that
 * the first screen is shown (startImportAs: the import goes on at full speed, the inputs are hashed).
 */
const PAGE_FIRST_SCREEN: ReadonlySet<string> = new Set(['case.info', 'case.status', 'steps.list', 'log.outline', 'log.window', 'log.indexAt', 'log.indexOfId']);

/** The prefix of every "not ready yet" answer (the renderer shows it as such: renderer/src/state/case-import.ts). */
export const STILL_IMPORTING = 'still importing';

function interruptedNote(why: 'cancelled' | 'failed', error: string | null): string {
  return why === 'cancelled'
    ? 'its import was cancelled before the case was complete; nothing of it was kept (import the bundle again to see it)'
    : `its import failed before the case was complete${error ? ` (${error})` : ''}; nothing of it was kept`;
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

/** A case a job is building, named (its id known) but not readable yet: calls about it wait for it. */
interface NamedCase {
  job: string;
  casePath: string;
  /** Settles when the case is readable, complete, or its import stopped (then the entry says why), or at dispose. */
  ready: Promise<void>;
  settle: () => void;
}

/**
 * An id given to a job's case before the case is named (`startImportAs`: `runlens serve <bundle>` prints its URL
 * before the inputs are hashed): it stands for the case's own id once the job names it, for as long as the owner runs.
 */
interface CaseAlias {
  job: string;
  /** The case's own id, once the job named (or found) it. */
  id: string | null;
  /** The job ended without a case: why. */
  failed: string | null;
  ready: Promise<void>;
  settle: () => void;
  /** Before it is named: the partial file the job builds, once readable (its first screen is answered from it). */
  early?: { path: string; state: 'loading' | 'analysing' } | null;
  /** Its page has drawn the first screen (ImportRequest.firstScreenShown): the import goes on, the case is named. */
  shown?: () => void;
  /** Settles when `early` is set (or the alias settles): calls asked before wait for the first of the two. */
  earlyReady?: Promise<void>;
  earlySettle?: () => void;
}

/** The summary of an open case whose own could not be read (unreadable, or never readable): what is known of it. */
function bareSummary(id: string, title: string, caseFile: string, openedAt: string, state: CaseSummary['state'], note: string | null): CaseSummary {
  return { id, title, case_file: caseFile, repo: null, job: null, run_id: null, run_time: null, inputs: [], open: true, opened_at: openedAt, state, state_note: note };
}

export class CaseOwner {
  private readonly cases = new Map<string, OpenEntry>();
  private readonly aliases = new Map<string, CaseAlias>();
  /** First screen first: cases named by their job (the inputs hashed) before their first lines are readable. */
  private readonly named = new Map<string, NamedCase>();
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
      onDone: (casePath) => this.jobDone(casePath),
      onChange: (s) => {
        this.jobChanged(s);
        opts.onJobChange?.(s);
      },
      onNamed: (casePath, job) => this.caseNamed(casePath, job),
      onPartial: (p, job) => this.openPartial(p, job),
      onReadable: (r, job) => this.readableUnnamed(r, job),
      onInterrupted: (p, why, error) => this.interrupted(p, why, error),
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
    if (known?.interrupted && fs.existsSync(abs)) this.complete(known, abs); // imported again meanwhile
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
    const entry: OpenEntry = { id, path: abs, casePath: abs, summary: Promise.resolve(null as never), openedAt: new Date().toISOString(), importing: null, interrupted: null };
    entry.summary = this.readSummary(entry);
    this.cases.set(id, entry);
    return { id, case_file: abs, summary: entry.summary };
  }

  /** Read an entry's summary (its case.info) and list it among the recent cases, marked while it is importing. */
  private readSummary(entry: OpenEntry): Promise<CaseSummary> {
    const openedAt = new Date(entry.openedAt);
    const importing = entry.importing !== null;
    const summary = (this.queries.run(entry.path, 'case.info', {}, this.context(entry.path)) as Promise<CaseInfo>).then((raw) => {
      const info = this.asCase(entry, raw);
      const about = aboutOf(info);
      const mark: RecentImportMark | undefined = importing ? { state: 'importing' } : undefined;
      const aliases = [...this.aliases].filter(([, a]) => a.id === entry.id).map(([alias]) => alias);
      if (this.opts.recentFile) addRecent(this.opts.recentFile, entry.casePath, info.title, openedAt, about, mark, aliases);
      return {
        id: entry.id,
        title: info.title,
        case_file: entry.casePath,
        ...about,
        open: true,
        opened_at: entry.openedAt,
        state: importing ? ('importing' as const) : ('complete' as const),
        state_note: null,
      };
    });
    // A case whose summary cannot be read is still open; its calls will say what is wrong.
    summary.catch(() => {});
    return summary;
  }

  /** case.info of a partial file, said of the case it becomes (its path, and its name when it has no title). */
  private asCase(entry: OpenEntry, info: CaseInfo): CaseInfo {
    if (entry.path === entry.casePath) return info;
    const title = info.title === path.basename(entry.path) ? path.basename(entry.casePath) : info.title;
    return { ...info, title, case_file: entry.casePath };
  }

  /**
   * First screen first: the case a job builds has its name (the inputs are hashed beside the import), so its id is
   * known before its first lines are readable. Calls about it wait until it is readable (openPartial), complete
   * (jobDone) or its import stopped (interrupted); `case.status` answers at once.
   */
  private caseNamed(casePath: string, job: string): string | null {
    if (this.disposed) return null;
    trace('owner: case named');
    const abs = path.resolve(casePath);
    const id = caseIdOf(abs);
    const known = this.cases.get(id);
    if ((known && !known.interrupted) || this.named.has(id)) return id;
    let settle = () => {};
    const ready = new Promise<void>((resolve) => (settle = resolve));
    this.named.set(id, { job, casePath: abs, ready, settle });
    this.queries.prepare?.(); // its first queries come soon: the query processes start now
    return id;
  }

  /** The named case `id` is readable, complete or interrupted now: the calls that waited for it go on. */
  private settleNamed(id: string): void {
    const n = this.named.get(id);
    if (!n) return;
    this.named.delete(id);
    n.settle();
  }

  /**
   * First screen first: the case a job builds is readable (or advanced to analysing). It is opened from the partial
   * file under the id of the case it becomes, read-only like every case (the importer writes it in its worker; each
   * query is one short read, and its connection is renewed after each commit: query-engine.ts).
   */
  private openPartial(p: PartialCase, job: string): string | null {
    if (this.disposed) return null;
    const casePath = path.resolve(p.casePath);
    const id = caseIdOf(casePath);
    const known = this.cases.get(id);
    if (known?.importing && known.path === p.path) {
      if (known.importing.state !== p.state) {
        known.importing.state = p.state;
        known.summary = this.readSummary(known); // every row is in now: the run and inputs are known
      }
      return id;
    }
    if (known && !known.importing && !known.interrupted) return id; // a complete case stays what it is
    trace('owner: partial case readable');
    this.queries.open(p.path, { partial: true });
    if (known?.path) this.queries.close(known.path);
    const entry: OpenEntry = {
      id,
      path: p.path,
      casePath,
      summary: Promise.resolve(null as never),
      openedAt: new Date().toISOString(),
      importing: { job, state: p.state },
      interrupted: null,
    };
    entry.summary = this.readSummary(entry);
    this.cases.set(id, entry);
    this.settleNamed(id);
    return id;
  }

  /** A job built its case: the entry that showed it from its first screen now names the complete file. */
  private jobDone(casePath: string): string {
    const abs = path.resolve(casePath);
    const known = this.cases.get(caseIdOf(abs));
    if (known && (known.importing || known.interrupted)) {
      // The same id now answers from the complete file (pages keep their place).
      this.complete(known, abs);
      return known.id;
    }
    try {
      return this.open(abs).id;
    } finally {
      this.settleNamed(caseIdOf(abs));
    }
  }

  /** The import completed: switch the entry to the complete case file. */
  private complete(entry: OpenEntry, casePath: string): void {
    const partial = entry.path;
    this.queries.open(casePath);
    Object.assign(entry, { path: casePath, casePath, importing: null, interrupted: null });
    entry.summary = this.readSummary(entry);
    if (partial && partial !== casePath) {
      // Queries already sent keep their connection to the renamed file; close it when they are surely done.
      setTimeout(() => {
        if (!this.disposed && this.cases.get(entry.id)?.path !== partial) this.queries.close(partial);
      }, 10_000).unref();
    }
  }

  /** The job building a case stopped before it was complete: the case says so until it is imported again. */
  private interrupted(p: PartialCase, why: 'cancelled' | 'failed', error: string | null): void {
    const id = caseIdOf(path.resolve(p.casePath));
    const entry = this.cases.get(id);
    const note = interruptedNote(why, error);
    if (this.opts.recentFile) markRecent(this.opts.recentFile, p.casePath, { state: why, note });
    if (!entry && this.named.has(id)) {
      // Named but never readable: the calls that waited for it are told why (nothing of it was opened).
      const casePath = path.resolve(p.casePath);
      const openedAt = new Date().toISOString();
      const summary = bareSummary(id, path.basename(casePath), casePath, openedAt, 'incomplete', note);
      this.cases.set(id, { id, path: '', casePath, summary: Promise.resolve(summary), openedAt, importing: null, interrupted: note });
      this.settleNamed(id);
      return;
    }
    if (!entry || entry.path !== p.path) return;
    entry.importing = null;
    entry.interrupted = note;
    this.queries.close(p.path);
  }

  /** How far a case is: its `case.status`, with the job that builds it while one runs here. */
  private async caseStatus(entry: OpenEntry): Promise<CaseStatus> {
    if (entry.interrupted) return { import_state: 'interrupted', log_lines: 0, calls: 0, job: null, message: entry.interrupted };
    const importing = entry.importing;
    const queried = entry.path;
    let st: CaseStatus;
    try {
      st = (await this.queries.run(queried, 'case.status', {}, this.context(queried))) as CaseStatus;
    } catch (e) {
      // The import completed while this ran: ask the case. Or the partial file was just renamed into the case and the
      // job has not said so yet: the counts last read stand (they never go backwards), the state stays the import's.
      if (entry.path !== queried) return this.caseStatus(entry);
      const gone = e instanceof Error && /ENOENT|no such file/i.test(e.message) && !fs.existsSync(queried);
      if (!importing || !gone) throw e;
      st = entry.lastStatus ?? { import_state: importing.state, log_lines: 0, calls: 0, job: null, message: null };
    }
    if (!importing) return st;
    entry.lastStatus = st;
    let job: CaseStatus['job'] = null;
    try {
      const j = this.jobs.status(importing.job);
      job = { id: j.job, phase: j.phase, fraction: j.fraction };
    } catch {
      /* pruned */
    }
    // The owner's view of the state never runs ahead of the file's (it follows the import's reports).
    const state = st.import_state === 'complete' ? importing.state : st.import_state;
    return { ...st, import_state: state, job, message: 'the log, steps and timeline are shown as they load; search, findings and analysis fill in when the import is done' };
  }

  private namedStatus(n: Pick<NamedCase, 'job'>): CaseStatus {
    let job: CaseStatus['job'] = null;
    try {
      const j = this.jobs.status(n.job);
      job = { id: j.job, phase: j.phase, fraction: j.fraction };
    } catch {
      /* pruned */
    }
    return { import_state: 'loading', log_lines: 0, calls: 0, job, message: 'the case is being read: its log, steps and timeline are shown as soon as its first lines are in' };
  }

  private context(casePath: string): QueryContext {
    return { revealed: this.revealed.has(casePath), baselines: this.opts.baselines?.() ?? [] };
  }

  /** Close one case (its queries end; a running job is not affected). */
  close(id: string): void {
    const c = this.cases.get(id);
    if (!c) return;
    this.cases.delete(id);
    if (c.path) this.queries.close(c.path);
  }

  /** The case file an open case is (or, while its import runs, will be), or undefined. */
  casePathOf(id: string): string | undefined {
    const own = this.aliases.get(id)?.id ?? id;
    return this.cases.get(own)?.casePath ?? this.named.get(own)?.casePath;
  }

  /** The start-page summary of an open case (of a named one: once it is readable), or undefined. */
  summaryOf(id: string): Promise<CaseSummary> | undefined {
    const a = this.aliases.get(id);
    if (a) return this.ownId(id).then((own) => this.summaryOf(own) ?? Promise.reject(new ApiError(`no such case: ${own}`)));
    const n = this.named.get(id);
    if (n) return n.ready.then(() => this.cases.get(id)?.summary ?? Promise.reject(new ApiError(`no such case: ${id}`)));
    return this.cases.get(id)?.summary;
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
          (e: unknown): CaseSummary =>
            bareSummary(c.id, `${path.basename(c.path)} (unreadable: ${e instanceof Error ? e.message : String(e)})`, c.path, c.openedAt, 'complete', null),
        ).then((s) => ({
          ...s,
          state: c.importing ? ('importing' as const) : c.interrupted ? ('incomplete' as const) : s.state,
          state_note: c.interrupted,
        })),
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
          state: incompleteNote(r) ? 'incomplete' : 'complete',
          state_note: incompleteNote(r),
        });
      }
    }
    return out.sort((a, b) => (a.opened_at < b.opened_at ? 1 : a.opened_at > b.opened_at ? -1 : 0));
  }

  /** An open case by id; a recent case (by id, never by a path from the caller) is opened again. */
  private ensureOpen(id: string): OpenEntry {
    const c = this.cases.get(id);
    if (c) return c;
    const recent = this.opts.recentFile
      ? readRecent(this.opts.recentFile).find((r) => caseIdOf(r.path) === id || r.aliases?.includes(id))
      : undefined;
    if (!recent) throw new ApiError(`no such case: ${id} (it is not open here; pick one on the start page)`);
    const note = incompleteNote(recent);
    if (note) throw new ApiError(`${recent.title}: incomplete case: ${note}`);
    const own = this.open(recent.path).id;
    if (own !== id) {
      // A URL serve printed in an earlier run: the id stands for the case here too.
      this.aliases.set(id, { job: '', id: own, failed: null, ready: Promise.resolve(), settle: () => {} });
    }
    return this.cases.get(own)!;
  }

  /** A job's status changed: an alias of its case learns the case's id (or that there is none). */
  private jobChanged(s: ImportStatus): void {
    for (const a of this.aliases.values()) {
      if (a.job !== s.job) continue;
      if (a.early && s.state !== 'running') {
        // The job ended: the partial file it was read from is gone (renamed into the case, or removed). Queries
        // already sent keep their connection; closed when they are surely done (as `complete` does).
        const early = a.early.path;
        a.early = null;
        setTimeout(() => {
          if (!this.disposed && ![...this.cases.values()].some((c) => c.path === early)) this.queries.close(early);
        }, 10_000).unref();
      }
      if (a.id || a.failed) continue;
      if (s.case_id) a.id = s.case_id;
      else if (s.state === 'failed' || s.state === 'cancelled') a.failed = interruptedNote(s.state, s.error);
      else continue;
      a.settle();
    }
  }

  /**
   * Import local files or folders as one bundle, its case known by an id from now on (`runlens serve <bundle>`: its
   * URL names the case before the inputs are hashed): an alias of the case's own id, which every call may name.
   */
  startImportAs(sources: ImportSources): { job: string; id: string } {
    // Its first screen is answered from the partial file before the case is named (readableUnnamed); the import
    // holds after its first commit and the inputs are hashed once the page has drawn it (`shown`: the page's first
    // call outside its first screen) or a moment after (import-runner.ts).
    let shown = () => {};
    const firstScreenShown = new Promise<void>((resolve) => (shown = resolve));
    let job: string;
    try {
      job = this.startImport({ ...sources, firstScreenShown }).job;
    } catch (e) {
      sources.worker?.discard();
      throw e;
    }
    const id = randomBytes(12).toString('hex');
    let settle = () => {};
    const ready = new Promise<void>((resolve) => (settle = resolve));
    let earlySettle = () => {};
    const earlyReady = new Promise<void>((resolve) => (earlySettle = resolve));
    const alias: CaseAlias = {
      job,
      id: null,
      failed: null,
      ready,
      settle: () => {
        settle();
        earlySettle();
      },
      early: null,
      earlyReady,
      earlySettle,
      shown,
    };
    this.aliases.set(id, alias);
    this.jobChanged(this.jobs.status(job)); // it may have named its case already
    if (!alias.id) this.queries.prepare?.(); // its first queries come soon: the query processes start now
    return { job, id };
  }

  /**
   * First screen first, before the name: the case of a job started with startImportAs is readable while its inputs
   * are still to be hashed. Its alias answers from the partial file what a partial case answers (not case.info,
   * which names the case's file: that waits for the name).
   */
  private readableUnnamed(r: { path: string; state: 'loading' | 'analysing' }, job: string): void {
    if (this.disposed) return;
    const alias = [...this.aliases.values()].find((a) => a.job === job && !a.id && !a.failed);
    if (!alias || alias.shown === undefined) return;
    if (!alias.early) {
      trace('owner: partial case readable before it is named');
      this.queries.open(r.path, { partial: true });
      // No page has asked yet: its page is on its way (serve printed the URL at once; the first screen is often
      // readable before the page has loaded its scripts). The import stays held — its CPU left to the page loading —
      // until that page has drawn it (its first call outside the first screen), at most HOLD_AFTER_FIRST_SCREEN_MS
      // after this commit (the worker's own limit); the inputs are hashed then, or NAME_AT_LATEST_MS after the start.
    }
    alias.early = { path: r.path, state: r.state };
    alias.earlySettle?.();
  }

  /** A call about an alias whose case is readable but not named yet (readableUnnamed). */
  private async answerEarly(alias: CaseAlias, aliasId: string, method: MethodName, params: unknown): Promise<unknown> {
    const early = alias.early!;
    const entry: OpenEntry = {
      id: aliasId,
      path: early.path,
      casePath: early.path,
      summary: Promise.resolve(null as never),
      openedAt: '',
      importing: { job: alias.job, state: early.state },
      interrupted: null,
    };
    if (method === 'case.status') return this.caseStatus(entry);
    const value = await this.answerPartial(entry, early.state, method, params);
    return value;
  }

  /** The case's own id for an id a call names (the same, or what an alias stands for); waits for a pending alias. */
  private async ownId(id: string): Promise<string> {
    const a = this.aliases.get(id);
    if (!a) return id;
    await a.ready;
    if (this.disposed) throw new ApiError('the server is closing');
    if (a.id) return a.id;
    throw new ApiError(`incomplete case: ${a.failed ?? 'its import stopped before the case was complete'}`);
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
      const alias = this.aliases.get(c.case);
      if (alias?.shown && !PAGE_FIRST_SCREEN.has(c.method)) alias.shown(); // the page has drawn its first screen
      // Readable, not named yet: answered from the partial file (but case.info, which names the case's file).
      if (alias && !alias.id && !alias.failed && alias.earlyReady && c.method !== 'case.info' && c.method !== 'case.status') {
        await Promise.race([alias.ready, alias.earlyReady]); // its first lines, or its name, whichever comes first
        if (this.disposed) throw new ApiError('the server is closing');
      }
      if (alias && !alias.id && !alias.failed && alias.early && c.method !== 'case.info') {
        return this.answerEarly(alias, c.case, c.method, c.params);
      }
      if (alias && !alias.id && c.method === 'case.status') {
        // Not even named yet (its inputs are being hashed), or its import failed first.
        if (alias.failed) return { import_state: 'interrupted', log_lines: 0, calls: 0, job: null, message: alias.failed } satisfies CaseStatus;
        return this.namedStatus({ job: alias.job });
      }
      const id = await this.ownId(c.case);
      const named = this.named.get(id);
      if (named) {
        // Named, not readable yet (its first lines are on their way): how far it is now, anything else when it is.
        if (c.method === 'case.status') return this.namedStatus(named);
        await named.ready;
        if (this.disposed) throw new ApiError('the server is closing');
      }
      const entry = this.ensureOpen(id);
      if (c.method === 'case.status') return this.caseStatus(entry);
      if (entry.interrupted) throw new ApiError(`incomplete case: ${entry.interrupted}`);
      if (entry.importing) return this.answerPartial(entry, entry.importing.state, c.method, c.params);
      if (c.method === 'case.reoffset') {
        const p = parseParams<'case.reoffset'>(c.method, c.params).params;
        if (this.jobs.busy) throw new ApiError('an import is already running; cancel it or wait for it to finish');
        // Loaded when used: the re-offset's code (the analysis) is not the server's start-up.
        const { prepareReoffset } = await import('./reoffset');
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
        return this.ensureOpen(await this.ownId(p.id)).summary;
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

  /** A call about a case its import is still building: what is not there yet says so, in words. */
  private async answerPartial(entry: OpenEntry, state: 'loading' | 'analysing', method: MethodName, params: unknown): Promise<unknown> {
    // Without baselines there is nothing to compare, complete or not (the panel stays hidden).
    if (method === 'compare.run' && (this.opts.baselines?.() ?? []).length === 0) return { comparison: null, findings: [] };
    const why = NOT_READY[method];
    if (why) throw new ApiError(`${STILL_IMPORTING} (${state}): ${why}`);
    const partial = entry.path;
    try {
      const value = await this.queries.run(partial, method, params, this.context(partial));
      return method === 'case.info' ? this.asCase(entry, value as CaseInfo) : value;
    } catch (e) {
      // The import completed while this call ran (the partial file was renamed into the case): ask the case.
      if (entry.path !== partial && !entry.importing && !entry.interrupted) {
        return this.queries.run(entry.path, method, params, this.context(entry.path));
      }
      // The importer holds the file while it commits or builds its indexes: not an error of the case.
      if (e instanceof Error && PARTIAL_BUSY.test(e.message)) {
        throw new ApiError(`${STILL_IMPORTING} (${state}): the importer is writing this part of the case; it fills in as the import goes on`);
      }
      // The partial file was just renamed into the complete case, and the job has not said so yet: a moment's gap,
      // answered as not ready (the page asks again when case.status says complete).
      if (e instanceof Error && /ENOENT|no such file/i.test(e.message) && !fs.existsSync(partial)) {
        throw new ApiError(`${STILL_IMPORTING} (${state}): the import is completing the case; it is shown in a moment`);
      }
      throw e;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.jobs.close();
    for (const c of this.cases.values()) if (c.path) this.queries.close(c.path);
    this.cases.clear();
    for (const n of this.named.values()) n.settle();
    this.named.clear();
    for (const a of this.aliases.values()) {
      a.settle();
      a.shown?.();
    }
    this.queries.dispose();
  }
}
