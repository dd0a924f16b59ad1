/**
 * Benchmark 1: importing a generated bundle (runImport: read, write, index, analyse, FTS) against a bare
 * better-sqlite3 insert of the same rows (bare-insert.ts; the old reference, the files read and JSON.parse'd with no
 * database, is printed as a note). The import's phases are timed from its own progress reports, and within each
 * phase the import thread's own spans (RunImportOptions.onSpan: its waits for the calls worker apart from its own
 * work, the copy, each log finalize step, the fsync) with that thread's CPU time, so a miss says where the time went.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { readLines } from '../electron/import/lines';
import { runImport, type ImportProgress, type ImportSummary } from '../electron/import/run-import';
import { threadCpuMs } from '../electron/import/spans';
import { bareInsert } from './bare-insert';
import type { BundleInfo } from './gen-data';
import { fmtMs, gc, nowMs, timeOnce } from './measure';
import type { BenchResult } from './report';

/** The reference: every file streamed through readLines; JSON files' lines (and the manifest) JSON.parse'd. */
export async function readReference(
  b: BundleInfo,
): Promise<{ lines: number; parsed: number; perFile: Map<string, number> }> {
  let lines = 0;
  let parsed = 0;
  const perFile = new Map<string, number>();
  for (const rel of b.files) {
    const t = nowMs();
    const file = path.join(b.dir, rel);
    if (rel.endsWith('.json')) {
      JSON.parse(fs.readFileSync(file, 'utf8'));
      parsed++;
    } else {
      const json = rel.endsWith('.jsonl');
      for await (const ln of readLines(fs.createReadStream(file))) {
        lines++;
        if (json && ln.text) {
          JSON.parse(ln.text);
          parsed++;
        }
      }
    }
    perFile.set(path.basename(rel), nowMs() - t);
  }
  return { lines, parsed, perFile };
}

export interface ImportRun {
  summary: ImportSummary;
  casePath: string;
}

/** Phase timings from the progress callback: `reading <file>` and `finalizing <analysis phase>`. */
class PhaseClock {
  private current: string | null = null;
  private since = 0;
  private cpuSince: number | null = null;
  readonly spans = new Map<string, number>();
  /** The import thread's CPU time per phase (null where the system does not say). */
  readonly cpu = new Map<string, number | null>();
  mark(p: ImportProgress): void {
    // a report without a file while reading (the first-screen notice once log lines are committed) is still the
    // file being read: it keeps its phase
    if (p.phase === 'reading' && !p.file && this.current?.startsWith('read ')) return;
    const key =
      p.phase === 'reading'
        ? `read ${path.basename(p.file ?? '')}`
        : p.phase === 'finalizing'
          ? `finalize ${p.file ?? 'start'}`
          : p.phase;
    if (key === this.current) return;
    this.stop();
    this.current = key;
    this.since = nowMs();
    this.cpuSince = threadCpuMs();
  }
  stop(): void {
    if (this.current !== null) {
      this.spans.set(this.current, (this.spans.get(this.current) ?? 0) + nowMs() - this.since);
      const c = threadCpuMs();
      const had = this.cpu.has(this.current) ? this.cpu.get(this.current)! : 0;
      this.cpu.set(this.current, had === null || c === null || this.cpuSince === null ? null : had + c - this.cpuSince);
    }
    this.current = null;
  }
  /** The import's finer spans (RunImportOptions.onSpan), each within the phase running when it ended. */
  readonly inner = new Map<string, Map<string, { ms: number; cpu: number | null; n: number }>>();
  span(name: string, ms: number, cpu: number | null): void {
    const phase = this.current ?? 'end';
    const m = this.inner.get(phase) ?? this.inner.set(phase, new Map()).get(phase)!;
    const x = m.get(name) ?? { ms: 0, cpu: 0, n: 0 };
    x.ms += ms;
    x.cpu = x.cpu === null || cpu === null ? null : x.cpu + cpu;
    x.n++;
    m.set(name, x);
  }
}

