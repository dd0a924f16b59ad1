/**
 * The report's content, independent of its format: run identity and input hashes, findings (merged, as listed)
 * with their evidence (source file and line), the process chain and log lines of each, the analyst's notes and
 * verdicts, the action log, and what the timeline picture draws. Secrets are masked unless `mask` is false.
 */
import type { ActionOut, CaseInfo, FindingOut, NoteOut, ProcessRef } from '../../shared/api';
import { maskAll, maybeMask } from '../../shared/secrets';
import { tryParseRfc3339 } from '../../shared/time';
import type { Db } from '../db/open';
import { listActions, listNotes } from '../notes/notes';
import { caseInfo } from '../queries/case-info';
import { listFindings } from '../queries/findings';
import { ProcessChain, processRef } from '../queries/process-chain';
import { time, type Row } from '../queries/values';

export interface ReportLogLine {
  id: number;
  ts: string | null;
  step: number | null;
  file: string | null;
  line: number | null;
  text: string;
}
export interface ReportFinding extends FindingOut {
  /** The first process's chain, the process itself first, up to the root. */
  chain: ProcessRef[];
  log_lines: ReportLogLine[];
  notes: NoteOut[];
}
export interface Report {
  format: 'runlens-report';
  version: 1;
  generated_at: string;
  secrets_masked: boolean;
  case_file: string;
  title: string;
  run: CaseInfo['run'];
  policy: CaseInfo['policy'];
  inputs: CaseInfo['inputs'];
  counts: CaseInfo['counts'];
  time_range: CaseInfo['time_range'];
  steps: { number: number; name: string; start: string | null; end: string | null; conclusion: string | null }[];
  findings: ReportFinding[];
  notes: NoteOut[];
  actions: ActionOut[];
}

const LOG_LINES_PER_FINDING = 12;
const WINDOW_NS = 2_000_000_000n;

export function buildReport(db: Db, casePath: string, opts: { mask?: boolean; now?: Date } = {}): Report {
  const mask = opts.mask ?? true;
  const info = caseInfo(db);
  const { findings, policy } = listFindings(db, { mask });
  const notes = listNotes(casePath).map((n) => ({ ...n, text: maybeMask(n.text, mask) }));
  const chain = new ProcessChain(db);
  const evidenceLog = db.prepare(
    `SELECT l.id, l.ts, s.number AS step, src.path AS file, l.line, l.text FROM log_lines l
     LEFT JOIN steps s ON s.id = l.step_id LEFT JOIN sources src ON src.id = l.source_id WHERE l.id = ?`,
  ).safeIntegers(true);
  const nearLog = db.prepare(
    `SELECT l.id, l.ts, s.number AS step, src.path AS file, l.line, l.text FROM log_lines l
     LEFT JOIN steps s ON s.id = l.step_id LEFT JOIN sources src ON src.id = l.source_id
     WHERE l.ts BETWEEN ? AND ? ORDER BY l.ts, l.id LIMIT ?`,
  ).safeIntegers(true);
  const logOut = (r: Row): ReportLogLine => ({
    id: Number(r.id), ts: time(r.ts), step: r.step === null || r.step === undefined ? null : Number(r.step),
    file: (r.file as string | null) ?? null, line: r.line === null || r.line === undefined ? null : Number(r.line),
    text: maybeMask(String(r.text ?? ''), mask),
  });

  const out: ReportFinding[] = findings.map((f) => {
    const p0 = f.processes[0];
    let procChain: ProcessRef[] = [];
    if (p0) {
      const row = chain.get(p0.id);
      if (row) procChain = [processRef(row), ...chain.ancestors(row)];
    }
    procChain = procChain.map((p) => ({ ...p, args: mask ? maskAll(p.args) : p.args }));
    // Log lines: the ones that are evidence; else the lines logged around the finding's first moment.
    let lines = f.evidence.filter((e) => e.table === 'log_lines').map((e) => evidenceLog.get(e.id) as Row | undefined).filter((r): r is Row => !!r).map(logOut);
    const t = tryParseRfc3339(f.first_seen);
    if (lines.length === 0 && t !== null) lines = (nearLog.all(t - WINDOW_NS, t + WINDOW_NS, LOG_LINES_PER_FINDING) as Row[]).map(logOut);
    const ids = new Set(f.sources.map((s) => s.id));
    const about = (n: NoteOut) =>
      (n.target.kind === 'finding' && ids.has(n.target.id!)) ||
      (n.target.kind === 'call' && f.evidence.some((e) => e.table === 'network' && e.id === n.target.id)) ||
      (n.target.kind === 'process' && f.processes.some((p) => p.id === n.target.id));
    return { ...f, chain: procChain, log_lines: lines.slice(0, LOG_LINES_PER_FINDING), notes: notes.filter(about) };
  });

  return {
    format: 'runlens-report',
    version: 1,
    generated_at: (opts.now ?? new Date()).toISOString(),
    secrets_masked: mask,
    case_file: info.case_file,
    title: info.title,
    run: info.run,
    policy,
    inputs: info.inputs,
    counts: info.counts,
    time_range: info.time_range,
    steps: (db.prepare('SELECT number, name, started_at, completed_at, conclusion FROM steps ORDER BY job, number').safeIntegers(true).all() as Row[]).map((s) => ({
      number: Number(s.number), name: String(s.name), start: time(s.started_at), end: time(s.completed_at), conclusion: (s.conclusion as string | null) ?? null,
    })),
    findings: out,
    notes,
    actions: listActions(casePath, 1000),
  };
}
