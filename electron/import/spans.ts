/**
 * Where the import's own thread spends its time, finer than its progress reports (benchmark 1's phase table): named
 * spans reported as each ends — the waits for the calls worker, the copy of its rows, each step of the log
 * finalize, the end of the bulk load — with this thread's CPU time beside the wall time where the system says it
 * (Linux: /proc/self/task/<tid>/stat; a wall time far above the CPU time is a wait, or a machine busy elsewhere).
 * Only a caller that asks (RunImportOptions.onSpan) pays for the clocks.
 */
import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

export type SpanSink = (name: string, ms: number, cpuMs: number | null) => void;

const now = (): number => performance.now();

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux Node runs on). */
const TICKS_PER_MS = 100 / 1000;

/** This thread's CPU time in ms (main thread only: a worker's own tid is not known to Node 20), else null. */
export function threadCpuMs(): number | null {
  if (threadId !== 0 || process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14 and 15 of stat (utime, stime); f[0] is field 3
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_MS;
  } catch {
    return null;
  }
}

function end(sink: SpanSink, name: string, t: number, c: number | null): void {
  const c2 = c === null ? null : threadCpuMs();
  sink(name, now() - t, c === null || c2 === null ? null : c2 - c);
}

/** `fn` timed as span `name` when there is a sink. */
export function timed<T>(sink: SpanSink | undefined, name: string, fn: () => T): T {
  if (!sink) return fn();
  const c = threadCpuMs();
  const t = now();
  try {
    return fn();
  } finally {
    end(sink, name, t, c);
  }
}

/** The same for a promise (the time until it settles; the CPU time is the thread's meanwhile, whatever ran). */
export async function timedAsync<T>(sink: SpanSink | undefined, name: string, fn: () => Promise<T>): Promise<T> {
  if (!sink) return fn();
  const c = threadCpuMs();
  const t = now();
  try {
    return await fn();
  } finally {
    end(sink, name, t, c);
  }
}
