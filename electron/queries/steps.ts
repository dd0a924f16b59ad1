/** `steps.list` / `runlens steps`: every step of every job, in order, with its number of log lines. */
import type { Db } from '../db/open';
import type { StepOut } from '../../shared/api';
import { numOr0, str, time, type Row } from './values';

/** Log lines of one step (covering index log_lines_step). Param: step id. */
export const STEP_LOG_LINES_SQL = 'SELECT count(*) AS n FROM log_lines WHERE step_id = ?';

export function listSteps(db: Db): { steps: StepOut[] } {
  const count = db.prepare(STEP_LOG_LINES_SQL).safeIntegers(true);
  const stmt = db.prepare(
    `SELECT id, job, number, name, uses, started_at, completed_at, conclusion FROM steps ORDER BY job, number, id`,
  );
  const steps = (stmt.safeIntegers(true).all() as Row[]).map((r): StepOut => {
    const id = numOr0(r.id);
    return {
      id,
      job: str(r.job) ?? '',
      number: numOr0(r.number),
      name: str(r.name) ?? '',
      uses: str(r.uses),
      started_at: time(r.started_at),
      completed_at: time(r.completed_at),
      conclusion: str(r.conclusion),
      log_lines: numOr0((count.get(id) as Row).n),
    };
  });
  return { steps };
}
