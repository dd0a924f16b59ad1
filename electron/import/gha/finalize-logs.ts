/**
 * After the load, before any other analysis: make the imported GitHub Actions log lines and steps consistent.
 * 1. A single manifest job and a single log job of another name: the logs take the manifest's name.
 * 2. Steps, per job: manifest beats step files beats `##[group]Run` lines (the lesser origins' rows are deleted);
 *    duplicates of one (job, origin, number) keep the first row.
 * 3. Lines imported once: a job with step files loses the lines of its job-level (or single) files.
 * 4. `log_lines` renumbered so `ORDER BY id` is reading order: jobs by first time, then within a job by time
 *    (a file's untimed or out-of-order lines keep their place in the file), then step number, file, line.
 * 5. `step_id`: step files by number (or by time when that number has no step); job files by their
 *    `##[group]Run` steps (group-steps.ts, same numbering as the importer), or by time when the job has manifest
 *    or file steps: the step whose window holds the line (an untimed line follows the line before it).
 * 6. `depth`: `##[group]` nesting within a file (reset where a new group-derived step begins).
 * 7. Missing step start/end filled from their lines; the full-text index rebuilt.
 */
import { withIndexesSuspended } from '../../db/index-suspend';
import type { Db } from '../../db/open';
import type { ImportWarning, LogMarker } from '../../../shared/model';
import { stillValid, type LogHints } from '../log-precompute';
import { HEAD_CHARS, loadJobSteps, ORPHANS, POST_JOB, StepAssigner } from './step-assigner';

const ORIGIN_RANK = `CASE origin WHEN 'manifest' THEN 0 WHEN 'files' THEN 1 ELSE 2 END`;

/**
 * `hints`: what the import's writer learnt while writing the lines (log-precompute.ts). With them, the checks that
 * would read every line back (log jobs, reading order) are answered from them, and when the steps and depths the
 * writer assigned still hold, the pass that reads and rewrites every line is skipped.
 */
export function finalizeLogs(db: Db, warn: (w: ImportWarning) => void, hints?: LogHints): void {
  db.transaction(() => {
    const renamed = adoptManifestJobName(db, hints);
    applyStepPrecedence(db);
    // (a scan of every line, unless the writer saw no job with both kinds of file)
    const dropped = hints && hints.mixedJobs.size === 0 ? false : dropJobFileDuplicates(db);
    const moved = renumberLines(db, hints && !renamed && !dropped ? hints : undefined);
    if (hints && !renamed && !dropped && !moved && stillValid(db, hints)) {
      warnUnmatched(db, hints.unmatched, warn);
    } else {
      // every line's step_id is rewritten: rebuilding the step index afterwards beats updating it row by row
      withIndexesSuspended(db, 'log_lines', ['step_id'], () => assignStepsAndDepth(db, warn));
    }
    fillStepTimes(db);
    rebuildFts(db);
  })();
}

/** FTS5's default pending-terms hash (1 MiB), set back after the rebuild. */
const FTS_DEFAULT_HASHSIZE = 1024 * 1024;
const FTS_REBUILD_HASHSIZE = 64 * 1024 * 1024;

/**
 * Rebuild the full-text index. FTS5 writes a new segment each time its in-memory hash of pending terms reaches
 * `hashsize` and keeps merging the small segments as they pile up; a 64 MiB hash for the rebuild about halves its
 * time (1M lines: 1.3 s -> 0.7 s). The setting (stored in log_fts_config) is set back to the default afterwards;
 * the index holds the same terms either way, in fewer, larger segments.
 */
function rebuildFts(db: Db): void {
  // (an integer literal: FTS5 refuses a bound JS number, which SQLite receives as a REAL)
  db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_REBUILD_HASHSIZE})`);
  db.exec(`INSERT INTO log_fts(log_fts) VALUES('rebuild')`);
  db.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('hashsize', ${FTS_DEFAULT_HASHSIZE})`);
}

function manifestJobNames(db: Db): Set<string> {
  const names = new Set<string>();
  for (const r of db.prepare(`SELECT DISTINCT job FROM steps WHERE origin = 'manifest'`).all() as { job: string }[]) {
    names.add(r.job);
  }
  const meta = db.prepare(`SELECT value FROM meta WHERE key = 'run'`).get() as { value: string } | undefined;
  if (meta) {
    try {
      const run = JSON.parse(meta.value) as { job?: unknown } | null;
      if (run && typeof run.job === 'string' && run.job !== '') names.add(run.job);
    } catch {
      // run info that is not JSON: nothing to learn from it here
    }
  }
  return names;
}

