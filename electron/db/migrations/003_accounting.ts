/**
 * Migration 3 (gha): no silent loss, and what the GitHub log itself says.
 * - `sources`: per input file, what was read and what became of it: bytes and physical lines read, records stored,
 *   lines those records cover, lines skipped and why (`skipped` is a JSON object {reason: lines}). For every file an
 *   importer read: lines = lines_stored + lines_skipped (test/integration/accounting.test.ts). NULL for containers
 *   and files no importer took (those have a `warnings` row instead).
 * - `steps.action_sha`: the commit an action reference resolved to, from the job's `Download action repository
 *   'owner/repo@ref' (SHA:…)` line (or an immutable action package's `Source commit SHA:`).
 * - `log_mentions`: hosts, URLs and IP addresses written in log lines. What the log MENTIONS, never what the run
 *   was seen to call (the `network` table); kept apart so the two are never mixed.
 */
export const sql = /* sql */ `
ALTER TABLE sources ADD COLUMN bytes_read INTEGER;
ALTER TABLE sources ADD COLUMN lines INTEGER;
ALTER TABLE sources ADD COLUMN records INTEGER;
ALTER TABLE sources ADD COLUMN lines_stored INTEGER;
ALTER TABLE sources ADD COLUMN lines_skipped INTEGER;
ALTER TABLE sources ADD COLUMN skipped TEXT;
ALTER TABLE steps ADD COLUMN action_sha TEXT;
CREATE TABLE log_mentions (
  id          INTEGER PRIMARY KEY,
  log_line_id INTEGER NOT NULL REFERENCES log_lines(id),
  kind        TEXT NOT NULL,     -- host | url | ip
  value       TEXT NOT NULL,     -- as written (a URL whole; a host lower-cased)
  host        TEXT NOT NULL      -- the host or IP it names, lower-cased
);
CREATE INDEX log_mentions_host ON log_mentions(host);
CREATE INDEX log_mentions_line ON log_mentions(log_line_id);
`;
