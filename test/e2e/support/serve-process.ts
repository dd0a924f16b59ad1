/**
 * Runs the built `runlens serve <target> --port 0` as a child process (what `bin/runlens.cjs serve` runs) and reads
 * the URL from the first line of its stdout. Stops it with SIGTERM. The CLI comes from e2eDist() (a copy of dist/
 * that global setup takes right after building, so a rebuild of dist/ during the run cannot pull files away).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The copy of dist/ this run serves from: inside the repository so it still finds node_modules (better-sqlite3);
 *  one per run (global setup names it) so runs side by side do not replace each other's files. */
export const e2eDist = (): string => process.env.RUNLENS_E2E_DIST ?? path.join(ROOT, 'dist');
/** The same, fixed when a test file loads (test workers start after global setup set it). */
export const E2E_DIST = e2eDist();

export interface ServeProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startServeProcess(
  target: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
  extraArgs: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(e2eDist(), 'electron', 'cli.cjs'), 'serve', target, '--port', '0', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`runlens serve did not print its URL within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const url = out.slice(0, nl).trim();
      if (!/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}&case=[0-9a-f]{24}$/.test(url)) {
        void stop();
        reject(new Error(`unexpected first line from runlens serve: ${url}`));
        return;
      }
      resolve({ url, origin: new URL(url).origin, child, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runlens serve exited (${code}) before printing its URL; stderr: ${err}`));
    });
  });
}