/** True when the log lines were renamed. */
function adoptManifestJobName(db: Db, hints?: LogHints): boolean {
  const manifest = manifestJobNames(db);
  if (manifest.size !== 1) return false;
  // the log lines' jobs as the writer saw them, else read (a scan of every line)
  const logJobs = hints
    ? [...new Set([...hints.jobs, ...(db.prepare(`SELECT DISTINCT job FROM steps WHERE origin <> 'manifest'`).pluck().all() as string[])])]
    : (db.prepare(`SELECT job FROM log_lines UNION SELECT job FROM steps WHERE origin <> 'manifest'`).pluck().all() as string[]);
  if (logJobs.length !== 1) return false;
  const [target] = [...manifest] as [string];
  const from = logJobs[0]!;
  if (from === target) return false;
  const n = db.prepare(`UPDATE log_lines SET job = ? WHERE job = ?`).run(target, from).changes;
  db.prepare(`UPDATE steps SET job = ? WHERE job = ? AND origin <> 'manifest'`).run(target, from);
  return n > 0;
}

function applyStepPrecedence(db: Db): void {
  db.exec(`
    DELETE FROM steps WHERE id IN (
      SELECT s.id FROM steps s
      JOIN (SELECT job, MIN(${ORIGIN_RANK}) AS best FROM steps GROUP BY job) b ON b.job = s.job
      WHERE (CASE s.origin WHEN 'manifest' THEN 0 WHEN 'files' THEN 1 ELSE 2 END) > b.best
    );
    DELETE FROM steps WHERE id NOT IN (SELECT MIN(id) FROM steps GROUP BY job, origin, number);
  `);
}

/** True when lines were dropped. */
function dropJobFileDuplicates(db: Db): boolean {
  return (
    db
      .prepare(
        `DELETE FROM log_lines
         WHERE file_kind IN ('job', 'single')
           AND job IN (SELECT DISTINCT job FROM log_lines WHERE file_kind = 'step')`,
      )
      .run().changes > 0
  );
}

function sourcePath(db: Db, sourceId: number | null): string | null {
  if (sourceId === null) return null;
  const r = db.prepare(`SELECT path FROM sources WHERE id = ?`).get(sourceId) as { path: string } | undefined;
  return r?.path ?? null;
}

/**
 * Renumber `log_lines` into reading order. Only the sort keys are sorted; rows are moved only when the order
 * differs from the current ids (a lone file or files loaded in order need no move).
 */
/**
 * True when `ORDER BY id` already is reading order, checked in one pass over consecutive ids (no sort): one job,
 * every line timed, times never going back, and equal times in (step, source, seq) order. That is the common
 * case (one job log, or step files read in order) and it spares the window-function sort below.
 */
function alreadyInReadingOrder(db: Db, hints?: LogHints): boolean {
  if (hints?.inOrder) {
    // the writer saw the lines in order; they are in order by id if their ids are contiguous (nothing deleted)
    // (max and min of the rowid are two b-tree descents, not a scan)
    const c = db.prepare(`SELECT coalesce(max(id) - min(id) + 1, 0) AS span FROM log_lines`).get() as { span: number };
    if (c.span === hints.lines) return true;
  }
  const r = db
    .prepare(
      `SELECT
         (SELECT count(DISTINCT job) FROM log_lines) AS jobs,
         EXISTS (SELECT 1 FROM log_lines WHERE ts IS NULL) AS untimed,
         EXISTS (
           SELECT 1 FROM log_lines a JOIN log_lines b ON b.id = a.id + 1
           WHERE b.ts < a.ts
              OR (b.ts = a.ts AND (coalesce(b.step_number, -1), coalesce(b.source_id, -1), b.seq)
                                < (coalesce(a.step_number, -1), coalesce(a.source_id, -1), a.seq))
         ) AS backwards,
         (SELECT count(*) FROM log_lines) = coalesce((SELECT max(id) - min(id) + 1 FROM log_lines), 0) AS contiguous`,
    )
    .get() as { jobs: number; untimed: number; backwards: number; contiguous: number };
  return r.jobs <= 1 && !r.untimed && !r.backwards && !!r.contiguous;
}

