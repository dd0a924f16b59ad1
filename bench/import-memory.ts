/**
 * Benchmark 9: peak memory of an import. The bundle of benchmark 1 is imported again in a child process (the
 * benchmark's own bundle, `--child-import`), whose peak resident set (`process.resourceUsage().maxRSS`) is the
 * measured figure, printed as a ratio to the bundle's size on disk. The goal is absolute: a 1.2 GB bundle in
 * ≤ 1 GB; a streaming import's peak hardly grows with the bundle (caches and buffers are fixed), so a smaller bundle
 * is judged against the same bound (necessary, not sufficient: see docs/benchmarks.md). A child that only starts
 * (loads the same code) is measured too: the runtime's own share.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchResult } from './report';

interface ChildOut {
  maxRssBytes: number;
  ms: number;
}

function child(args: string[]): ChildOut {
  const r = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = (r.stdout || '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child ${args[0]} failed (${r.status}): ${(r.stderr || line).split('\n')[0]}`);
  return JSON.parse(line) as ChildOut;
}

export function importMemoryBench(bundleDir: string, bundleBytes: number, dir: string): BenchResult {
  const base = child(['--child-baseline']);
  const imp = child(['--child-import', bundleDir, path.join(dir, 'memory.runlens')]);
  const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
  return {
    id: '9',
    name: `peak memory of the import of a ${mib(bundleBytes)} bundle`,
    measured: 'peak RSS of a process running runImport of the bundle',
    measuredMs: imp.maxRssBytes,
    reference: 'the bundle size on disk',
    referenceMs: bundleBytes,
    maxRatio: Infinity,
    absoluteGoalMs: 1e9,
    unit: 'bytes',
    notes: [`a process that only loads the code peaks at ${mib(base.maxRssBytes)}; the import took ${(imp.ms / 1000).toFixed(1)} s in the child`],
  };
}
