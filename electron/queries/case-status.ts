/**
 * `case.status`: how far the import building the case is (`meta.import_state`, partial-case.ts) and how many log
 * lines and calls it holds so far. Cheap enough to poll while an import writes the case: `max(id)` is one rowid
 * probe (rows arrive with ids 1, 2, 3…; a complete case whose log finalize dropped duplicates counts them exactly),
 * never a scan that would hold the importer's next commit. The case owner adds the running job (api/case-owner.ts).
 */
import type { CaseStatus } from '../../shared/api';
import { readImportState, type Db } from '../db/open';

function rows(db: Db, table: string, exact: boolean): number {
  const sql = exact ? `SELECT count(*) AS n FROM ${table}` : `SELECT coalesce(max(id), 0) AS n FROM ${table}`;
  return Number((db.prepare(sql).get() as { n: number }).n);
}

export function caseStatus(db: Db): CaseStatus {
  const state = readImportState(db);
  const exact = state === 'complete';
  return { import_state: state, log_lines: rows(db, 'log_lines', exact), calls: rows(db, 'network', exact), job: null, message: null };
}
