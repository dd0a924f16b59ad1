/** `runlens serve` as benchmarks 7 and 10 start it: the built CLI (dist/) in a child process, on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CHROMIUM = process.env.RUNLENS_CHROMIUM || '/usr/bin/chromium';

/** `runlens serve <target>`: resolves with the URL it prints first (at once; a bundle or log is imported beside it). */
export function serve(root: string, target: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.join(root, 'dist', 'electron', 'cli.cjs');
  if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run node scripts/build.mjs first`);
  const child = spawn(process.execPath, [cli, 'serve', target, '--port', '0'], {
    cwd: root,
    env: { ...process.env, RUNLENS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('runlens serve printed no URL within 120 s')), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve({ url: out.slice(0, nl).trim(), child });
    });
    child.once('exit', (code) => reject(new Error(`runlens serve exited (${code})`)));
  });
}
