/**
 * The baseline opened beside a case in the app: the host (serve's --baseline, the desktop's dialog) says which
 * case files are the baseline; `compare.run` and `findings.list` ask here. The comparison is computed once per
 * (case, baselines) and kept, so the findings list and the Compare panel do not redo it on every call.
 */
import { openCaseReadOnly, type Db } from '../db/open';
import type { CompareResult } from '../../shared/api';
import { baselineFindings, compareCases } from './compare';

export class BaselineSession {
  private key = '';
  private cached: CompareResult = { comparison: null, findings: [] };

  constructor(private readonly paths: () => readonly string[]) {}

  result(db: Db, casePath: string): CompareResult {
    const list = [...this.paths()];
    if (list.length === 0) return { comparison: null, findings: [] };
    const key = JSON.stringify([casePath, list]);
    if (key === this.key) return this.cached;
    const open: { db: Db; file: string }[] = [];
    try {
      for (const p of list) open.push({ db: openCaseReadOnly(p), file: p });
      const comparison = compareCases({ db, file: casePath }, open);
      this.cached = { comparison, findings: baselineFindings(db, comparison) };
      this.key = key;
      return this.cached;
    } finally {
      for (const o of open) o.db.close();
    }
  }
}
