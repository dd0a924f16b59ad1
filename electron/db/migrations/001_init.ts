/**
 * Migration 1: the case schema. Times are INTEGER nanoseconds since the Unix epoch, UTC (read them with
 * `safeIntegers`). Every evidence row keeps `source_id` + `line` + `raw`: where it came from, and what it said.
 * Indexes that only the queries need are created in migration 2, after the bulk load (see docs/schema.md).
 */
export const sql = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- JSON
);

-- Every file read: an input given by the user, or a member of an archive (parent_id -> the archive).
CREATE TABLE sources (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES sources(id),
  path      TEXT NOT NULL,       -- display name: input path, or "archive!/member"
  member    TEXT,                -- path inside the archive / bundle folder, '/'-separated; NULL for a top-level input
  format    TEXT,                -- importer that read it (NULL: not recognised / container)
  sha256    TEXT NOT NULL,
  bytes     INTEGER NOT NULL,
  offset_ns INTEGER NOT NULL DEFAULT 0   -- clock offset applied to this source's times
);

CREATE TABLE warnings (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER REFERENCES sources(id),
  file      TEXT,
  line      INTEGER,
  message   TEXT NOT NULL
);

CREATE TABLE steps (
  id           INTEGER PRIMARY KEY,
  job          TEXT NOT NULL,
  number       INTEGER NOT NULL,
  name         TEXT NOT NULL,
  uses         TEXT,
  started_at   INTEGER,
  completed_at INTEGER,
  conclusion   TEXT,
  origin       TEXT NOT NULL,    -- manifest | files | groups
  source_id    INTEGER REFERENCES sources(id),
  line         INTEGER,
  raw          TEXT
);

CREATE TABLE log_lines (
  id        INTEGER PRIMARY KEY,   -- in job order after import: ORDER BY id is reading order
  job       TEXT NOT NULL,
  step_id   INTEGER REFERENCES steps(id),
  step_number INTEGER,             -- as the file said (step files); resolved into step_id at finalize
  seq       INTEGER NOT NULL,
  ts        INTEGER,
  raw       TEXT NOT NULL,         -- ANSI kept, timestamp prefix removed
  text      TEXT NOT NULL,         -- plain: ANSI and control sequences stripped
  marker    TEXT,                  -- group endgroup error warning notice debug command section
  depth     INTEGER NOT NULL DEFAULT 0,  -- ##[group] nesting
  file_kind TEXT NOT NULL,         -- step | job | single
  source_id INTEGER REFERENCES sources(id),
  line      INTEGER,
  line_end  INTEGER
);

CREATE VIRTUAL TABLE log_fts USING fts5(text, content='log_lines', content_rowid='id', tokenize="unicode61 tokenchars '.-_:'");

CREATE TABLE processes (
  id          INTEGER PRIMARY KEY,
  pid         INTEGER NOT NULL,
  ppid        INTEGER,
  parent_id   INTEGER REFERENCES processes(id),
  start       INTEGER,            -- exec time (NULL: only seen through later events)
  end         INTEGER,            -- exit time
  exe         TEXT,
  args        TEXT,               -- JSON array of strings
  cwd         TEXT,
  uid         INTEGER,
  exit_code   INTEGER,
  key         TEXT,               -- producer identity (exec_id …)
  step_id     INTEGER REFERENCES steps(id),   -- the step whose process tree this is
  entry_id    INTEGER REFERENCES processes(id), -- the step's entry process (child of the runner worker)
  depth       INTEGER NOT NULL DEFAULT 0,
  root_reason TEXT,               -- why this is a root when it has a ppid (missing parent, cycle, self-parent)
  source_id   INTEGER REFERENCES sources(id),
  line        INTEGER,
  raw         TEXT
);

