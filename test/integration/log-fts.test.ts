/**
 * The log's full-text index built away from the case (import/log-fts.ts): the texts staged in a private file, the
 * index built there as FTS5's `rebuild` builds it, and copied into the case — byte for byte the case's own rebuild —
 * only when it covers exactly the case's lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, type Db } from '../../electron/db/open';
import { buildFtsFile, rebuildFts, stageFtsText, takeFtsFile } from '../../electron/import/log-fts';
import { tempDir } from './import-helpers';

let work: string;
beforeAll(() => {
  work = tempDir('rl-log-fts-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TEXTS = [
  'Resolving telemetry.exfil.example (203.0.113.7)',
  'curl -sS https://cdn.example/install.sh | sh',
  '##[group]Run npm ci',
  'added 1270 packages in 14s',
  'a line in Ελληνικά and 日本語, and a token_with-chars:v1.2',
];

/** A case holding `n` log lines (texts cycled from TEXTS, each with its number). */
function caseWith(name: string, n: number): Db {
  const db = createCase(path.join(work, `${name}.runlens`), { bulkLoad: true });
  const ins = db.prepare(`INSERT INTO log_lines (job, seq, ts, raw, text, file_kind, line) VALUES ('build', ?, ?, ?, ?, 'job', ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const t = `${TEXTS[i % TEXTS.length]} #${i}`;
      ins.run(i, BigInt(i) * 1000n, t, t, i + 1);
    }
  })();
  return db;
}

const shadow = (db: Db) => ['data', 'idx', 'docsize', 'config'].map((t) => db.prepare(`SELECT * FROM log_fts_${t} ORDER BY 1, 2`).raw(true).all());
const open = (p: string) => new Database(p, { fileMustExist: true });

describe('the full-text index built in a private file', () => {
  it('is the index the case rebuilds itself, byte for byte, and answers the same', () => {
    const mine = caseWith('mine', 3000);
    const theirs = caseWith('theirs', 3000);
    try {
      rebuildFts(mine);
      const file = path.join(work, 'mine.fts');
      expect(stageFtsText(theirs, file)).toBe(3000);
      buildFtsFile(open, file);
      expect(takeFtsFile(theirs, file, 3000)).toBe(true);
      expect(shadow(theirs)).toEqual(shadow(mine));
      expect((shadow(theirs)[2] as unknown[]).length).toBe(3000);
      theirs.exec(`INSERT INTO log_fts(log_fts, rank) VALUES('integrity-check', 1)`); // against the lines themselves
      const match = (db: Db, q: string) => db.prepare('SELECT rowid FROM log_fts WHERE log_fts MATCH ? ORDER BY rowid').pluck().all(q);
      for (const q of ['"telemetry.exfil.example"', 'Ελληνικά', '"token_with-chars:v1.2"', 'npm']) {
        expect(match(theirs, q).length).toBeGreaterThan(0);
        expect(match(theirs, q)).toEqual(match(mine, q));
      }
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('is not taken when the case holds other lines than those staged (the caller rebuilds)', () => {
    for (const change of ['added', 'count'] as const) {
      const db = caseWith(`changed-${change}`, 500);
      try {
        const file = path.join(work, `changed-${change}.fts`);
        stageFtsText(db, file);
        buildFtsFile(open, file);
        if (change === 'added') {
          db.prepare(`INSERT INTO log_lines (job, seq, raw, text, file_kind) VALUES ('build', 999, 'late', 'late', 'job')`).run();
        }
        const before = shadow(db);
        // a line added after the texts were staged; or the caller's count of lines not the one staged
        expect(takeFtsFile(db, file, change === 'count' ? 499 : 500)).toBe(false);
        expect(shadow(db)).toEqual(before); // nothing copied
        expect(db.prepare('SELECT count(*) FROM log_fts_docsize').pluck().get()).toBe(0);
      } finally {
        db.close();
      }
    }
  });
});
