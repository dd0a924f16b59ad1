/**
 * Entry of the `runlens` command (built to dist/electron/cli.cjs, loaded by bin/runlens.cjs): runs `main` on the
 * process's arguments. Exit codes: 0 success, 1 bad input, 2 bad usage; never a stack trace (RUNLENS_DEBUG=1 shows one).
 */
import { escapeText } from './escape';
import { trace } from '../api/trace';
import { discardUntaken, startServeImportEarly } from './serve-early';

trace('cli: start');

function oneLine(msg: string): string {
  const first = msg.split('\n')[0] ?? '';
  return escapeText(first.length > 2000 ? first.slice(0, 2000) + '…' : first);
}

function installGuards(): void {
  // `runlens … | head`: a closed pipe ends the command quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const last = (e: unknown) => {
    process.stderr.write(`runlens: internal error: ${oneLine((e as Error)?.message ?? String(e))}\n`);
    if (process.env.RUNLENS_DEBUG) process.stderr.write(String((e as Error)?.stack ?? '') + '\n');
    process.exit(1);
  };
  process.on('uncaughtException', last);
  process.on('unhandledRejection', last);
}

installGuards();
// `runlens serve <bundle or log>`: its import worker starts before the commands' code loads (serve-early.ts).
startServeImportEarly(process.argv.slice(2));
// Loaded after the guards, so a broken install (a native module missing or built for another ABI) is one line too.
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { main } = require('./run') as typeof import('./run');
trace('cli: loaded');
void main(process.argv.slice(2)).then((code) => {
  discardUntaken();
  process.exitCode = code;
});