CREATE TABLE process_events (
  id         INTEGER PRIMARY KEY,
  ts         INTEGER NOT NULL,
  event      TEXT NOT NULL,       -- exec | exit
  pid        INTEGER NOT NULL,
  ppid       INTEGER,
  exe        TEXT,
  args       TEXT,                -- JSON array
  cwd        TEXT,
  uid        INTEGER,
  exit_code  INTEGER,
  key        TEXT,
  parent_key TEXT,
  origin     TEXT NOT NULL,       -- events | table
  process_id INTEGER REFERENCES processes(id),
  source_id  INTEGER REFERENCES sources(id),
  line       INTEGER,
  raw        TEXT
);

CREATE TABLE network (
  id              INTEGER PRIMARY KEY,
  ts              INTEGER NOT NULL,
  pid             INTEGER,
  process_name    TEXT,
  process_id      INTEGER REFERENCES processes(id),
  domain          TEXT,           -- as given, or from DNS (domain_origin = 'dns')
  domain_origin   TEXT,           -- record | dns
  ip              TEXT,
  port            INTEGER NOT NULL,
  protocol        TEXT NOT NULL DEFAULT 'tcp',
  status          TEXT NOT NULL DEFAULT 'allowed',
  http_method     TEXT,
  http_host       TEXT,
  http_path       TEXT,
  http_status     INTEGER,
  policy_matched  TEXT,
  policy_reason   TEXT,
  tool_name       TEXT,
  tool_sha256     TEXT,
  command_line    TEXT,
  exe             TEXT,
  endpoint        TEXT,           -- normalized host:port
  verdict         TEXT,           -- allowed-by-policy | outside-policy | blocked | no-policy
  finding_id      INTEGER REFERENCES findings(id),
  step_id         INTEGER REFERENCES steps(id),
  running_step_id INTEGER REFERENCES steps(id),
  source_id       INTEGER REFERENCES sources(id),
  line            INTEGER,
  raw             TEXT
);

CREATE TABLE dns (
  id         INTEGER PRIMARY KEY,
  ts         INTEGER NOT NULL,
  domain     TEXT NOT NULL,
  type       TEXT,
  answers    TEXT NOT NULL,       -- JSON array
  pid        INTEGER,
  process_id INTEGER REFERENCES processes(id),
  source_id  INTEGER REFERENCES sources(id),
  line       INTEGER,
  raw        TEXT
);

-- One row per (answer, resolution): lets a bare IP find its domain.
CREATE TABLE dns_answers (
  dns_id INTEGER NOT NULL REFERENCES dns(id),
  ip     TEXT NOT NULL,
  ts     INTEGER NOT NULL,
  domain TEXT NOT NULL
);

CREATE TABLE file_events (
  id         INTEGER PRIMARY KEY,
  ts         INTEGER NOT NULL,
  pid        INTEGER,
  process_id INTEGER REFERENCES processes(id),
  exe        TEXT,
  path       TEXT NOT NULL,
  op         TEXT NOT NULL,
  sha256     TEXT,
  source_id  INTEGER REFERENCES sources(id),
  line       INTEGER,
  raw        TEXT
);

CREATE TABLE detections (
  id         INTEGER PRIMARY KEY,
  det_id     TEXT,
  kind       TEXT NOT NULL,
  severity   TEXT,
  title      TEXT,
  ts         INTEGER,
  endpoint   TEXT,
  pid        INTEGER,
  process_id INTEGER REFERENCES processes(id),
  source_id  INTEGER REFERENCES sources(id),
  line       INTEGER,
  raw        TEXT
);

-- Findings: the viewer's own (one per endpoint) and the producer's detections.
CREATE TABLE findings (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,     -- most specific kind
  kinds        TEXT NOT NULL,     -- JSON array of every kind that applies
  severity     TEXT NOT NULL,
  origin       TEXT NOT NULL,     -- viewer | producer
  endpoint     TEXT,
  title        TEXT,
  calls        INTEGER NOT NULL DEFAULT 0,
  first_seen   INTEGER,
  last_seen    INTEGER,
  detection_id INTEGER REFERENCES detections(id)
);
`;
