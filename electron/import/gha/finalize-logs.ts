/**
 * After the load, before any other analysis: make the imported GitHub Actions log lines and steps consistent.
 * 1. A single manifest job and a single log job of another name: the logs take the manifest's name.
 * 2. Steps, per job: manifest beats step files beats `##[group]Run` lines (the lesser origins' rows are deleted);
 *    duplicates of one (job, origin, number) keep the first row.
 * 0. A single-job archive (one folder of step files, its folder stripped by the container) is re-placed as steps;
 *    a lone job log takes its `Complete job name:`.
 * 3. Lines imported once: the job-level log is kept whole; step files' lines of a job that has one are dropped and
 *    counted as skipped in their source's accounting. Each step file's step starts at the job-log line equal to
 *    its first line (within 50 ms: step files' stamps differ from the job file's by microseconds).
 * 4. `log_lines` renumbered so `ORDER BY id` is reading order: jobs by first time, then within a job by time
 *    (a file's untimed or out-of-order lines keep their place in the file), then step number, file, line.
 * 5. `step_id`: step files by number (or by time when that number has no step); job files by their
 *    `##[group]Run` steps (group-steps.ts, same numbering as the importer), or by time when the job has manifest
 *    or file steps: the step whose window holds the line (an untimed line follows the line before it).
 * 6. `depth`: `##[group]` nesting within a file (reset where a new group-derived step begins).
 * 7. Missing step start/end filled from their lines; step names with their `/` back, action commits from
 *    `Download action repository` lines, hosts/URLs/IPs the lines mention (log_mentions); the full-text index rebuilt.
 */
import { withIndexesSuspended } from '../../db/index-suspend';
import type { Db } from '../../db/open';
import type { ImportWarning, LogMarker } from '../../../shared/model';
import { stillValid, type LogHints } from '../log-precompute';
import { END_ACTION, HEAD_CHARS, loadJobSteps, ORPHANS, POST_JOB, START_ACTION, StepAssigner } from './step-assigner';
import { parseMarker } from './markers';
import { stepNameFromLog } from './read-log';
import { indexLogMentions, stageKeptMentions } from './mentions';
import { sql as indexesSql } from '../../db/migrations/002_indexes';
import { timed, type SpanSink } from '../spans';
import { rebuildFts, removeFtsFile, stageFtsText } from '../log-fts';

const ORIGIN_RANK = `CASE origin WHEN 'manifest' THEN 0 WHEN 'files' THEN 1 ELSE 2 END`;

/**
 * `hints`: what the import's writer learnt while writing the lines (log-precompute.ts). With them, the checks that
 * would read every line back (log jobs, reading order) are answered from them, and when the steps and depths the
 * writer assigned still hold, the pass that reads and rewrites every line is skipped.
 */
