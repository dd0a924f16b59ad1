/**
 * Case files an attacker (or an older Runlens) could hand over, built from a real case (queries-fixture) with
 * better-sqlite3 directly: older schema versions, WAL mode, views, triggers, extra or altered objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCase } from '../../electron/db/open';
import { buildCase } from '../unit/queries-fixture';

/** A real, current case copied to `file`, then changed by `sql` (in a rollback-journal file, as Runlens writes). */
export function craftCase(dir: string, file: string, sql: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `.base-${path.basename(file)}`);
  fs.mkdirSync(base, { recursive: true });
  const good = buildCase(base);
  fs.copyFileSync(good, file);
  fs.rmSync(base, { recursive: true, force: true });
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec(sql);
  db.pragma('journal_mode = DELETE');
  db.close();
  return file;
}

/** The recursive view of the review: `steps` replaced by a view that never ends. */
export const RECURSIVE_STEPS_VIEW = `
DROP TABLE steps;
CREATE VIEW steps AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
  SELECT n AS id, 'test' AS job, n AS number, 'x' AS name, NULL AS uses, NULL AS started_at, NULL AS completed_at,
         NULL AS conclusion, 'files' AS origin, NULL AS source_id, NULL AS line, NULL AS raw FROM r;`;

/** A case of schema version 1 (before the indexes), left in WAL mode as an older Runlens left its cases. */
export function olderWalCase(file: string): string {
  const db = createCase(file);
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('run', JSON.stringify({ repository: 'acme/web', job: 'test' }));
  db.prepare("INSERT INTO steps(job, number, name, origin) VALUES ('test', 1, 'Set up job', 'files')").run();
  db.pragma('journal_mode = WAL');
  db.close();
  return file;
}

/** A case of schema version 1 in rollback-journal mode. */
export function olderCase(file: string): string {
  const db = createCase(file);
  db.prepare("INSERT INTO steps(job, number, name, origin) VALUES ('test', 1, 'Set up job', 'files')").run();
  db.close();
  return file;
}
