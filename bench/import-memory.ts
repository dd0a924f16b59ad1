/**
 * Benchmark 9: peak memory of an import. A bundle is imported in a child process (`--child-import`), whose peak
 * resident set (`peakRssBytes`: VmHWM on Linux) is the measured figure, printed as a ratio to the bundle's size on
 * disk. By default the bundle is benchmark 1's (187 MiB at full size); with `--huge` benchmark 9 generates its own
 * bundle of at least 1.2 GB (HUGE_FACTOR times the full bundle's sizes, streamed to disk) — the issue's goal: a
 * 1.2 GB bundle in ≤ 1 GB. The child also reports the peak reached by the end of each import phase (from its
 * progress reports), so a phase that raises the peak is named. A child that only starts (loads the same code) is
 * measured too: the runtime's own share.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleInfo } from './gen-data';
import type { BenchResult } from './report';

/** The bundle sizes of `--huge`, times the full bundle's (500k calls, 50k processes, 1M lines: 187 MiB): 1.2 GB. */
export const HUGE_FACTOR = 6.2;
export const HUGE_MIN_BYTES = 1.2e9;

export interface ChildOut {
  maxRssBytes: number;
  ms: number;
  /** [phase, peak RSS (bytes) reached by the end of that phase, ms in it, V8 heap (heapTotal) at its end], in order. */
  phases?: [string, number, number, number][];
  /** What the import stored (ImportSummary.counts). */
  counts?: Record<string, number>;
}

function child(args: string[]): ChildOut {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = (r.stdout || '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child ${args[0]} failed (${r.status}): ${(r.stderr || line).split('\n')[0]}`);
  return JSON.parse(line) as ChildOut;
}

/**
 * This process's peak resident set in bytes. On Linux, VmHWM of /proc/self/status: the high-water mark of this
 * program's own memory since it was exec'd. Not `process.resourceUsage().maxRSS` (getrusage): Linux carries the
 * parent's resident set across fork + exec into the child's maxrss (a child of the benchmark, which had just
 * imported a bundle itself, showed 301 MiB before doing anything). Elsewhere maxRSS, with that caveat.
 */
export function peakRssBytes(): number {
  if (process.platform === 'linux') {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}

const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;

export function importMemoryBench(bundle: BundleInfo, dir: string, label?: string): BenchResult {
  const bundleBytes = bundle.bytes;
  const base = child(['--child-baseline']);
  const imp = child(['--child-import', bundle.dir, path.join(dir, 'memory.runlens')]);
  // The memory counts only for an import that stored everything.
  for (const k of ['network', 'process_events', 'processes', 'log_lines', 'steps'] as const)
    if (imp.counts?.[k] !== bundle.expected[k]) throw new Error(`the import stored ${imp.counts?.[k]} ${k}, the bundle holds ${bundle.expected[k]}`);
  const notes = [
    `a process that only loads the code peaks at ${mib(base.maxRssBytes)}; the import took ${(imp.ms / 1000).toFixed(1)} s in the child and stored every row (${imp.counts!.network} calls, ${imp.counts!.processes} processes, ${imp.counts!.log_lines} log lines)`,
  ];
  if (imp.phases?.length) {
    // the JS heap beside the peak: what the peak holds beyond it is native (SQLite's page cache and sorter, buffers)
    notes.push('peak RSS by the end of each import phase (a rise names the phase that raised it), time, V8 heap at its end:');
    const w = Math.max(...imp.phases.map(([k]) => k.length));
    for (const [k, rss, ms, heap] of imp.phases)
      notes.push(`  ${k.padEnd(w)}  ${mib(rss).padStart(9)}  ${(ms / 1000).toFixed(1).padStart(6)} s  heap ${mib(heap).padStart(8)}`);
  }
  return {
    id: '9',
    name: `peak memory of the import of a ${mib(bundleBytes)} bundle${label ? ` (${label})` : ''}`,
    measured: 'peak RSS (VmHWM) of a process running runImport of the bundle',
    measuredMs: imp.maxRssBytes,
    reference: 'the bundle size on disk',
    referenceMs: bundleBytes,
    maxRatio: Infinity,
    absoluteGoalMs: 1e9,
    unit: 'bytes',
    notes,
  };
}