export async function importThroughput(
  b: BundleInfo,
  casePath: string,
  label: string,
): Promise<{ result: BenchResult; run: ImportRun }> {
  const notes: string[] = [];
  gc();
  const ref1 = await timeOnce(() => readReference(b));
  gc();
  const clock = new PhaseClock();
  const imp = await timeOnce(() =>
    runImport({ inputs: [b.dir], casePath, force: true, onProgress: (p) => clock.mark(p), onSpan: (n, ms, cpu) => clock.span(n, ms, cpu) }),
  );
  clock.stop();
  gc();
  const ref2 = await timeOnce(() => readReference(b));
  const refMs = (ref1.ms + ref2.ms) / 2;

  // The import must have loaded everything, or its time means nothing.
  const s = imp.value;
  const checks: [string, number, number][] = [
    ['network', s.counts.network, b.expected.network],
    ['process_events', s.counts.process_events, b.expected.process_events],
    ['processes', s.counts.processes, b.expected.processes],
    ['log_lines', s.counts.log_lines, b.expected.log_lines],
    ['steps', s.counts.steps, b.expected.steps],
  ];
  const wrong = checks.filter(([, got, want]) => got !== want);
  if (wrong.length) {
    throw new Error(`import incomplete: ${wrong.map(([t, got, want]) => `${t} ${got} (expected ${want})`).join(', ')}`);
  }
  if (ref1.value.parsed !== b.expected.network + b.expected.process_events + 1) {
    throw new Error(
      `reference parsed ${ref1.value.parsed} JSON records, expected ${b.expected.network + b.expected.process_events + 1}`,
    );
  }
  const db = new Database(casePath, { readonly: true });
  const attributed = (
    db.prepare('SELECT count(*) AS n FROM network WHERE process_id IS NOT NULL AND step_id IS NOT NULL').get() as {
      n: number;
    }
  ).n;
  const findings = (db.prepare('SELECT count(*) AS n FROM findings').get() as { n: number }).n;
  db.close();
  if (attributed !== b.expected.network)
    throw new Error(`only ${attributed} of ${b.expected.network} calls attributed to a process and step`);

  gc();
  const bare = bareInsert(casePath, `${casePath}.bare`);
  const rows = s.counts.network + s.counts.process_events + s.counts.log_lines;
  if (bare.rows !== rows) throw new Error(`bare insert wrote ${bare.rows} rows, the case holds ${rows}`);

  const mb = b.bytes / 1048576;
  notes.push(
    `bundle: ${mb.toFixed(0)} MiB in ${b.files.length} files; imported ${s.counts.network} calls, ${s.counts.process_events} process events -> ${s.counts.processes} processes, ${s.counts.log_lines} log lines; ${findings} findings; ${s.warnings.length} warnings`,
  );
  notes.push(
    `every call attributed to a process and a step (${attributed}); import ${(mb / (imp.ms / 1000)).toFixed(1)} MiB/s, read + parse only ${(mb / (refMs / 1000)).toFixed(1)} MiB/s`,
  );
  notes.push(
    `import ${Math.round(rows / (imp.ms / 1000))} rows/s, bare insert ${Math.round(rows / (bare.ms / 1000))} rows/s (${[...bare.perTable].map(([t, x]) => `${t} ${x.rows} rows ${fmtMs(x.ms)}`).join(', ')})`,
  );
  notes.push(
    `read + JSON.parse only (no database): ${fmtMs(refMs)}, import ÷ that ${(imp.ms / refMs).toFixed(2)}x; runs: ${fmtMs(ref1.ms)} before, ${fmtMs(ref2.ms)} after the import (mean taken); per file (first run): ${[...ref1.value.perFile].map(([f, ms]) => `${f} ${fmtMs(ms)}`).join(', ')}`,
  );
  // The phase table: where the import's time goes, each phase beside the whole.
  const phases = [...clock.spans].filter(([, ms]) => ms >= 1);
  const width = Math.max(...phases.map(([k]) => k.length));
  notes.push(
    'import phases (from its progress reports; "read X" = parse + write of that file, "finalize X" = that pass); indented: the import thread\'s own spans in that phase (onSpan), with its CPU time (10 ms ticks):',
  );
  // each phase's finer spans below it (the writer's waits for the calls worker shown apart from its own work)
  const innerWidth = Math.max(width, ...[...clock.inner.values()].flatMap((m) => [...m.keys()].map((k) => k.length + 2)));
  const row = (k: string, ms: number, cpu: number | null = null, n = 1) =>
    `  ${k.padEnd(innerWidth)}  ${fmtMs(ms).padStart(9)}  ${((100 * ms) / imp.ms).toFixed(0).padStart(3)} %${cpu !== null ? `  cpu ${fmtMs(cpu).padStart(8)}` : ''}${n > 1 ? `  (${n} spans)` : ''}`;
  const innerRows = (phase: string) => {
    for (const [name, x] of clock.inner.get(phase) ?? []) if (x.ms >= 1) notes.push(row(`  ${name}`, x.ms, x.cpu, x.n));
  };
  for (const [k, ms] of phases) {
    notes.push(row(k, ms, clock.cpu.get(k) ?? null));
    innerRows(k);
  }
  if (clock.inner.has('end')) {
    notes.push('  after the last progress report:');
    innerRows('end');
  }
  const waits = [...clock.inner.values()].flatMap((m) => [...m].filter(([n]) => n.includes('wait for')).map(([, x]) => x.ms));
  notes.push(`the import's thread waited for the calls worker ${fmtMs(waits.reduce((a, b) => a + b, 0))} in all (${((100 * waits.reduce((a, b) => a + b, 0)) / imp.ms).toFixed(0)} % of the import)`);
  for (const w of s.warnings.slice(0, 3))
    notes.push(`warning: ${w.file ?? ''}${w.line ? `:${w.line}` : ''} ${w.message}`);

  return {
    result: {
      id: '1',
      name: `import throughput (${label})`,
      measured: 'runImport of the bundle folder: hash, parse, write, indexes, log finalize + FTS, analysis',
      measuredMs: imp.ms,
      reference: `bare better-sqlite3 insert of the same ${rows} rows (one transaction, prepared INSERT, no indexes)`,
      referenceMs: bare.ms,
      maxRatio: Infinity,
      minRateRatio: 0.6,
      notes,
    },
    run: { summary: s, casePath },
  };
}
