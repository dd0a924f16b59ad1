/** `runlens serve` as benchmarks 7 and 10 start it: the built CLI (dist/) in a child process, on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CHROMIUM = process.env.RUNLENS_CHROMIUM || '/usr/bin/chromium';

export interface Served {
  url: string;
  child: ChildProcess;
  /** With `trace`: the server's first-screen timeline so far (electron/api/trace.ts), as `[ms since the Unix epoch,
   *  thread, event]`. */
  trace: () => [number, string, string][];
}

/** `runlens serve <target>`: resolves with the URL it prints first (at once; a bundle or log is imported beside it).
 *  `trace`: RUNLENS_TRACE=1, its stderr's trace lines kept (the rest of stderr is dropped as before). */
export function serve(root: string, target: string, dataDir: string, opts: { trace?: boolean } = {}): Promise<Served> {
  const cli = path.join(root, 'dist', 'electron', 'cli.cjs');
  if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run node scripts/build.mjs first`);
  const child = spawn(process.execPath, [cli, 'serve', target, '--port', '0'], {
    cwd: root,
    env: { ...process.env, RUNLENS_DATA_DIR: dataDir, ...(opts.trace ? { RUNLENS_TRACE: '1' } : {}) },
    stdio: ['ignore', 'pipe', opts.trace ? 'pipe' : 'ignore'],
  });
  const lines: [number, string, string][] = [];
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    let nl: number;
    while ((nl = err.indexOf('\n')) >= 0) {
      const line = err.slice(0, nl);
      err = err.slice(nl + 1);
      const m = /^runlens-trace (\d+(?:\.\d+)?) (\S+) (.*)$/.exec(line);
      if (m) lines.push([Number(m[1]), m[2]!, m[3]!]);
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('runlens serve printed no URL within 120 s')), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve({ url: out.slice(0, nl).trim(), child, trace: () => lines.slice() });
    });
    child.once('exit', (code) => reject(new Error(`runlens serve exited (${code})`)));
  });
}

/** CPU time (ms) used so far by this process's descendants (Chromium's processes, launched by Playwright from this
 *  process), read from /proc; null where /proc is not there. */
function descendantsCpuMs(): number | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const e of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // after the command name (in parentheses, which may hold spaces): state ppid … utime(12th) stime(13th)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(e), Number(f[1]));
    cpu.set(Number(e), Number(f[11]) + Number(f[12]));
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid), n = 0; p !== undefined && n < 64; p = parent.get(p), n++) if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, t] of cpu) if (mine(pid)) ticks += t;
  return (ticks * 1000) / 100; // USER_HZ: 100 on Linux
}

/**
 * Wait until the browser this process launched is idle — its processes using under 5% of a core over 300 ms — as the
 * analyst's long-running browser is when the command is typed (benchmark 7). A browser just launched spends ~0.5 s
 * of both cores starting up after its first page, which would otherwise be measured as serve's and the page's time.
 * Gives up after `maxMs` (a browser that never settles is measured as it is). Returns how long it waited.
 */
export async function untilBrowserIdle(maxMs = 10_000): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  const first = descendantsCpuMs();
  if (first === null) return 0;
  let prev: number = first;
  while (performance.now() - t0 < maxMs && quiet < 3) {
    await new Promise((r) => setTimeout(r, 100));
    const now: number = descendantsCpuMs() ?? prev;
    quiet = now - prev < 5 ? quiet + 1 : 0; // under 5 ms of CPU in 100 ms
    prev = now;
  }
  return performance.now() - t0;
}
