/**
 * Benchmark 7: a big job log on screen. Measured: from the start of `runImport` of the lone job log to its first
 * 200 lines read from the case being built (the partial case reported in the import's progress, opened read-only
 * and asked `log.window` as the log pane does: first screen first, partial-case.ts). Reference: lnav indexing the
 * same file (`lnav -n -c ';SELECT count(*) FROM all_logs' <file>`: it reads and indexes every line before it runs
 * the query; HOME in a temp dir so its config and index stay out of the user's), run before and after, mean taken.
 * The whole import is timed too and printed beside it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openPartialCase, importState } from '../electron/import/partial-case';
import { runImport } from '../electron/import/run-import';
import { logWindow } from '../electron/queries/log-window';
import { parseParams } from '../shared/api';
import { fmtMs, gc, nowMs } from './measure';
import type { BenchResult } from './report';

export const LNAV = '/usr/bin/lnav';

function lnavIndex(file: string, home: string): { ms: number; lines: number } {
  const t = nowMs();
  const r = spawnSync(LNAV, ['-n', '-c', ';SELECT count(*) AS n FROM all_logs', file], {
    env: { ...process.env, HOME: home, TERM: 'dumb' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const ms = nowMs() - t;
  if (r.status !== 0) throw new Error(`lnav failed (${r.status}): ${(r.stderr || '').split('\n')[0]}`);
  const m = /(\d+)\s*$/.exec(r.stdout.trim());
  return { ms, lines: m ? Number(m[1]) : 0 };
}

export async function firstScreenBench(logFile: string, dir: string, lines: number): Promise<BenchResult> {
  if (!fs.existsSync(LNAV)) throw new Error(`lnav is not installed (${LNAV}): no reference`);
  const home = path.join(dir, 'lnav-home');
  fs.mkdirSync(home, { recursive: true });
  const ref1 = lnavIndex(logFile, home);
  if (ref1.lines < lines * 0.5) throw new Error(`lnav indexed ${ref1.lines} lines of ${lines}`);

  gc();
  const casePath = path.join(dir, 'log-only.runlens');
  let firstMs = -1;
  let firstRows = 0;
  let firstState = '';
  let firstLoaded = 0;
  const t0 = nowMs();
  const summary = await runImport({
    inputs: [logFile],
    casePath,
    force: true,
    onProgress: (p) => {
      if (!p.partial || firstMs >= 0) return;
      const db = openPartialCase(p.partial);
      try {
        const page = logWindow(db, parseParams<'log.window'>('log.window', { offset: 0, limit: 200 }).params);
        firstRows = page.rows.length;
        firstLoaded = page.total;
        firstState = importState(db);
      } finally {
        db.close();
      }
      firstMs = nowMs() - t0;
    },
  });
  const totalMs = nowMs() - t0;
  fs.rmSync(casePath, { force: true });
  gc();
  const ref2 = lnavIndex(logFile, home);
  const refMs = (ref1.ms + ref2.ms) / 2;
  if (firstMs < 0 || firstRows !== 200) throw new Error(`no first screen of 200 lines (got ${firstRows})`);
  if (summary.counts.log_lines !== lines) throw new Error(`imported ${summary.counts.log_lines} lines, expected ${lines}`);
  const mib = fs.statSync(logFile).size / 1048576;
  return {
    id: '7',
    name: `a ${lines >= 1e6 ? `${lines / 1e6}M` : `${lines / 1000}k`}-line job log on screen vs lnav indexing it`,
    measured: 'runImport of the log -> its first 200 lines read (log.window) from the partial case',
    measuredMs: firstMs,
    reference: `lnav -n -c ';SELECT count(*) FROM all_logs' (indexes every line; ${ref1.lines} lines)`,
    referenceMs: refMs,
    maxRatio: 1,
    notes: [
      `file ${mib.toFixed(0)} MiB; first screen at ${firstLoaded} lines loaded (state '${firstState}'); whole import ${fmtMs(totalMs)} = ${(totalMs / refMs).toFixed(2)}x lnav`,
      `lnav runs: ${fmtMs(ref1.ms)} before, ${fmtMs(ref2.ms)} after (mean taken); the page's own render of the rows is not included (see docs/benchmarks.md)`,
    ],
  };
}
