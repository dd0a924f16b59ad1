/** Display formatting of times, sizes and commands. Times come from the API as RFC 3339 with 9 digits, UTC. */
import { tryParseRfc3339 } from '../../shared/time';
import { joinShellWords } from '../../shared/shellwords';

/** How times are shown (Settings, the log's time button): UTC, the viewer's local time, or relative to the job. */
export type TimeMode = 'absolute' | 'local' | 'relative';
let timeMode: TimeMode = 'absolute';
let jobOrigin: string | null = null;
/** Set by App from the shared state; every `clock()` follows it. */
export function setTimeDisplay(mode: TimeMode, origin: string | null): void {
  timeMode = mode;
  jobOrigin = origin;
}
export const TIME_MODE_LABEL: Record<TimeMode, string> = { absolute: 'UTC', local: 'Local', relative: 'Job' };

/** `09:12:31.500` in the chosen time mode (UTC by default, milliseconds), or `` for no time. */
export function clock(ts: string | null | undefined, digits = 3): string {
  if (!ts) return '';
  if (timeMode === 'relative' && jobOrigin) return relative(ts, jobOrigin);
  if (timeMode === 'local') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(ts);
    const d = m ? new Date(`${m[1]}Z`) : null;
    if (d && !Number.isNaN(d.getTime())) {
      const p = (n: number) => String(n).padStart(2, '0');
      const base = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      return digits > 0 ? `${base}.${(m![2] ?? '').padEnd(9, '0').slice(0, digits)}` : base;
    }
  }
  return utcClock(ts, digits);
}

/** `09:12:31.500`, always UTC. */
export function utcClock(ts: string | null | undefined, digits = 3): string {
  if (!ts) return '';
  const m = /T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(ts);
  if (!m) return ts;
  return digits > 0 ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, digits)}` : m[1]!;
}

/** `+1:28.400` from `origin` (job-relative), `-0:00.200` before it. */
export function relative(ts: string | null | undefined, origin: string | null | undefined): string {
  const t = tryParseRfc3339(ts),
    o = tryParseRfc3339(origin);
  if (t === null || o === null) return '';
  let d = t - o;
  const sign = d < 0n ? '-' : '+';
  if (d < 0n) d = -d;
  const ms = Number(d / 1_000_000n);
  const min = Math.floor(ms / 60_000),
    sec = Math.floor((ms % 60_000) / 1000),
    milli = ms % 1000;
  return `${sign}${min}:${String(sec).padStart(2, '0')}.${String(milli).padStart(3, '0')}`;
}

/** `2026-10-14 09:12:31.500000417 UTC`: the full precision, for Details. */
export function fullTime(ts: string | null | undefined): string {
  if (!ts) return '—';
  return ts.replace('T', ' ').replace(/Z$/, ' UTC');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const u = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024,
    i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${u[i]}`;
}

export const baseName = (p: string | null | undefined): string => (p ? p.split('/').pop() || p : '');

/** A command line as a shell would read it. */
export function commandLine(args: string[], exe?: string | null): string {
  if (args.length === 0) return exe ?? '';
  return joinShellWords(args);
}
