/**
 * Benchmark 5: process identity resolution. A case holding the exec/exit events of N processes with heavy PID reuse
 * (written through the importer's CaseWriter: the reference, "inserting the same rows"), then finalizeCase, which
 * builds the indexes, resolves instances and parents, attributes steps and writes `processes` (measured).
 * Checked: one instance per planned process, every parent found (the worker is the only root).
 */
import * as path from 'node:path';
import { finalizeCase } from '../electron/analysis/finalize';
import { createCase, type Db } from '../electron/db/open';
import { CaseWriter } from '../electron/import/writer';
import type { ImportWarning, ProcessEventRecord } from '../shared/model';
import { parseRfc3339 } from '../shared/time';
import { planRun, processEvents, JOB, type RunPlan } from './gen-data';
import { fmtMs, gc, median, nowMs } from './measure';
import type { BenchResult } from './report';

const US = 1000n;

/** The importer's records for the plan's events (built before timing: the reference is the writing only). */
function records(events: Record<string, unknown>[]): ProcessEventRecord[] {
  return events.map((e, i) => ({
    line: i + 1,
    raw: JSON.stringify(e),
    ts: parseRfc3339(e.ts as string),
    event: e.event as 'exec' | 'exit',
    pid: e.pid as number,
    ppid: (e.ppid as number | undefined) ?? null,
    exe: (e.exe as string | undefined) ?? null,
    args: (e.args as string[] | undefined) ?? null,
    cwd: (e.cwd as string | undefined) ?? null,
    uid: (e.uid as number | undefined) ?? null,
    exit_code: (e.exit_code as number | undefined) ?? null,
    key: null,
    parent_key: null,
    origin: 'events',
  }));
}

/** Write the plan's steps and events through the importer's writer; returns ms spent. */
function load(db: Db, plan: RunPlan, recs: ProcessEventRecord[]): number {
  const t = nowMs();
  const w = new CaseWriter(db);
  const src = w.addSource({
    parentId: null,
    path: 'processes.jsonl',
    member: null,
    format: 'bundle-processes',
    sha256: '0'.repeat(64),
    bytes: 0,
  });
  const sink = w.sinkFor(src, 'processes.jsonl', 0n);
  for (const s of plan.steps) {
    sink.step({
      job: JOB,
      number: s.number,
      name: s.name,
      uses: s.uses,
      started_at: BigInt(s.startUs) * US,
      completed_at: BigInt(s.endUs) * US,
      conclusion: 'success',
      origin: 'manifest',
      line: null,
      raw: JSON.stringify({ number: s.number, name: s.name }),
    });
  }
  for (const r of recs) sink.processEvent(r);
  sink.finish();
  w.setMeta('run', { job: JOB });
  w.commit();
  return nowMs() - t;
}

export function processIdentityBench(dir: string, n: number, rounds: number): BenchResult {
  const plan = planRun(n, 7);
  const events = processEvents(plan);
  const recs = records(events);
  const loads: number[] = [];
  const finals: number[] = [];
  const phases = new Map<string, number[]>();
  let checks = '';
  for (let r = 0; r < rounds; r++) {
    gc();
    const db = createCase(path.join(dir, `identity-${r}.runlens`));
    try {
      loads.push(load(db, plan, recs));
      gc();
      const warnings: ImportWarning[] = [];
      let phase = 'start';
      let since = nowMs();
      const t = nowMs();
      finalizeCase(db, {
        warn: (w) => warnings.push(w),
        onProgress: (p) => {
          const now = nowMs();
          phases.set(phase, [...(phases.get(phase) ?? []), now - since]);
          phase = p;
          since = now;
        },
      });
      finals.push(nowMs() - t);

      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      const procs = one('SELECT count(*) AS n FROM processes');
      const roots = one('SELECT count(*) AS n FROM processes WHERE parent_id IS NULL');
      const badParents = one(
        'SELECT count(*) AS n FROM processes c JOIN processes p ON p.id = c.parent_id WHERE p.pid <> c.ppid OR p.start > c.start OR (p.end IS NOT NULL AND p.end < c.start)',
      );
      const linked = one('SELECT count(*) AS n FROM process_events WHERE process_id IS NOT NULL');
      const stepped = one('SELECT count(*) AS n FROM processes WHERE step_id IS NOT NULL');
      const pids = one('SELECT count(DISTINCT pid) AS n FROM processes');
      if (procs !== plan.procs.length)
        throw new Error(`finalize made ${procs} processes from ${plan.procs.length} planned`);
      if (roots !== 1)
        throw new Error(
          `${roots} root processes, expected 1 (the worker); first warning: ${warnings[0]?.message ?? 'none'}`,
        );
      if (badParents)
        throw new Error(`${badParents} processes with a parent of another pid or not alive at their start`);
      if (linked !== events.length)
        throw new Error(`${linked} of ${events.length} process events linked to an instance`);
      checks = `${procs} instances from ${pids} distinct pids (pool ${plan.pidPool}: each reused ~${Math.round(n / plan.pidPool)} times); 1 root; every parent alive at its child's exec; ${linked} events linked; ${stepped} processes with a step`;
    } finally {
      db.close();
    }
  }
  const phaseNote = [...phases]
    .filter(([k]) => k !== 'start')
    .map(([k, xs]) => `${k} ${fmtMs(median(xs))}`)
    .join(', ');
  return {
    id: '5',
    name: `process identity resolution, ${plan.procs.length} processes with PID reuse`,
    measured: `finalizeCase on ${events.length} exec/exit events (median of ${rounds})`,
    measuredMs: median(finals),
    reference: `writing the same ${events.length} process_events rows (+ steps) through CaseWriter (median of ${rounds})`,
    referenceMs: median(loads),
    maxRatio: 3,
    notes: [
      checks,
      `finalize phases (each timed until the next starts): ${phaseNote}`,
      `runs: finalize ${finals.map(fmtMs).join(', ')}; insert ${loads.map(fmtMs).join(', ')}`,
    ],
  };
}