export function finalizeLogs(db: Db, warn: (w: ImportWarning) => void, hints?: LogHints, onSpan?: SpanSink, early?: EarlyLogs | null): void {
  const t = <T>(name: string, fn: () => T): T => timed(onSpan, `logs: ${name}`, fn);
  let bodyEnd = 0;
  db.transaction(() => {
    // (lines found by the writer, where it knows them: ids hold until lines move; else the scans as before)
    const needles = hints?.needleLines?.complete ? hints.needleLines.ids : null;
    const relaid = t('relayout', () => relayoutSingleJobArchives(db, hints?.jobLogSources ?? null));
    const renames = t('job names', () => nameSingleLogsByJob(db, needles));
    // a lone log renamed by its `Complete job name:` whose steps are its own groups (log-precompute.ts
    // predictGroupSteps) keeps the steps the writer gave its lines: the same steps under the new name
    const ownName = hints ? renamedOwnSteps(hints, renames) : null;
    const named = renames.length > 0 && !ownName;
    const adopted = t('job names', () => adoptManifestJobName(db, relaid || named ? undefined : hints && logJobsAfter(hints, ownName)));
    const renamed = relaid || named || adopted;
    t('step precedence', () => applyStepPrecedence(db));
    // step files beside a job-level log (scans of every line, unless the writer saw no job with both kinds of file)
    const mixed = !hints || relaid || hints.mixedJobs.size > 0;
    const heads = mixed ? t('step files', () => stepFileHeads(db)) : [];
    const dropped = mixed ? t('step files', () => dropStepFileDuplicates(db, warn)) : false;
    const moved = t('reading order', () => renumberLines(db, hints && !renamed && !dropped ? hints : undefined));
    const bounds = mixed ? t('step files', () => stepBoundaries(db, heads)) : new Map<string, { id: number; stepId: number }[]>();
    t('steps and depth', () => {
      if (hints && !renamed && !dropped && !moved && bounds.size === 0 && stillValid(db, hints, ownName ?? undefined)) {
        warnUnmatched(db, hints.unmatched, warn);
      } else {
        // every line's step_id is rewritten: rebuilding the step index afterwards beats updating it row by row
        withIndexesSuspended(db, 'log_lines', ['step_id'], () => assignStepsAndDepth(db, warn, bounds));
      }
    });
    t('step times', () => fillStepTimes(db));
    t('step names', () => {
      nameStepsAsLogged(db);
      postStepsTakeMainAction(db);
    });
    // (migration 3's columns and table: absent when a caller finalizes a case not yet migrated)
    if (hasColumn(db, 'steps', 'action_sha')) t('action SHAs', () => resolveActionShas(db, moved ? null : needles));
    // what prepareLogsEarly did while the import waited for its calls worker holds while every line it saw is still
    // there under its id and none was added: no line moved or dropped here, and the writer's count is the same
    const still = early && hints && early.lines === hints.lines && !moved && !dropped ? early : null;
    if (hasColumn(db, 'log_mentions', 'host')) t('mentions', () => indexLogMentions(db, hints?.mentionLines, !moved && !dropped, still?.mentions === true));
    if (still?.ftsElsewhere) still.ftsElsewhere.held = true; // the caller takes the index built elsewhere
    else if (!still?.fts) t('full-text index', () => rebuildFts(db));
    bodyEnd = performance.now();
  })();
  onSpan?.('logs: commit', performance.now() - bodyEnd, null);
}

/**
 * GitHub names an action's post step `Post <the main step's name>` (`Post Set up Node.js` after `Set up Node.js`,
 * which ran `actions/setup-node@v3`): a post step without an action of its own takes its main step's, the latest
 * earlier step of the job with exactly that name. A job log read alone names its post steps `Post job cleanup.`
 * only: nothing there says whose post step it is (docs/formats.md, "What is lost").
 */
function postStepsTakeMainAction(db: Db): void {
  db.prepare(
    `UPDATE steps SET uses = (
       SELECT m.uses FROM steps m WHERE m.job = steps.job AND m.number < steps.number AND m.name = substr(steps.name, 6)
         AND m.uses IS NOT NULL ORDER BY m.number DESC LIMIT 1)
     WHERE uses IS NULL AND name LIKE 'Post %' AND EXISTS (
       SELECT 1 FROM steps m WHERE m.job = steps.job AND m.number < steps.number AND m.name = substr(steps.name, 6)
         AND m.uses IS NOT NULL)`,
  ).run();
}

