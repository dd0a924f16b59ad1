import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/open';
import { ghaLogImporter } from '../../electron/import/gha/index';
import { finalizeLogs } from '../../electron/import/gha/finalize-logs';
import type { InputFile, RecordSink } from '../../electron/import/types';
import type { LogLineRecord, StepRecord } from '../../shared/model';
import { tempCase } from './gha-case';

/**
 * A 1,000,000-physical-line job log: a `##[group]Run` step every 5,000 lines, ANSI-coloured echo lines, and every
 * 50th line an untimed continuation. Written to a temp file, then streamed through the importer.
 */
function writeBigLog(file: string, n: number): void {
  const fd = fs.openSync(file, 'w');
  const base = Date.UTC(2026, 9, 14, 9, 0, 0);
  let buf: string[] = [];
  for (let i = 0; i < n; i++) {
    const ms = base + Math.floor(i / 10);
    const stamp = new Date(ms)
      .toISOString()
      .replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(i % 10000).padStart(4, '0')}Z`);
    let line: string;
    if (i % 5000 === 0) line = `${stamp} ##[group]Run step-${i / 5000}`;
    else if (i % 5000 === 10) line = `${stamp} ##[endgroup]`;
    else if (i % 50 === 7) line = `continuation of the line before, number ${i}`;
    else if (i % 3 === 0)
      line = `${stamp} \x1b[36;1mecho "hello ${i}" && curl -sS https://api.example.test/v1/${i}\x1b[0m`;
    else line = `${stamp} plain output line ${i} with some ordinary text that is typical of build logs`;
    buf.push(line);
    if (buf.length === 20000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

class CountingSink implements RecordSink {
  lines = 0;
  continued = 0;
  markers = 0;
  steps: StepRecord[] = [];
  warnings: string[] = [];
  onLine: ((l: LogLineRecord) => void) | null = null;
  run() {}
  policy() {}
  step(r: StepRecord) {
    this.steps.push(r);
  }
  logLine(r: LogLineRecord) {
    this.lines++;
    if (r.line_end !== r.line) this.continued++;
    if (r.marker) this.markers++;
    this.onLine?.(r);
  }
  processEvent() {}
  network() {}
  dns() {}
  fileEvent() {}
  detection() {}
  warn(_l: number | null, m: string) {
    this.warnings.push(m);
  }
}

function input(file: string, relPath: string): InputFile {
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  return { name: file, relPath, bytes: fs.statSync(file).size, head: head.subarray(0, n) };
}

describe('a million-line log (streaming)', () => {
  const c = tempCase();
  const big = path.join(c.dir, 'big.txt');
  const medium = path.join(c.dir, 'medium.txt');
  beforeAll(() => {
    writeBigLog(big, 1_000_000);
    writeBigLog(medium, 200_000);
  });
  afterAll(() => c.done());

  it('imports a 1,000,000-line job log', async () => {
    const sink = new CountingSink();
    const file = input(big, '1_build.txt');
    expect(ghaLogImporter.sniff(file)).toBeGreaterThan(0);
    await ghaLogImporter.read(file, fs.createReadStream(big, { highWaterMark: 1 << 20 }), sink, {
      date: null,
      signal: new AbortController().signal,
    });
    // 1,000,000 physical lines, of which every 50th (20,000) continues the line before
    expect(sink.lines).toBe(980_000);
    expect(sink.continued).toBe(20_000);
    expect(sink.markers).toBe(400);
    expect(sink.steps).toHaveLength(200); // line 1 is `##[group]Run step-0`: no Set up job, 200 Run steps
    expect(sink.warnings).toEqual([]);
  });

  it('finalizes 200,000 lines into reading order with steps, depth and FTS', async () => {
    const { db } = c;
    const ins = db.prepare(
      `INSERT INTO log_lines (job, step_number, seq, ts, raw, text, marker, file_kind, source_id, line, line_end)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    const insStep = db.prepare(
      `INSERT INTO steps (job, number, name, uses, started_at, completed_at, conclusion, origin, line, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sink = new CountingSink();
    sink.onLine = (l) =>
      ins.run(l.job, l.step_number, l.seq, l.ts, l.text, l.plain, l.marker, l.file_kind, l.line, l.line_end);
    db.exec('BEGIN');
    await ghaLogImporter.read(input(medium, '1_build.txt'), fs.createReadStream(medium), sink, {
      date: null,
      signal: new AbortController().signal,
    });
    for (const s of sink.steps)
      insStep.run(s.job, s.number, s.name, s.uses, s.started_at, s.completed_at, s.conclusion, s.origin, s.line, s.raw);
    db.exec('COMMIT');
    migrate(db);
    const warnings: unknown[] = [];
    finalizeLogs(db, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
    const r = db
      .prepare(
        `SELECT count(*) AS n, count(step_id) AS withStep, max(depth) AS maxDepth, sum(depth) AS deep FROM log_lines`,
      )
      .get() as { n: number; withStep: number; maxDepth: number; deep: number };
    expect(r.n).toBe(196_000);
    expect(r.withStep).toBe(196_000);
    expect(r.maxDepth).toBe(1);
    // inside each group: lines 1-9 after ##[group] (line 0), before ##[endgroup] (line 10); line 7 continues line 6
    expect(r.deep).toBe(40 * 8);
    const steps = db.prepare(`SELECT number, name FROM steps ORDER BY number`).all() as {
      number: number;
      name: string;
    }[];
    expect(steps).toHaveLength(40);
    expect(steps[0]).toEqual({ number: 1, name: 'Run step-0' });
    const perStep = db
      .prepare(`SELECT count(*) AS n FROM log_lines WHERE step_id = (SELECT id FROM steps WHERE number = 2)`)
      .get() as { n: number };
    expect(perStep.n).toBe(4900);
    const fts = db.prepare(`SELECT count(*) AS n FROM log_fts WHERE log_fts MATCH '"api.example.test"'`).get() as {
      n: number;
    };
    expect(fts.n).toBeGreaterThan(60_000);
  });
});
