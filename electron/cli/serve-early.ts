/**
 * `runlens serve <bundle or log>`: its import worker is started by the CLI's entry (cli/main.ts) before the rest of
 * the CLI loads — benchmark 7: the worker's start (a Node thread, its bundle, its modules: ~0.1 s of CPU, more
 * while Chromium loads the page) is the head of the first screen's path, and loading serve's own code (the API,
 * the HTTP server: ~50 ms) can run beside it on the other core instead of before it. cmd-serve takes the worker
 * (`serveImportWorker`) when its own reading of the arguments names the same target; an early worker nobody took
 * (bad usage, `--help`, a case file) is stopped (`discardUntaken`, after the command) and never holds the process
 * open (unreferenced until taken).
 *
 * The arguments are read with serve's own flags (SERVE_FLAGS) and the same rules as cmd-serve; anything odd
 * (an unknown flag, two targets) starts nothing early and is cmd-serve's to report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type FlagSpec } from './args';
import { isCaseFile } from '../db/case-file';
import { defaultWorkerPath, startWorkerEarly, type EarlyWorker } from '../import/worker-client';
import { trace } from '../api/trace';

/** `runlens serve`'s flags (cmd-serve parses with these too). */
export const SERVE_FLAGS: Record<string, FlagSpec> = { port: { value: true }, help: {}, baseline: { value: true, repeat: true } };

/** What `runlens serve` with no target serves: the sample bundle. */
export const sampleBundlePath = (): string => path.join(__dirname, '..', '..', 'resources', 'sample-bundle');

/** The target serve imports (a bundle or log that exists, not a case file) when the worker is built; else null. */
export function importTarget(target: string, workerPath = defaultWorkerPath()): string | null {
  return fs.existsSync(target) && !isCaseFile(target) && fs.existsSync(workerPath) ? target : null;
}

let early: { target: string; worker: EarlyWorker } | null = null;

/** From the CLI's entry, before it loads the commands: `serve <bundle or log>` starts its import worker now (returned;
 *  null: not serve, or nothing to import, or arguments cmd-serve will refuse). */
export function startServeImportEarly(argv: readonly string[], workerPath = defaultWorkerPath()): EarlyWorker | null {
  if (argv[0] !== 'serve' || early) return null;
  let target: string | null;
  try {
    const a = parseArgs(argv.slice(1), SERVE_FLAGS, 'serve');
    if (a.has('help') || a.positionals.length > 1) return null;
    target = importTarget(a.positionals[0] ?? sampleBundlePath(), workerPath);
  } catch {
    return null; // cmd-serve says what is wrong with the arguments
  }
  if (!target) return null;
  const worker = startWorkerEarly(workerPath);
  worker.worker.unref(); // until serve takes it: a command that stops early is not kept running by it
  early = { target, worker };
  trace('serve: import worker started by the CLI entry');
  return worker;
}

/** cmd-serve: the import worker for `target` — the one the CLI's entry started for it, else one started now (null:
 *  nothing to import, or the worker is not built). */
export function serveImportWorker(target: string, workerPath = defaultWorkerPath()): EarlyWorker | undefined {
  const e = early;
  early = null;
  if (e && e.target === target) {
    e.worker.worker.ref();
    return e.worker;
  }
  e?.worker.discard();
  return importTarget(target, workerPath) ? startWorkerEarly(workerPath) : undefined;
}

/** After the command: an early worker nobody took is stopped. */
export function discardUntaken(): void {
  early?.worker.discard();
  early = null;
}