/** Step names of GitHub's step files with the `/` they lost (`Post Run actionscheckout@v3` -> the step's own name). */
function nameStepsAsLogged(db: Db): void {
  const rows = db.prepare(`SELECT id, job, name FROM steps WHERE origin = 'files'`).all() as { id: number; job: string; name: string }[];
  const byJob = new Map<string, string[]>();
  for (const r of rows) (byJob.get(r.job) ?? byJob.set(r.job, []).get(r.job)!).push(r.name);
  const upd = db.prepare(`UPDATE steps SET name = ?, uses = COALESCE(uses, ?) WHERE id = ?`);
  for (const r of rows) {
    if (!r.name.startsWith('Post ')) continue;
    const main = r.name.slice(5);
    const named = byJob.get(r.job)!.find((n) => n !== main && n.includes('/') && (n.replace(/\//g, '') === main || n.replace(/\//g, '_') === main));
    if (named) upd.run(`Post ${named}`, named.startsWith('Run ') ? usesOf(named.slice(4)) : null, r.id);
  }
}

function usesOf(x: string): string | null {
  return /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^\s@]+)?@[^\s@]+$/.test(x.trim()) ? x.trim() : null;
}

const DOWNLOAD_ACTION = /^Download action repository '([^']+)' \(SHA:([0-9a-fA-F]{7,64})\)/;
/** The runner writes it as a group heading (`##[group]Download immutable action package '…'`); older notes did not. */
const IMMUTABLE_PACKAGE = /^(?:##\[group\])?Download immutable action package '([^']+)'/;
const SOURCE_SHA = /^Source commit SHA: ([0-9a-fA-F]{7,64})/;

/**
 * `steps.action_sha` from the job's own `Set up job` lines: `Download action repository 'owner/repo@ref' (SHA:…)`,
 * or `##[group]Download immutable action package 'owner/repo@ref'` followed by `Source commit SHA: …`.
 */
function resolveActionShas(db: Db, ids: readonly number[] | null): void {
  const match = `(text LIKE 'Download action repository %' OR text LIKE 'Download immutable action package %'
         OR text LIKE '##[group]Download immutable action package %' OR text LIKE 'Source commit SHA: %')`;
  const lines = (
    ids
      ? db.prepare(`SELECT job, text FROM log_lines WHERE id IN (SELECT value FROM json_each(?)) AND ${match} ORDER BY id`).all(JSON.stringify(ids))
      : db.prepare(`SELECT job, text FROM log_lines WHERE ${match} ORDER BY id`).all()
  ) as { job: string; text: string }[];
  const shas = new Map<string, string>();
  let pending: string | null = null;
  for (const l of lines) {
    let m = DOWNLOAD_ACTION.exec(l.text);
    if (m) {
      shas.set(`${l.job}\u0000${m[1]}`, m[2]!.toLowerCase());
      pending = null;
      continue;
    }
    m = IMMUTABLE_PACKAGE.exec(l.text);
    if (m) {
      pending = `${l.job}\u0000${m[1]}`;
      continue;
    }
    m = SOURCE_SHA.exec(l.text);
    if (m && pending) {
      shas.set(pending, m[1]!.toLowerCase());
      pending = null;
    }
  }
  if (shas.size === 0) return;
  const upd = db.prepare(`UPDATE steps SET action_sha = ? WHERE job = ? AND uses = ? AND action_sha IS NULL`);
  for (const [k, sha] of shas) {
    const [job, ref] = k.split('\u0000') as [string, string];
    upd.run(sha, job, ref);
  }
}

interface Rename {
  source: number;
  from: string;
  to: string;
}

/**
 * The renames as old job -> new job when each renamed a job whose steps the writer predicted from its own log (one
 * source, log-precompute.ts) into a name no other line had: its lines' steps still hold. Else null.
 */
function renamedOwnSteps(hints: LogHints, renames: Rename[]): Map<string, string> | null {
  if (renames.length === 0) return null;
  const out = new Map<string, string>();
  for (const r of renames) {
    if (hints.predicted.get(r.from)?.source !== r.source || hints.jobs.has(r.to) || out.has(r.from)) return null;
    out.set(r.from, r.to);
  }
  return out;
}

/** The writer's log jobs with the renames applied (what adoptManifestJobName would read from the lines). */
function logJobsAfter(hints: LogHints, renames: Map<string, string> | null): ReadonlySet<string> {
  return renames ? new Set([...hints.jobs].map((j) => renames.get(j) ?? j)) : hints.jobs;
}

/**
 * A lone job log (`job-log.txt`) takes the name its own `Complete job name:` line gives. Returns the renames.
 * `ids`: every line the query can match (the writer's needle lines), else every line is scanned.
 */
function nameSingleLogsByJob(db: Db, ids: readonly number[] | null): Rename[] {
  const where = `file_kind = 'single' AND text LIKE 'Complete job name: %'`;
  const rows = (
    ids
      ? db
          .prepare(`SELECT source_id, job, min(text) AS t FROM log_lines WHERE id IN (SELECT value FROM json_each(?)) AND ${where} GROUP BY source_id, job`)
          .all(JSON.stringify(ids))
      : db.prepare(`SELECT source_id, job, min(text) AS t FROM log_lines WHERE ${where} GROUP BY source_id, job`).all()
  ) as { source_id: number | null; job: string; t: string }[];
  const renames: Rename[] = [];
  for (const r of rows) {
    const name = r.t.slice('Complete job name: '.length).trim();
    if (!name || name === r.job || r.source_id === null) continue;
    db.prepare(`UPDATE log_lines SET job = ? WHERE source_id = ? AND job = ?`).run(name, r.source_id, r.job);
    db.prepare(`UPDATE steps SET job = ? WHERE source_id = ? AND job = ?`).run(name, r.source_id, r.job);
    renames.push({ source: r.source_id, from: r.job, to: name });
  }
  return renames;
}

interface GhaSource {
  id: number;
  parent_id: number | null;
  path: string;
  member: string | null;
}

const STEP_FILE = /^(\d{1,9})_(.+)\.txt$/i;

/**
 * One job's archive: a top folder holding only step files (`test/1_Set up job.txt` …, with or without
 * `system.txt`), or those files with no folder at all. The container strips a single top folder, so the importer
 * placed each file as a job of its own; recognised here from the member paths of the files that share a parent:
 * one folder (or none), only `N_*.txt` files with N >= 1 and `system.txt`, and GitHub's `1_Set up job.txt` or a
 * `system.txt` among them. Their lines become the steps' lines of one job: the folder's name, else the job's
 * `Complete job name:`, else the input's name.
 */
function relayoutSingleJobArchives(db: Db, jobLogSources: ReadonlySet<number> | null): boolean {
  // the sources of job-level and single logs: as the writer saw them, else a scan of every line
  const srcs = (
    jobLogSources
      ? db
          .prepare(`SELECT id, parent_id, path, member FROM sources WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
          .all(JSON.stringify([...jobLogSources]))
      : db
          .prepare(
            `SELECT id, parent_id, path, member FROM sources WHERE id IN (SELECT DISTINCT source_id FROM log_lines WHERE file_kind IN ('job', 'single')) ORDER BY id`,
          )
          .all()
  ) as GhaSource[];
  let relaid = false;
  const groups = new Map<number | null, GhaSource[]>();
  for (const s of srcs) (groups.get(s.parent_id) ?? groups.set(s.parent_id, []).get(s.parent_id)!).push(s);
  for (const [parentId, list] of groups) {
    if (parentId === null) continue; // a lone input file
    const parts = list.map((s) => (s.member ?? '').split('/').filter((p) => p !== ''));
    if (parts.some((p) => p.length === 0 || p.length > 2)) continue;
    const dirs = new Set(parts.map((p) => (p.length === 2 ? p[0]! : '')));
    if (dirs.size !== 1) continue;
    const dir = [...dirs][0]!;
    if (/^logs$/i.test(dir)) continue;
    const bases = parts.map((p) => p[p.length - 1]!);
    let ok = true;
    let setUp = false;
    let system = false;
    // an archive's files moved into one folder: its job log `0_<job>.txt` beside the step files (seen in the field:
    // illurukarthik8688/CICDFlask `build/`, SOURCES.md)
    let jobLog: string | null = null;
    for (const b of bases) {
      if (/^system\.txt$/i.test(b)) system = true;
      else {
        const m = STEP_FILE.exec(b);
        if (m && Number(m[1]) === 0 && jobLog === null) jobLog = m[2]!;
        else if (!m || Number(m[1]) < 1) ok = false;
        else if (Number(m[1]) === 1 && /^set up job$/i.test(m[2]!)) setUp = true;
      }
    }
    if (!ok || !(setUp || system) || bases.every((b) => /^system\.txt$/i.test(b))) continue;
    // Other sources of the same container with job-folder files make it a whole-run archive after all.
    const others = db
      .prepare(`SELECT count(*) AS n FROM sources WHERE parent_id = ? AND member LIKE '%/%/%'`)
      .get(parentId) as { n: number };
    if (others.n > 0) continue;
    const job = jobLog ?? (dir || jobNameOf(db, list) || parentName(db, parentId));
    relayoutAsSteps(db, list, bases, job);
    relaid = true;
  }
  return relaid;
}

function jobNameOf(db: Db, list: GhaSource[]): string | null {
  const q = db.prepare(`SELECT text FROM log_lines WHERE source_id = ? AND text LIKE 'Complete job name: %' LIMIT 1`);
  for (const s of list) {
    const r = q.get(s.id) as { text: string } | undefined;
    if (r) return r.text.slice('Complete job name: '.length).trim() || null;
  }
  return null;
}

function parentName(db: Db, parentId: number): string {
  const r = db.prepare(`SELECT path FROM sources WHERE id = ?`).get(parentId) as { path: string } | undefined;
  const base = (r?.path ?? 'job').split(/[\\/!]/).filter((p) => p !== '').pop() ?? 'job';
  return base.replace(/\.zip$/i, '') || 'job';
}

function relayoutAsSteps(db: Db, list: GhaSource[], bases: string[], job: string): void {
  const delSteps = db.prepare(`DELETE FROM steps WHERE source_id = ?`);
  const updLines = db.prepare(`UPDATE log_lines SET job = ?, file_kind = ?, step_number = ? WHERE source_id = ?`);
  const span = db.prepare(`SELECT min(ts) AS a, max(ts) AS b FROM log_lines WHERE source_id = ?`).safeIntegers(true);
  const title = db.prepare(
    `SELECT text FROM log_lines WHERE source_id = ? AND marker = 'group' AND (text LIKE '##[group]Run %' OR text LIKE '##[group]Post Run %') ORDER BY seq LIMIT 1`,
  );
  // the file was read as a job log: its steps from its groups say whether it failed (read-log.ts, the same rules as
  // a step file's: the exit-code lines, a direct inner step's end-action conclusion)
  const failed = db.prepare(
    `SELECT conclusion FROM steps WHERE source_id = ? AND conclusion IN ('failure', 'cancelled') ORDER BY conclusion = 'failure' DESC LIMIT 1`,
  );
  const ins = db.prepare(
    `INSERT INTO steps (job, number, name, uses, started_at, completed_at, conclusion, origin, source_id, line, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'files', ?, NULL, ?)`,
  );
  const stepsToJob = db.prepare(`UPDATE steps SET job = ? WHERE source_id = ?`);
  list.forEach((s, i) => {
    const m = STEP_FILE.exec(bases[i]!);
    if (m && Number(m[1]) === 0) {
      // the job log itself (its group steps are already the job's; the step files' steps take precedence)
      updLines.run(job, 'job', null, s.id);
      stepsToJob.run(job, s.id);
      return;
    }
    const fail = (failed.get(s.id) as { conclusion: string } | undefined)?.conclusion ?? null;
    delSteps.run(s.id);
    if (!m) {
      updLines.run(job, 'system', null, s.id);
      return;
    }
    const n = Number(m[1]);
    updLines.run(job, 'step', n, s.id);
    const t = span.get(s.id) as { a: bigint | null; b: bigint | null };
    const tl = title.get(s.id) as { text: string } | undefined;
    const groupTitle = tl ? (parseMarker(tl.text.split('\n')[0]!)?.rest.trim() ?? null) : null;
    const name = stepNameFromLog(m[2]!, groupTitle);
    const uses = groupTitle?.startsWith('Run ') ? usesOf(groupTitle.slice(4)) : name.startsWith('Run ') ? usesOf(name.slice(4)) : null;
    ins.run(job, n, name, uses, t.a, t.b, fail, s.id, s.member);
  });
}

interface StepHead {
  stepId: number;
  job: string;
  text: string;
  ts: bigint | null;
}

/** Before a job's step-file lines are dropped: each step file's first line, to find its step in the job log. */
function stepFileHeads(db: Db): StepHead[] {
  return db
    .prepare(
      `SELECT s.id AS stepId, s.job AS job, l.text AS text, l.ts AS ts FROM steps s
       JOIN log_lines l ON l.source_id = s.source_id AND l.job = s.job AND l.file_kind = 'step' AND l.step_number = s.number
       WHERE s.origin = 'files'
         AND l.seq = (SELECT min(seq) FROM log_lines WHERE source_id = s.source_id AND file_kind = 'step' AND step_number = s.number)
         AND s.job IN (SELECT DISTINCT job FROM log_lines WHERE file_kind IN ('job', 'single'))`,
    )
    .safeIntegers(true)
    .all()
    .map((r) => {
      const o = r as { stepId: bigint; job: string; text: string; ts: bigint | null };
      return { stepId: Number(o.stepId), job: o.job, text: o.text, ts: o.ts };
    });
}

/**
 * Step files' timestamps can differ from the job log's by microseconds (GitHub writes each file's stamps
 * separately): a step's first line is looked for in the job log by its text within this much time.
 */
const STEP_MATCH_NS = 50_000_000n;

/**
 * Per job: the job-log line id where each step file's step begins, in id order. The step's first line is found in
 * the job log by its text near its time; the step then starts at the job log's time for it (so a second run of
 * finalize, without the step files' lines, finds the same line by time alone).
 */
function stepBoundaries(db: Db, heads: StepHead[]): Map<string, { id: number; stepId: number }[]> {
  const out = new Map<string, { id: number; stepId: number }[]>();
  const byText = db.prepare(
    `SELECT id, ts FROM log_lines WHERE job = ? AND file_kind IN ('job', 'single') AND ts BETWEEN ? AND ? AND text = ? ORDER BY id LIMIT 1`,
  ).safeIntegers(true);
  const byTime = db.prepare(
    `SELECT id, ts FROM log_lines WHERE job = ? AND file_kind IN ('job', 'single') AND ts >= ? ORDER BY id LIMIT 1`,
  ).safeIntegers(true);
  const setStart = db.prepare(`UPDATE steps SET started_at = ? WHERE id = ?`);
  const headOf = new Map(heads.map((h) => [h.stepId, h]));
  const steps = db
    .prepare(
      `SELECT id, job, started_at FROM steps WHERE origin = 'files'
         AND job IN (SELECT DISTINCT job FROM log_lines WHERE file_kind IN ('job', 'single'))`,
    )
    .safeIntegers(true)
    .all() as { id: bigint; job: string; started_at: bigint | null }[];
  for (const st of steps) {
    const stepId = Number(st.id);
    const h = headOf.get(stepId);
    let r: { id: bigint; ts: bigint } | undefined;
    if (h && h.ts !== null) {
      r = byText.get(h.job, h.ts - STEP_MATCH_NS, h.ts + STEP_MATCH_NS, h.text) as typeof r;
      r ??= byTime.get(h.job, h.ts - STEP_MATCH_NS) as typeof r;
      if (r) setStart.run(r.ts, stepId);
    } else if (st.started_at !== null) {
      r = byTime.get(st.job, st.started_at) as typeof r;
    }
    if (!r) continue;
    (out.get(st.job) ?? out.set(st.job, []).get(st.job)!).push({ id: Number(r.id), stepId });
  }
  for (const list of out.values()) list.sort((a, b) => a.id - b.id);
  return out;
}


/** The log lines' indexes (migration 2's, `IF NOT EXISTS`): built early (prepareLogsEarly), else by migrate. */
export const LOG_INDEXES: readonly string[] = indexesSql
  .split(';')
  .map((q) => q.trim())
  .filter((q) => /^CREATE INDEX IF NOT EXISTS \w+ ON log_lines\(/.test(q));

/**
 * Log finalize work done ahead (prepareLogsEarly): with `lines` lines stored, the full-text index built (`fts`) and
 * the mentions worked out and staged (`mentions`). finalizeLogs skips what still holds and redoes the rest.
 */
export interface EarlyLogs {
  /** The writer's count of lines stored when it ran (LogHints.lines). */
  readonly lines: number;
  readonly fts: boolean;
  /**
   * The full-text index is built elsewhere (prepareLogsEarly's `ftsFile`: the lines staged there for the calls
   * worker, log-fts.ts), not here: finalizeLogs sets `held` when the lines are still the ones staged (it then
   * leaves the index to the caller, who takes the built one or rebuilds it); else it rebuilds the index itself.
   */
  readonly ftsElsewhere: { held: boolean } | null;
  /** The mentions staged (mentions.ts stageKeptMentions). */
  readonly mentions: boolean;
}

/**
 * While the import's thread waits for its calls worker (run-import.ts, at the bundle's `network.jsonl`, read last),
 * the log finalize's work that depends only on the lines' ids and texts: the log lines' indexes, the full-text index
 * (external content: rowid and text only) and the lines' mentions — when the writer's hints say finalizeLogs will
 * neither move nor drop a line (lines written in reading order, no job with both step files and a job log) and no
 * line is to come. finalizeLogs then skips what still holds (`EarlyLogs`) and redoes it if lines did change after
 * all (a step file's archive relaid, a later input's lines): the case is the same either way, only the time differs.
 * The caller has committed the writer's rows. Returns null when the hints say the lines may move.
 */
export function prepareLogsEarly(
  db: Db,
  hints: LogHints,
  onSpan?: SpanSink,
  /** Where to stage the lines' texts for the index to be built elsewhere (log-fts.ts), and who to tell at once. */
  ftsFile?: { path: string; staged: () => void },
): EarlyLogs | null {
  if (hints.lines === 0 || !hints.inOrder || hints.mixedJobs.size > 0 || hints.jobLogSources === null) return null;
  const t = <T>(name: string, fn: () => T): T => timed(onSpan, `early: ${name}`, fn);
  // (one job's lines all timed and in order, written without a gap: renumberLines will find them in reading order)
  // `ftsFile`: the lines' texts staged there for the index to be built elsewhere (log-fts.ts), not built here
  const elsewhere = ftsFile !== undefined && t('full-text index text', () => stageFtsText(db, ftsFile.path)) === hints.lines;
  if (elsewhere) ftsFile.staged(); // (before the rest: the index is built meanwhile)
  else if (ftsFile !== undefined) removeFtsFile(ftsFile.path); // (not the lines the writer counted: not used)
  let out: EarlyLogs | null = null;
  db.transaction(() => {
    t('log indexes', () => {
      for (const q of LOG_INDEXES) db.exec(q);
    });
    if (!elsewhere) t('full-text index', () => rebuildFts(db));
    const held = hints.mentionLines;
    const mentions = held ? t('mentions', () => stageKeptMentions(db, held)) : false;
    out = { lines: hints.lines, fts: !elsewhere, ftsElsewhere: elsewhere ? { held: false } : null, mentions };
  })();
  return out;
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

/** True when the log lines were renamed. `jobs`: the log lines' jobs, when known without reading the lines. */
function adoptManifestJobName(db: Db, jobs?: ReadonlySet<string>): boolean {
  const manifest = manifestJobNames(db);
  if (manifest.size !== 1) return false;
  // the log lines' jobs as the writer saw them, else read (a scan of every line)
  const logJobs = jobs
    ? [...new Set([...jobs, ...(db.prepare(`SELECT DISTINCT job FROM steps WHERE origin <> 'manifest'`).pluck().all() as string[])])]
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

/**
 * Lines imported once. The job-level log is the whole job (older archives hold it beside per-step files that
 * repeat its lines): it is kept, and the step files' lines it repeats are dropped, counted in their source's
 * `lines_skipped` (reason: duplicate of the job log). Step files still give their steps (numbers, names, times).
 * True when lines were dropped.
 */
function dropStepFileDuplicates(db: Db, warn: (w: ImportWarning) => void): boolean {
  const jobs = `SELECT DISTINCT job FROM log_lines WHERE file_kind IN ('job', 'single')`;
  // A step line is a duplicate only when the job log holds the same text as often: the k-th step line of a text is
  // matched with the k-th job-log line of that text (times are not compared: GitHub's step files may differ from
  // the job log by microseconds). A step line the job log lacks is kept (and said), never dropped unseen.
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS rl_step_dupes (id INTEGER PRIMARY KEY)`);
  db.exec(`DELETE FROM temp.rl_step_dupes`);
  db.exec(`
    INSERT INTO temp.rl_step_dupes (id)
    SELECT s.id FROM
      (SELECT id, job, text, row_number() OVER (PARTITION BY job, text ORDER BY id) AS k
         FROM log_lines WHERE file_kind = 'step' AND job IN (${jobs})) s
    JOIN
      (SELECT job, text, row_number() OVER (PARTITION BY job, text ORDER BY id) AS k
         FROM log_lines WHERE file_kind IN ('job', 'single')) j
    ON j.job = s.job AND j.text = s.text AND j.k = s.k`);
  const counts = db
    .prepare(
      `SELECT source_id, count(*) AS n, coalesce(sum(coalesce(line_end, line) - line + 1), count(*)) AS physical
       FROM log_lines WHERE id IN (SELECT id FROM temp.rl_step_dupes) GROUP BY source_id`,
    )
    .all() as { source_id: number | null; n: number; physical: number }[];
  const kept = db
    .prepare(
      `SELECT source_id, count(*) AS n, min(line) AS line FROM log_lines
       WHERE file_kind = 'step' AND job IN (${jobs}) AND id NOT IN (SELECT id FROM temp.rl_step_dupes) GROUP BY source_id`,
    )
    .all() as { source_id: number | null; n: number; line: number | null }[];
  for (const k of kept) {
    warn({
      file: sourcePath(db, k.source_id),
      line: k.line,
      message: `${k.n} line${k.n === 1 ? '' : 's'} of this step file ${k.n === 1 ? 'is' : 'are'} not in the job's log: kept beside it`,
    });
  }
  if (counts.length === 0) return false;
  db.exec(`DELETE FROM log_lines WHERE id IN (SELECT id FROM temp.rl_step_dupes)`);
  db.exec(`DELETE FROM temp.rl_step_dupes`);
  for (const c of counts) if (c.source_id !== null) noteSkipped(db, c.source_id, c.n, c.physical, 'duplicate of the job log');
  return true;
}

function hasColumn(db: Db, table: string, column: string): boolean {
  return db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`).get(table, column) !== undefined;
}

/** Move `records` records covering `lines` physical lines of a source from stored to skipped, with a reason. */
export function noteSkipped(db: Db, sourceId: number, records: number, lines: number, reason: string): void {
  if (!hasColumn(db, 'sources', 'lines_skipped')) return;
  const r = db.prepare(`SELECT records, lines_stored, lines_skipped, skipped FROM sources WHERE id = ?`).get(sourceId) as
    | { records: number | null; lines_stored: number | null; lines_skipped: number | null; skipped: string | null }
    | undefined;
  if (!r || r.records === null) return;
  let reasons: Record<string, number>;
  try {
    reasons = r.skipped ? (JSON.parse(r.skipped) as Record<string, number>) : {};
  } catch {
    reasons = {};
  }
  reasons[reason] = (reasons[reason] ?? 0) + lines;
  db.prepare(`UPDATE sources SET records = ?, lines_stored = ?, lines_skipped = ?, skipped = ? WHERE id = ?`).run(
    Math.max(0, r.records - records),
    Math.max(0, (r.lines_stored ?? 0) - lines),
    (r.lines_skipped ?? 0) + lines,
    JSON.stringify(reasons),
    sourceId,
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
    // (max and min of the rowid each in its own subquery are two b-tree descents; `max(id) - min(id)` in one
    // SELECT is a scan of every line: SQLite's min/max optimisation takes a lone min() or max() only)
    const c = db
      .prepare(`SELECT coalesce((SELECT max(id) FROM log_lines) - (SELECT min(id) FROM log_lines) + 1, 0) AS span`)
      .get() as { span: number };
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
    // every line written again: its indexes (made before the load, run-import.ts) rebuilt after, not updated per row
    withIndexesSuspended(db, 'log_lines', ['ts', 'step_id'], () => db.exec(`
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
    `));
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
function assignStepsAndDepth(db: Db, warn: (w: ImportWarning) => void, bounds: Map<string, { id: number; stepId: number }[]>): void {
  const assigner = new StepAssigner(loadJobSteps(db), bounds);
  // The head of the text only where the tracker can open a step with it (stepHead in step-assigner.ts, the same
  // rule): other lines get NULL. Saves a string per line on 1M lines.
  const read = db
    .prepare(
      `SELECT id, job, step_number, CAST(ts AS TEXT), marker, file_kind, source_id,
              CASE WHEN marker = 'group' OR (marker IS NULL AND (substr(text, 1, ${POST_JOB.length}) = '${POST_JOB}'
                     OR substr(text, 1, ${ORPHANS.length}) = '${ORPHANS}'
                     OR substr(text, 1, ${START_ACTION.length}) = '${START_ACTION}'
                     OR substr(text, 1, ${END_ACTION.length}) = '${END_ACTION}'))
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
      id,
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
