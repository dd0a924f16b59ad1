/**
 * The reference of benchmark 1: a bare better-sqlite3 insert of as many rows as the import stored, with the same
 * values. The evidence rows (calls, process events, log lines) are read back from the imported case in chunks of
 * raw arrays (not timed) and inserted into a new database with the same tables, no indexes, no FTS, default
 * pragmas, one transaction, one prepared single-row INSERT per table (timed: only the `run` calls and the COMMIT).
 */
import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { nowMs } from './measure';

const TABLES = ['network', 'process_events', 'log_lines'] as const;
const CHUNK = 20_000;

export interface BareInsert {
  ms: number;
  rows: number;
  perTable: Map<string, { rows: number; ms: number }>;
}

export function bareInsert(casePath: string, target: string): BareInsert {
  fs.rmSync(target, { force: true });
  const src = new Database(casePath, { readonly: true });
  const dst = new Database(target);
  const perTable = new Map<string, { rows: number; ms: number }>();
  let ms = 0;
  let rows = 0;
  try {
    for (const t of TABLES) {
      const create = (src.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t) as { sql: string }).sql;
      // the same columns and types, without REFERENCES (a bare table: no foreign keys to check anyway)
      dst.exec(create.replace(/REFERENCES \w+\(\w+\)/g, ''));
    }
    let t0 = nowMs();
    dst.exec('BEGIN');
    ms += nowMs() - t0;
    for (const t of TABLES) {
      const cols = (src.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((c) => c.name);
      const ins = dst.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      const sel = src.prepare(`SELECT ${cols.join(', ')} FROM ${t} WHERE id > ? ORDER BY id LIMIT ${CHUNK}`).safeIntegers(true).raw(true);
      let after: bigint | number = 0;
      let n = 0;
      let tMs = 0;
      for (;;) {
        const chunk = sel.all(after) as unknown[][];
        if (chunk.length === 0) break;
        t0 = nowMs();
        for (const r of chunk) ins.run(r);
        tMs += nowMs() - t0;
        n += chunk.length;
        after = chunk[chunk.length - 1]![0] as bigint;
      }
      perTable.set(t, { rows: n, ms: tMs });
      ms += tMs;
      rows += n;
    }
    t0 = nowMs();
    dst.exec('COMMIT');
    ms += nowMs() - t0;
  } finally {
    src.close();
    dst.close();
    fs.rmSync(target, { force: true });
  }
  return { ms, rows, perTable };
}
