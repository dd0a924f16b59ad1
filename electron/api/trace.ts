/**
 * The first screen's timeline, for benchmark 7 and whoever asks why a page was slow: with `RUNLENS_TRACE=1` in the
 * environment, `trace(event)` writes `runlens-trace <ms since the Unix epoch, 0.1 ms> <thread> <event>` to stderr
 * (serve's main thread, the import worker thread and the query processes alike: absolute times, so they line up
 * with each other and with whoever started the process). Without the variable it does nothing.
 */
import { isMainThread } from 'node:worker_threads';

const on = process.env.RUNLENS_TRACE === '1';
const who = isMainThread ? (process.send ? `query-${process.pid}` : 'main') : 'worker';

export const tracing = on;

export function trace(event: string): void {
  if (!on) return;
  process.stderr.write(`runlens-trace ${(performance.timeOrigin + performance.now()).toFixed(1)} ${who} ${event}\n`);
}
