/**
 * Ready-made hunts: the questions asked after one run is confirmed bad. Each is plain SQL over the hunt's tables
 * (docs/fleet.md gives the same queries for ClickHouse and Trino), one row per run, runs in id order.
 */
import { normalizeEndpointText } from '../../shared/endpoint';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** LIKE pattern that matches `s` literally anywhere (\ escapes % _ and itself). */
const likeAnywhere = (s: string) => lit(`%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) + " ESCAPE '\\'";

/** A ns time column as RFC 3339 text (microseconds; the exact ns stay in the *_ts column). */
const firstSeen = (expr: string) => `strftime(make_timestamp(${expr} // 1000), '%Y-%m-%dT%H:%M:%S.%fZ')`;

/** Every run that called an endpoint (`host[:port]`, port 443 when left out; or a bare IP). */
export function endpointHunt(endpoint: string): string {
  const ep = normalizeEndpointText(endpoint) ?? endpoint.toLowerCase();
  return `SELECT n.run_key, n.run_repository, n.run_id, n.run_attempt, n.run_job, n.inputs_sha256,
  count(*) AS calls, ${firstSeen('min(n.ts)')} AS first_seen, min(n.ts) AS first_ts,
  string_agg(DISTINCT coalesce(p.exe, n.exe, n.process_name), ', ' ORDER BY coalesce(p.exe, n.exe, n.process_name)) AS processes
FROM network n LEFT JOIN processes p ON p.run_key = n.run_key AND p.id = n.process_id
WHERE n.endpoint = ${lit(ep)}
GROUP BY ALL
ORDER BY n.run_repository, n.run_id, n.run_attempt, n.run_key`;
}

/**
 * Every run whose step ran a command: a process whose command line (arguments joined by spaces) contains the text,
 * or a `[command]` line of the log that does; with the step it ran in.
 */
export function commandHunt(text: string): string {
  return `WITH ran AS (
  SELECT p.run_key, p.run_repository, p.run_id, p.run_attempt, p.run_job, p.inputs_sha256, p.step_id,
    array_to_string(CAST(json(p.args) AS VARCHAR[]), ' ') AS command
  FROM processes p
  WHERE array_to_string(CAST(json(p.args) AS VARCHAR[]), ' ') LIKE ${likeAnywhere(text)}
  UNION ALL
  SELECT l.run_key, l.run_repository, l.run_id, l.run_attempt, l.run_job, l.inputs_sha256, l.step_id, l.text AS command
  FROM log_lines l
  WHERE l.marker = 'command' AND l.text LIKE ${likeAnywhere(text)}
)
SELECT r.run_key, r.run_repository, r.run_id, r.run_attempt, r.run_job, r.inputs_sha256,
  string_agg(DISTINCT s.name, '; ' ORDER BY s.name) AS steps, count(*) AS times, min(r.command) AS example
FROM ran r LEFT JOIN steps s ON s.run_key = r.run_key AND s.id = r.step_id
GROUP BY ALL
ORDER BY r.run_repository, r.run_id, r.run_attempt, r.run_key`;
}

/**
 * Every run where an action's commit changed: the ref it used differs from the one the previous run of the same
 * repository, workflow and job used (runs ordered by run id and attempt). `action` = owner/repo[/path], or `*`
 * for every action.
 */
export function actionChangedHunt(action: string): string {
  const filter = action === '*' ? '' : `WHERE lower(action) = ${lit(action.toLowerCase())}`;
  return `WITH used AS (
  SELECT DISTINCT s.run_key, s.run_repository, s.run_workflow, s.run_id, s.run_attempt, s.run_job, s.inputs_sha256,
    regexp_extract(s.uses, '^(.*)@([^@]*)$', 1) AS action, regexp_extract(s.uses, '^(.*)@([^@]*)$', 2) AS ref
  FROM steps s WHERE s.uses LIKE '%@%'
), runs_of AS (
  SELECT * FROM used ${filter}
), seq AS (
  SELECT *, lag(ref) OVER (PARTITION BY run_repository, run_workflow, run_job, action ORDER BY run_id, run_attempt, run_key) AS previous_ref
  FROM runs_of
)
SELECT run_key, run_repository, run_id, run_attempt, run_job, inputs_sha256, action, previous_ref, ref
FROM seq WHERE previous_ref IS NOT NULL AND previous_ref <> ref
ORDER BY run_repository, run_id, run_attempt, run_key, action`;
}
