/**
 * The case methods of the API contract (shared/api.ts): one handler `(db, params) => result` per method, checked
 * complete at compile time, answered on a read-only connection to the case the call names. `answerQuery` validates
 * the params and runs the handler; the case owner (api/case-owner.ts) decides where it runs (in the query worker,
 * off the thread that answers requests) and answers case-less methods and jobs. Errors are one readable line.
 */
import type { Envelope, MethodName, ParsedParams, Result } from '../../shared/api';
import { ApiError, parseParams } from '../../shared/api';
import { CaseFileError, type Db } from '../db/open';
import {
  caseInfo,
  explainCall,
  listFindings,
  listSteps,
  processDetails,
  rawRecord,
  QueryError,
} from '../queries/index';
import { caseStatus } from '../queries/case-status';
import { networkDensity, networkIndexAt, networkIndexOf, queryNetwork } from '../queries/network-list';
import { logIndexAt, logIndexOfId, logOutline, logSearch, logWindow } from '../queries/log-window';
import { logFilter, logMatch } from '../queries/log-filter';
import { dnsList, filesList, processList, sqlQuery } from '../queries/evidence-lists';
import { processCalls, timelineDensity, timelineSteps } from '../queries/timeline';
import { processTree } from '../queries/process-tree';
import { mentionLines, mentionsList } from '../queries/log-mentions';
import { noteMarks } from '../queries/note-times';
import { addNote, deleteNote, listActions, listNotes, recordAction, updateNote } from '../notes/notes';
import { secretsRevealed, setSecretsRevealed, syncRevealed } from '../notes/reveal';
import { maskDeep } from '../../shared/secrets';
import { REPORT_MIME, renderReport } from '../report/index';
import path from 'node:path';
import { BaselineSession } from '../compare/baseline-session';
import { CaseOwner, type OwnerOptions } from './case-owner';

/** Case methods that are jobs rather than queries: answered by the case owner, not from the database. */
export type JobMethod = 'case.reoffset';
export type QueryMethod = Exclude<MethodName, JobMethod>;
type Handler<M extends MethodName> = (db: Db, p: ParsedParams<M>) => Result<M>;
/** Every query method has a handler: a method declared in shared/api.ts without one here does not compile. */
type CaseHandlers = { [M in QueryMethod]: Handler<M> };

/** The baselines of the query being answered (QueryContext); the comparison is kept per (case, baselines). */
let contextBaselines: readonly string[] = [];
const baseline = new BaselineSession(() => contextBaselines);

/** Methods answered from the case a call names. */
const CASE_METHODS: CaseHandlers = {
  'case.info': (db) => caseInfo(db),
  'case.status': (db) => caseStatus(db),
  'steps.list': (db) => listSteps(db),
  'findings.list': (db) => {
    const { findings, policy } = listFindings(db, { mask: !secretsRevealed(db.name) });
    // Findings against the baseline are listed like every other finding.
    return { findings: [...findings, ...baseline.result(db, db.name).findings], policy };
  },
  'compare.run': (db) => baseline.result(db, db.name),
  'network.query': queryNetwork,
  'network.indexOf': networkIndexOf,
  'network.indexAt': networkIndexAt,
  'network.density': networkDensity,
  'network.explain': (db, p) => explainCall(db, p.id, { window: p.window_seconds, limit: p.limit }),
  'log.window': logWindow,
  'log.indexAt': logIndexAt,
  'log.indexOfId': logIndexOfId,
  'log.search': logSearch,
  'log.outline': (db) => logOutline(db),
  'log.filter': logFilter,
  'log.match': logMatch,
  'process.list': processList,
  'dns.list': dnsList,
  'files.list': filesList,
  'mentions.list': (db, p) => mentionsList(db, p),
  'mentions.lines': mentionLines,
  'sql.query': sqlQuery,
  'process.get': (db, p) => processDetails(db, p.id),
  'raw.get': (db, p) => rawRecord(db, p.table, p.id),
  'timeline.density': timelineDensity,
  'timeline.steps': (db) => timelineSteps(db),
  'process.calls': processCalls,
  'process.tree': processTree,
  // Notes live in the case's sidecar, found from the case file's own path (db.name).
  'notes.list': (db) => ({ notes: listNotes(db.name) }),
  'notes.add': (db, p) => addNote(db, db.name, p),
  'notes.update': (db, p) => updateNote(db.name, p),
  'notes.delete': (db, p) => deleteNote(db.name, p.id),
  'notes.marks': (db) => noteMarks(db),
  'actions.list': (db, p) => ({ actions: listActions(db.name, p.limit) }),
  'actions.record': (db, p) => recordAction(db.name, p.action, p.detail),
  'secrets.reveal': (db, p) => setSecretsRevealed(db.name, p.reveal, 'app'),
  'report.export': (db, p) => {
    const content = renderReport(db, db.name, p.format, { mask: !secretsRevealed(db.name) });
    recordAction(db.name, 'export-report', { format: p.format, where: 'app' });
    return { filename: `${path.basename(db.name).replace(/\.[^.]*$/, '')}-report.${p.format}`, mime: REPORT_MIME[p.format], content };
  },
};

