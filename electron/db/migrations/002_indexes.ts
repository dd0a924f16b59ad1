/**
 * Migration 2: the indexes the queries use (checked with EXPLAIN QUERY PLAN in test/integration). The calls' may
 * exist already: an import copies them with the calls from its calls worker (import/calls-side.ts); so may the log
 * lines': an import builds them while it waits for that worker (gha/finalize-logs.ts prepareLogsEarly). (SQLite
 * stores the statements without `IF NOT EXISTS`: the schema is the same either way.)
 */
export const sql = /* sql */ `
CREATE INDEX IF NOT EXISTS log_lines_ts ON log_lines(ts);
CREATE INDEX IF NOT EXISTS log_lines_step ON log_lines(step_id, id);
CREATE INDEX processes_pid ON processes(pid, start);
CREATE INDEX processes_parent ON processes(parent_id);
CREATE INDEX process_events_ts ON process_events(ts);
CREATE INDEX process_events_process ON process_events(process_id);
CREATE INDEX IF NOT EXISTS network_ts ON network(ts);
CREATE INDEX IF NOT EXISTS network_process ON network(process_id, ts);
CREATE INDEX IF NOT EXISTS network_endpoint ON network(endpoint);
CREATE INDEX IF NOT EXISTS network_finding ON network(finding_id, ts);
CREATE INDEX dns_ts ON dns(ts);
CREATE INDEX dns_answers_ip ON dns_answers(ip, ts);
CREATE INDEX file_events_ts ON file_events(ts);
CREATE INDEX file_events_process ON file_events(process_id, ts);
CREATE INDEX steps_job ON steps(job, number);
`;