/** True when lines were moved. */
function renumberLines(db: Db, hints?: LogHints): boolean {
  if (alreadyInReadingOrder(db, hints)) return false;
  db.exec(`
    DROP TABLE IF EXISTS temp.gha_order;
    CREATE TEMP TABLE gha_order (nid INTEGER PRIMARY KEY, old_id INTEGER NOT NULL);
    WITH f AS (
      SELECT id, job, step_number, seq, source_id,
        COALESCE(
          MAX(ts) OVER (PARTITION BY source_id, job, file_kind, step_number ORDER BY seq, id ROWS UNBOUNDED PRECEDING),
          MIN(ts) OVER (PARTITION BY source_id, job, file_kind, step_number)
        ) AS eff
      FROM log_lines
    ),
    j AS (SELECT job, MIN(eff) AS first FROM f GROUP BY job)
    INSERT INTO temp.gha_order (nid, old_id)
    SELECT row_number() OVER (ORDER BY j.first IS NULL, j.first, f.job, f.eff, f.step_number, f.source_id, f.seq, f.id), f.id
    FROM f JOIN j ON j.job = f.job;
  `);
  const moved = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM temp.gha_order a JOIN temp.gha_order b ON b.nid = a.nid + 1 WHERE b.old_id < a.old_id) AS m`,
    )
    .get() as { m: number };
  if (moved.m) {
    const cols = 'job, step_id, step_number, seq, ts, raw, text, marker, depth, file_kind, source_id, line, line_end';
    db.exec(`
      DROP TABLE IF EXISTS temp.gha_copy;
      CREATE TEMP TABLE gha_copy AS
        SELECT o.nid AS id, ${cols
          .split(', ')
          .map((c) => 'l.' + c)
          .join(', ')}
        FROM temp.gha_order o JOIN log_lines l ON l.id = o.old_id ORDER BY o.nid;
      DELETE FROM log_lines;
      INSERT INTO log_lines (id, ${cols}) SELECT id, ${cols} FROM temp.gha_copy ORDER BY id;
      DROP TABLE temp.gha_copy;
    `);
  }
  db.exec(`DROP TABLE temp.gha_order`);
  return !!moved.m;
}

type Run = { from: number; to: number; stepId: number | null; depth: number };

/**
 * Set `step_id` and `depth` walking the lines in id (reading) order (step-assigner.ts). One read pass (raw rows,
 * no objects, ts as text turned into a bigint only where a step window needs it) collects runs of equal values;
 * they are then written as range updates.
 */
function assignStepsAndDepth(db: Db, warn: (w: ImportWarning) => void): void {
  const assigner = new StepAssigner(loadJobSteps(db));
  // The head of the text only where the tracker can open a step with it (stepHead in step-assigner.ts, the same
  // rule): other lines get NULL. Saves a string per line on 1M lines.
  const read = db
    .prepare(
      `SELECT id, job, step_number, CAST(ts AS TEXT), marker, file_kind, source_id,
              CASE WHEN marker = 'group' OR (marker IS NULL AND (substr(text, 1, ${POST_JOB.length}) = '${POST_JOB}'
                     OR substr(text, 1, ${ORPHANS.length}) = '${ORPHANS}'))
                   THEN substr(text, 1, ${HEAD_CHARS + 1}) END
       FROM log_lines ORDER BY id`,
    )
    .raw(true);
  const runs: Run[] = [];
  let run: Run | null = null;
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    const id = row[0] as number;
    const tsText = row[3] as string | null;
    const { stepId, depth } = assigner.feed({
      job: row[1] as string,
      stepNumber: row[2] as number | null,
      ts: tsText === null ? null : BigInt(tsText),
      marker: row[4] as LogMarker | null,
      fileKind: row[5] as string,
      sourceId: row[6] as number | null,
      head: row[7] as string | null,
    });
    if (run && run.stepId === stepId && run.depth === depth) run.to = id;
    else {
      run = { from: id, to: id, stepId, depth };
      runs.push(run);
    }
  }
  const update = db.prepare(`UPDATE log_lines SET step_id = ?, depth = ? WHERE id >= ? AND id <= ?`);
  for (const r of runs) update.run(r.stepId, r.depth, r.from, r.to);
  warnUnmatched(db, assigner.unmatched, warn);
}

function warnUnmatched(db: Db, unmatched: StepAssigner['unmatched'], warn: (w: ImportWarning) => void): void {
  for (const u of unmatched.values()) {
    warn({
      file: sourcePath(db, u.sourceId),
      line: null,
      message: `log file of step ${u.number} of job "${u.job}" has no matching step; its lines are placed by time`,
    });
  }
}

function fillStepTimes(db: Db): void {
  db.exec(`
    UPDATE steps SET
      started_at = COALESCE(started_at, (SELECT MIN(ts) FROM log_lines WHERE step_id = steps.id)),
      completed_at = COALESCE(completed_at, (SELECT MAX(ts) FROM log_lines WHERE step_id = steps.id))
    WHERE started_at IS NULL OR completed_at IS NULL;
  `);
}
