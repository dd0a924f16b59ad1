/**
 * Test helpers: a real case file in a temp dir, and a minimal stand-in for the import writer that stores what the
 * GitHub log importer emitted (sources, steps, log lines) the way the schema documents it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCase, type Db } from '../../electron/db/open';
import type { StepRecord } from '../../shared/model';
import type { MemorySink } from '../unit/gha-sink';

export function tempCase(): { db: Db; dir: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-gha-'));
  const db = createCase(path.join(dir, 'case.runlens'));
  return {
    db,
    dir,
    done: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function addSource(db: Db, displayPath: string, member: string | null): number {
  const r = db
    .prepare(
      `INSERT INTO sources (parent_id, path, member, format, sha256, bytes) VALUES (NULL, ?, ?, 'gha-log', ?, 0)`,
    )
    .run(displayPath, member, '0'.repeat(64));
  return Number(r.lastInsertRowid);
}

export function insertStep(db: Db, s: StepRecord, sourceId: number | null): void {
  db.prepare(
    `INSERT INTO steps (job, number, name, uses, started_at, completed_at, conclusion, origin, source_id, line, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.job, s.number, s.name, s.uses, s.started_at, s.completed_at, s.conclusion, s.origin, sourceId, s.line, s.raw);
}

/** Store one file's records (as the writer would). */
export function storeSink(db: Db, sink: MemorySink, displayPath: string, member: string | null): number {
  const src = addSource(db, displayPath, member);
  const ins = db.prepare(
    `INSERT INTO log_lines (job, step_number, seq, ts, raw, text, marker, file_kind, source_id, line, line_end)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const l of sink.lines) {
      ins.run(l.job, l.step_number, l.seq, l.ts, l.text, l.plain, l.marker, l.file_kind, src, l.line, l.line_end);
    }
    for (const s of sink.steps) insertStep(db, s, src);
  })();
  return src;
}

export interface LineRow {
  id: number;
  job: string;
  step_id: number | null;
  step_number: number | null;
  ts: bigint | null;
  text: string;
  marker: string | null;
  depth: number;
  file_kind: string;
  source_id: number | null;
  line: number;
  line_end: number;
}

export function allLines(db: Db): LineRow[] {
  const rows = db.prepare(`SELECT * FROM log_lines ORDER BY id`).safeIntegers(true).all() as Record<string, unknown>[];
  return rows.map((r) => ({
    id: Number(r.id),
    job: r.job as string,
    step_id: r.step_id === null ? null : Number(r.step_id),
    step_number: r.step_number === null ? null : Number(r.step_number),
    ts: r.ts as bigint | null,
    text: r.text as string,
    marker: r.marker as string | null,
    depth: Number(r.depth),
    file_kind: r.file_kind as string,
    source_id: r.source_id === null ? null : Number(r.source_id),
    line: Number(r.line),
    line_end: Number(r.line_end),
  }));
}

export interface StepRow {
  id: number;
  job: string;
  number: number;
  name: string;
  uses: string | null;
  origin: string;
  started_at: bigint | null;
  completed_at: bigint | null;
  conclusion: string | null;
}

export function allSteps(db: Db): StepRow[] {
  const rows = db.prepare(`SELECT * FROM steps ORDER BY job, number`).safeIntegers(true).all() as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    id: Number(r.id),
    job: r.job as string,
    number: Number(r.number),
    name: r.name as string,
    uses: r.uses as string | null,
    origin: r.origin as string,
    started_at: r.started_at as bigint | null,
    completed_at: r.completed_at as bigint | null,
    conclusion: r.conclusion as string | null,
  }));
}
