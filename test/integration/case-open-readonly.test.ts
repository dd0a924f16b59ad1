/**
 * Issue 11 #1 and #2: opening never changes a file, and a crafted case never runs its own SQL. Real SQLite files,
 * the real CLI (child process), real `startServe`. Every test compares the folder's files (hashes, sizes, mtimes)
 * before and after: no byte changed, no `-wal`/`-shm`/`-journal` appeared, even when the open fails.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFileError, CaseUpgradeNeeded, openCaseReadOnly } from '../../electron/db/open';
import { normalizeSql, schemaProblems } from '../../electron/db/schema-trust';
import { upgradeCaseCopy } from '../../electron/db/upgrade';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/db/migrations/index';
import { startServe } from '../../electron/serve/server';
import { craftCase, olderCase, olderWalCase, RECURSIVE_STEPS_VIEW } from '../support/crafted-cases';
import { folderState } from '../support/file-state';
import { buildCase } from '../unit/queries-fixture';
import { buildCli, runlens } from './cli-helpers';

let root: string;
let n = 0;
const fresh = () => {
  const d = path.join(root, `t${++n}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const env = () => ({ RUNLENS_DATA_DIR: path.join(root, 'data') });

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-open-ro-'));
  await buildCli();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a read never writes', () => {
  it('an older case in WAL mode named evidence.zip is not taken for a case and stays byte-identical', () => {
    const d = fresh();
    const ev = olderWalCase(path.join(d, 'evidence.zip'));
    const before = folderState(d);
    const r = runlens(['steps', ev], env());
    expect(folderState(d)).toEqual(before);
    // imported as evidence (an unrecognised file), never opened as a case nor migrated
    expect(r.stderr).not.toMatch(/upgrade/);
  });

  it('an older .runlens case is refused with the command that upgrades it; nothing beside it changes', () => {
    const d = fresh();
    const c = olderWalCase(path.join(d, 'old.runlens'));
    const before = folderState(d);
    const r = runlens(['steps', c], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`runlens upgrade ${c}`);
    expect(folderState(d)).toEqual(before);
    expect(() => openCaseReadOnly(c)).toThrow(CaseUpgradeNeeded);
    expect(folderState(d)).toEqual(before);
  });

  it('an older rollback-journal case is refused too, and `runlens upgrade` writes a working copy in the case folder', () => {
    const d = fresh();
    const c = olderCase(path.join(d, 'old.runlens'));
    const before = folderState(d);
    expect(() => openCaseReadOnly(c)).toThrow(/runlens upgrade/);
    const out = path.join(root, 'upgraded');
    const r = runlens(['upgrade', c, '--dir', out, '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const copy = (JSON.parse(r.stdout) as { case: string }).case;
    expect(path.dirname(copy)).toBe(out);
    expect(folderState(d)).toEqual(before);
    const db = openCaseReadOnly(copy);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect((db.prepare('SELECT name FROM steps').get() as { name: string }).name).toBe('Set up job');
    db.close();
    // again: the same copy is reused
    expect(upgradeCaseCopy(c, out)).toEqual({ case: copy, written: false });
    expect(fs.readdirSync(out)).toEqual([path.basename(copy)]);
  });

  it('the WAL case upgrades as a copy too (its -wal read, not changed)', () => {
    const d = fresh();
    const c = olderWalCase(path.join(d, 'old.runlens'));
    const before = folderState(d);
    const r = upgradeCaseCopy(c, path.join(d, '..', 'up-wal'));
    expect(r.written).toBe(true);
    expect(folderState(d)).toEqual(before);
    const db = openCaseReadOnly(r.case);
    expect(db.prepare('SELECT count(*) AS n FROM steps').get()).toEqual({ n: 1 });
    db.close();
  });

  it('a current case opens, and reading it leaves the folder as it was', () => {
    const d = fresh();
    const c = buildCase(d);
    const before = folderState(d);
    const r = runlens(['steps', c, '--json'], env());
    expect(r.code).toBe(0);
    expect(folderState(d)).toEqual(before);
  });

  it('a newer schema, a non-SQLite .runlens file and a FIFO fail with one line and change nothing', () => {
    const d = fresh();
    const newer = buildCase(d);
    const db = new Database(newer);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    fs.writeFileSync(path.join(d, 'text.runlens'), 'not sqlite\n');
    const before = folderState(d);
    expect(() => openCaseReadOnly(newer)).toThrow(/newer than this Runlens/);
    expect(() => openCaseReadOnly(path.join(d, 'text.runlens'))).toThrow(/not an SQLite database/);
    expect(folderState(d)).toEqual(before);
    if (process.platform !== 'win32') {
      const fifo = path.join(d, 'pipe.runlens');
      if (spawnSync('mkfifo', [fifo]).status === 0) expect(() => openCaseReadOnly(fifo)).toThrow(/not a regular file/);
    }
  });

  it('import --case --force does not replace an SQLite file that is not a Runlens case', () => {
    const d = fresh();
    const victim = path.join(d, 'victim.runlens');
    const db = new Database(victim);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.close();
    fs.writeFileSync(path.join(d, 'a.log'), 'hello\n');
    const before = folderState(d);
    const r = runlens(['import', path.join(d, 'a.log'), '--case', victim, '--force'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a case file/);
    expect(folderState(d)).toEqual(before);
  });
});

describe('a crafted case never runs its SQL', () => {
  const crafted: [string, string, RegExp][] = [
    ['steps as a recursive view', RECURSIVE_STEPS_VIEW, /view "steps"/],
    ['a trigger', `CREATE TRIGGER t AFTER INSERT ON notes_x BEGIN SELECT 1; END;`.replace('notes_x', 'meta'), /trigger "t"/],
    ['an extra table', 'CREATE TABLE extra(x)', /unexpected table "extra"/],
    ['an extra index on an expression', 'CREATE INDEX ix ON network(length(raw))', /unexpected index "ix"/],
    ['a generated column', `DROP TABLE meta; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, v AS (length(value)))`, /table "meta" is not defined/],
    ['a missing table', 'DROP TABLE dns_answers', /missing table dns_answers/],
  ];
  for (const [what, sql, msg] of crafted) {
    it(`refuses ${what} (library, CLI), leaving the file as it was`, () => {
      const d = fresh();
      const c = craftCase(d, path.join(d, 'crafted.runlens'), sql);
      const before = folderState(d);
      expect(() => openCaseReadOnly(c)).toThrow(CaseFileError);
      expect(() => openCaseReadOnly(c)).toThrow(msg);
      const r = runlens(['steps', c], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not a Runlens case schema/);
      expect(folderState(d)).toEqual(before);
    });
  }

  it('serve refuses the recursive-view case with a clear message instead of hanging', async () => {
    const d = fresh();
    const c = craftCase(d, path.join(d, 'crafted.runlens'), RECURSIVE_STEPS_VIEW);
    const staticDir = path.join(d, 'renderer');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    await expect(startServe({ target: c, port: 0, staticDir, caseDir: path.join(d, 'cases') })).rejects.toThrow(/view "steps"/);
  });

  it('comments and whitespace do not matter to the comparison; code in a string does', () => {
    expect(normalizeSql('CREATE TABLE a ( -- c\n x  TEXT /* d */ )')).toBe(normalizeSql('CREATE TABLE a ( x TEXT )'));
    expect(normalizeSql("CREATE TABLE a (x DEFAULT '--', y)")).not.toBe(normalizeSql("CREATE TABLE a (x DEFAULT '"));
  });

  it('the current migrations pass their own check', () => {
    const d = fresh();
    const db = new Database(buildCase(d), { readonly: true });
    expect(schemaProblems(db, LATEST_VERSION)).toEqual([]);
    db.close();
  });

  it('a partial case may hold a later migration\'s objects already, each exactly as defined; nothing else', () => {
    // The importer of a case being built creates the calls' indexes (migration 2) before its load (version 1).
    const db = new Database(':memory:');
    db.exec(MIGRATIONS.find((m) => m.version === 1)!.sql);
    db.exec('CREATE INDEX network_ts ON network(ts)');
    expect(schemaProblems(db, 1)).toEqual(['unexpected index "network_ts"']);
    expect(schemaProblems(db, 1, LATEST_VERSION)).toEqual([]);
    // the same name over other columns, or an object no migration makes, is still refused
    db.exec('DROP INDEX network_ts; CREATE INDEX network_ts ON network(endpoint)');
    expect(schemaProblems(db, 1, LATEST_VERSION)).toEqual(['index "network_ts" is not defined as Runlens defines it']);
    db.exec('DROP INDEX network_ts; CREATE INDEX sneaky ON network(ts)');
    expect(schemaProblems(db, 1, LATEST_VERSION)).toEqual(['unexpected index "sneaky"']);
    db.close();
  });
});