export const isQueryMethod = (m: string): m is QueryMethod => m !== 'case.reoffset' && Object.prototype.hasOwnProperty.call(CASE_METHODS, m);

/**
 * Answers that carry text from the case get its secrets masked (shared/secrets.ts) unless the analyst revealed
 * them for this case (`secrets.reveal`). Findings, notes and reports mask on their own.
 */
const MASKED: ReadonlySet<MethodName> = new Set<MethodName>([
  'network.query', 'network.explain', 'log.window', 'process.get', 'process.tree', 'raw.get', 'timeline.steps', 'case.info', 'mentions.list',
]);

/**
 * What the host knows beside the case and passes with every query (a query may run in any query process, and a
 * process may be replaced): whether the analyst revealed this case's secrets, and the baseline case files the
 * host was given (`runlens serve --baseline`, the desktop's File → Compare with Baseline…; never the page's).
 */
export interface QueryContext {
  revealed: boolean;
  baselines: readonly string[];
}
export const NO_CONTEXT: QueryContext = { revealed: false, baselines: [] };

/** Validate and answer one query method from `db` (throws ApiError / QueryError with a readable message). */
export function answerQuery(db: Db, method: string, params: unknown, ctx: QueryContext = NO_CONTEXT): unknown {
  const parsed = parseParams(method, params);
  if (!isQueryMethod(parsed.method)) throw new ApiError(`method not available here: ${method}`);
  syncRevealed(db.name, ctx.revealed);
  contextBaselines = ctx.baselines;
  const value = (CASE_METHODS[parsed.method] as Handler<MethodName>)(db, parsed.params);
  return MASKED.has(parsed.method) && !secretsRevealed(db.name) ? maskDeep(value) : value;
}

/** One line, no stack, no trailing period noise: what a user sees for any failure. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split(/\r?\n/).find((l) => l.trim() !== '') ?? 'unknown error';
  return line.length > 500 ? line.slice(0, 500) + '…' : line;
}

/** A failure as the envelope's one line: known errors as they are, anything else prefixed with the method. */
export function failure(method: string, e: unknown): Envelope<never> {
  const known = e instanceof ApiError || e instanceof QueryError || e instanceof CaseFileError;
  return { ok: false, error: known ? errorLine(e) : `${method}: ${errorLine(e)}` };
}

/** One case through the case owner, with the old single-case shape: what tests and benchmarks use. */
export interface Api {
  /** A case method for this case, or a case-less method. */
  call(method: string, params: unknown): Promise<Envelope<unknown>>;
  close(): void;
  readonly caseId: string;
  readonly casePath: string;
  readonly owner: CaseOwner;
}

export function createApi(casePath: string, opts: OwnerOptions = {}): Api {
  const owner = new CaseOwner(opts);
  const c = owner.open(casePath);
  return {
    caseId: c.id,
    casePath: c.case_file,
    owner,
    call: (method, params) => owner.call({ case: owner.isCaseMethod(method) ? c.id : null, method, params }),
    close: () => owner.dispose(),
  };
}
