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
