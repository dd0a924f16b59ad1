/** `process.get`: one process instance with its parent chain, children, network calls, file events and source. */
import type { Db } from '../db/open';
import type { ProcessDetails } from '../../shared/api';
import { CALL_COLUMNS, CALL_JOINS, networkRow } from './network-rows';
import { readPolicy } from './policy';
import { ProcessChain, processRef } from './process-chain';
import { num, numOr0, QueryError, str, stepRef, time, type Row } from './values';
import { severityRank } from './findings';
import { maskSecrets } from '../../shared/secrets';

/** Caps on the lists of one process (a process with more is summarised by the tables, not this panel). */
export const PROCESS_LIST_LIMIT = 200;

/** A process's calls in time order (index network_process). Params: process id, limit. */
export const PROCESS_CALLS_SQL = `SELECT ${CALL_COLUMNS} FROM network n ${CALL_JOINS} WHERE n.process_id = ? ORDER BY n.ts, n.id LIMIT ?`;
/** A process's file events in time order (index file_events_process). Params: process id, limit. */
export const PROCESS_FILES_SQL = 'SELECT id, ts, path, op, sha256 FROM file_events WHERE process_id = ? ORDER BY ts, id LIMIT ?';

/** Findings naming this process (producer detections, local detections), most severe first. */
function processFindings(db: Db, id: number): ProcessDetails['findings'] {
  const rows = db
    .prepare(
      `SELECT f.id, f.kind, f.severity, f.title, f.origin, f.rule, d.det_id FROM findings f
       LEFT JOIN detections d ON d.id = f.detection_id WHERE f.process_id = ? ORDER BY f.id LIMIT 100`,
    )
    .safeIntegers(true)
    .all(id) as Row[];
  return rows
    .map((r) => {
      const origin = str(r.origin), rule = str(r.rule), det = str(r.det_id);
      const by = origin === 'producer' ? (det ? `producer ${det}` : 'producer') : rule?.startsWith('user:') || rule === 'ioc' ? 'Runlens (rules file)' : 'Runlens';
      return { id: numOr0(r.id), kind: str(r.kind) ?? '', severity: str(r.severity) ?? '', title: maskSecrets(str(r.title) ?? '') || null, by };
    })
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id - b.id);
}

export function processDetails(db: Db, id: number): ProcessDetails {
  const chain = new ProcessChain(db);
  const p = db
    .prepare(
      `SELECT p.*, s.id AS s_id, s.job AS s_job, s.number AS s_number, s.name AS s_name, s.uses AS s_uses, src.path AS src_path
       FROM processes p LEFT JOIN steps s ON s.id = p.step_id LEFT JOIN sources src ON src.id = p.source_id WHERE p.id = ?`,
    )
    .safeIntegers(true)
    .get(id) as Row | undefined;
  if (!p) throw new QueryError(`no process with id ${id}`);
  const hasPolicy = readPolicy(db) !== null;
  const calls = (
    db
      .prepare(PROCESS_CALLS_SQL)
      .safeIntegers(true)
      .all(id, PROCESS_LIST_LIMIT) as Row[]
  ).map((r) => networkRow(r, hasPolicy));
  const files = (
    db
      .prepare(PROCESS_FILES_SQL)
      .safeIntegers(true)
      .all(id, PROCESS_LIST_LIMIT) as Row[]
  ).map((r) => ({ id: numOr0(r.id), ts: time(r.ts) ?? '', path: str(r.path) ?? '', op: str(r.op) ?? '', sha256: str(r.sha256) }));
  const count = (sql: string) => Number((db.prepare(sql).pluck().get(id) as number | bigint | undefined) ?? 0);
  const totals = {
    children: count('SELECT count(*) FROM processes WHERE parent_id = ?'),
    calls: count('SELECT count(*) FROM network WHERE process_id = ?'),
    files: count('SELECT count(*) FROM file_events WHERE process_id = ?'),
  };
  return {
    ...processRef(p),
    ppid: num(p.ppid),
    parent_id: num(p.parent_id),
    cwd: str(p.cwd),
    uid: num(p.uid),
    start: time(p.start),
    end: time(p.end),
    exit_code: num(p.exit_code),
    step: stepRef(p, 's_'),
    root_reason: str(p.root_reason),
    children: chain.childrenOf(id, PROCESS_LIST_LIMIT),
    ancestors: chain.ancestors(p),
    calls,
    files,
    totals,
    findings: processFindings(db, id),
    source: { file: str(p.src_path) ?? '', line: num(p.line) },
  };
}
