/**
 * The server side of the API contract (shared/api.ts), shared by the Electron IPC handler and `runlens serve`:
 * validate params, run the named query on a read-only connection, answer with an envelope. Errors are one
 * readable line (never a stack). Import methods run the import worker and then switch this API to the new case;
 * `case.reoffset` builds a copy of the case with clock offsets applied (api/reoffset.ts) the same way.
 */
import type { Envelope, MethodName, ParsedParams, Result } from '../../shared/api';
import { ApiError, parseParams } from '../../shared/api';
import { CaseFileError, openCaseReadOnly, type Db } from '../db/open';
import {
  caseInfo,
  explainCall,
  listFindings,
  listSteps,
  processDetails,
  rawRecord,
  QueryError,
} from '../queries/index';
import { networkIndexAt, networkIndexOf, queryNetwork } from '../queries/network-list';
import { logIndexAt, logIndexOfId, logOutline, logSearch, logWindow } from '../queries/log-window';
import { logFilter, logMatch } from '../queries/log-filter';
import { dnsList, filesList, processList, sqlQuery } from '../queries/evidence-lists';
import { processCalls, timelineDensity, timelineSteps } from '../queries/timeline';
import { processTree } from '../queries/process-tree';
import { ImportJobs, type ImportSources } from './imports';
import { addNote, deleteNote, listActions, listNotes, recordAction, updateNote } from '../notes/notes';
import { secretsRevealed, setSecretsRevealed } from '../notes/reveal';
import { REPORT_MIME, renderReport } from '../report/index';
import { maskDeep } from '../../shared/secrets';
import path from 'node:path';
import { prepareReoffset } from './reoffset';
import { BaselineSession } from '../compare/baseline-session';

type Handler<M extends MethodName> = (db: Db, p: ParsedParams<M>) => Result<M>;
type CaseHandlers = { [M in MethodName]?: Handler<M> };

/** Methods answered from the open case. */
const CASE_METHODS: CaseHandlers = {
  'case.info': (db) => caseInfo(db),
  'steps.list': (db) => listSteps(db),
  'findings.list': (db) => {
    const { findings, policy } = listFindings(db, { mask: !secretsRevealed(db.name) });
    return { findings, policy };
  },
  'network.query': queryNetwork,
  'network.indexOf': networkIndexOf,
  'network.indexAt': networkIndexAt,
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
  'actions.list': (db, p) => ({ actions: listActions(db.name, p.limit) }),
  'actions.record': (db, p) => recordAction(db.name, p.action, p.detail),
  'secrets.reveal': (db, p) => setSecretsRevealed(db.name, p.reveal, 'app'),
  'report.export': (db, p) => {
    const content = renderReport(db, db.name, p.format, { mask: !secretsRevealed(db.name) });
    recordAction(db.name, 'export-report', { format: p.format, where: 'app' });
    return { filename: `${path.basename(db.name).replace(/\.[^.]*$/, '')}-report.${p.format}`, mime: REPORT_MIME[p.format], content };
  },
};

/**
 * Answers that carry text from the case get its secrets masked (shared/secrets.ts) unless the analyst revealed
 * them for this case (`secrets.reveal`). Findings, notes and reports mask on their own.
 */
const MASKED: ReadonlySet<MethodName> = new Set<MethodName>([
  'network.query', 'network.explain', 'log.window', 'process.get', 'process.tree', 'raw.get', 'timeline.steps', 'case.info',
]);
function answer(db: Db, method: MethodName, h: Handler<MethodName>, params: ParsedParams<MethodName>): unknown {
  const value = h(db, params);
  return MASKED.has(method) && !secretsRevealed(db.name) ? maskDeep(value) : value;
}

export interface ApiOptions {
  /**
   * Turns `import.start`'s `uploads` ids into local files (serve's upload store). The returned `release` is called
   * when the import ends, whatever its outcome: it removes the temporary files.
   */
  resolveUploads?: (ids: string[]) => ImportSources;
  /** Whether `import.start` may name local paths (Electron: the user picked them). False over HTTP. */
  allowPaths?: boolean;
  /** Where imported cases go (default: the import's default case location). */
  caseDir?: string;
  /** Called after the API switched to another case (after an import). */
  onCaseChanged?: (casePath: string) => void;
  /** Baseline case files for `compare.run` and the new-endpoint findings (serve --baseline, the desktop dialog). */
  baselines?: () => readonly string[];
}

export interface Api {
  call(method: string, params: unknown): Promise<Envelope<unknown>>;
  close(): void;
  /** The case the API answers from now. */
  readonly casePath: string;
}

/** One line, no stack, no trailing period noise: what a user sees for any failure. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split(/\r?\n/).find((l) => l.trim() !== '') ?? 'unknown error';
  return line.length > 500 ? line.slice(0, 500) + '…' : line;
}

export function createApi(casePath: string, opts: ApiOptions = {}): Api {
  let current = casePath;
  let db: Db = openCaseReadOnly(casePath);
  let closed = false;

  const switchCase = (next: string) => {
    const nextDb = openCaseReadOnly(next);
    db.close();
    db = nextDb;
    current = next;
    opts.onCaseChanged?.(next);
  };
  const imports = new ImportJobs({ caseDir: opts.caseDir, onDone: switchCase });
  const baseline = new BaselineSession(opts.baselines ?? (() => []));

  const run = (method: string, params: unknown): unknown => {
    if (closed) throw new ApiError('the case is closed');
    const parsed = parseParams(method, params);
    switch (parsed.method) {
      case 'import.start': {
        const p = parsed.params as ParsedParams<'import.start'>;
        let sources: ImportSources;
        if (p.uploads) {
          if (!opts.resolveUploads) throw new ApiError('import.start: uploads are not available here');
          sources = opts.resolveUploads(p.uploads);
        } else {
          if (!opts.allowPaths) throw new ApiError('import.start: local paths are not accepted over this transport');
          sources = { paths: p.paths ?? [], release: () => {} };
        }
        return imports.start(sources);
      }
      case 'case.reoffset': {
        // Checked and named now (a bad request is an error, not a failed job); built off-thread by the job.
        const p = parsed.params as ParsedParams<'case.reoffset'>;
        const plan = prepareReoffset({ casePath: current, offsets: p.offsets, caseDir: opts.caseDir });
        return imports.startTask(plan.task);
      }
      case 'import.status':
        return imports.status((parsed.params as ParsedParams<'import.status'>).job);
      case 'import.cancel':
        return imports.cancel((parsed.params as ParsedParams<'import.cancel'>).job);
      case 'compare.run':
        return baseline.result(db, current);
      case 'findings.list': {
        // Findings against the baseline are listed like every other finding.
        const { findings, policy } = listFindings(db);
        return { findings: [...findings, ...baseline.result(db, current).findings], policy };
      }
    }
    const h = CASE_METHODS[parsed.method] as Handler<MethodName> | undefined;
    if (!h) throw new ApiError(`method not available: ${method}`);
    return answer(db, parsed.method, h, parsed.params);
  };

  return {
    get casePath() {
      return current;
    },
    async call(method, params) {
      try {
        return { ok: true, value: run(method, params) };
      } catch (e) {
        const known = e instanceof ApiError || e instanceof QueryError || e instanceof CaseFileError;
        return { ok: false, error: known ? errorLine(e) : `${method}: ${errorLine(e)}` };
      }
    },
    close() {
      if (closed) return;
      closed = true;
      imports.close();
      db.close();
    },
  };
}
