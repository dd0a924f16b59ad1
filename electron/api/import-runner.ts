/**
 * Runs one import for the app (`import.start`) and for `runlens serve <bundle>`: the case goes to the default case
 * location named by the inputs' hashes (an identical bundle reuses its case, as the CLI does), and the import runs
 * off-thread in the job worker (import/worker-client.ts: cancel asks, then stops the worker after a grace period);
 * from source (tests), where no built worker exists, it runs in-process. Progress is mapped to phase + fraction; the abort signal cancels it.
 *
 * First screen first: the import starts at once and the inputs are hashed beside it (hashing a 100 MB log takes
 * as long as the import's first screen). The import builds its partial file in the cases folder under a name of
 * its own; once the hashes are known the case is named (`named`: its id from then on), the partial case is
 * reported under that name, and the worker is told where the complete case goes (`finalCasePath`: recorded in
 * `meta.import` and renamed into place only when the import is complete). An identical bundle's case found then
 * stops the import (its partial file is removed) and is the job's case.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { casesDir, checkInputs, defaultCasePath, hashInputs } from '../import/case-location';
import { partialPathFor } from '../import/partial-sweep';
import type { ImportProgress as RunProgress, ImportSummary } from '../import/run-import';
import { defaultWorkerPath, runInWorker, type WorkerImportOptions } from '../import/worker-client';
import { isCaseFile } from '../db/case-file';
import type { ImportProgress, ImportRunner } from './imports';
import { trace } from './trace';

/** The import's progress as a job reports it; once the case is readable, where it is (first screen first): the
 *  partial case once named, `readable` before (the owner may show it under an alias: case-owner.ts startImportAs). */
export function mapProgress(p: RunProgress, casePath?: string): ImportProgress {
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : null;
  const state = p.phase === 'finalizing' ? ('analysing' as const) : ('loading' as const);
  const partial =
    p.partial && p.phase !== 'done'
      ? casePath
        ? { partial: { path: p.partial, casePath, state } }
        : { readable: { path: p.partial, state } }
      : {};
  return { phase: p.phase, fraction, message: p.file ?? null, ...partial };
}

/**
 * How long after its start an import given `firstScreenShown` hashes its inputs at the latest (when nothing asked for its
 * first screen by then): the hash (a core for ~0.2 s per 100 MB) otherwise waits for the first screen, as it
 * competes with the import's start and the page for the CPU, and only the name needs it (case.info's file, the recent
 * list, an identical case found).
 */
export const NAME_AT_LATEST_MS = 1500;

/**
 * How long after `firstScreenShown` (the page's first call beyond its first screen) the import goes on and its inputs
 * are hashed. The page makes that call as it renders its first rows, its other panes loading beside them; the import
 * at full speed and the hash (each a core) starting at that moment made the paint itself wait on a two-core machine
 * (benchmark 7). The worker's own limit (HOLD_AFTER_FIRST_SCREEN_MS after its first commit) still bounds the hold.
 */
export const AFTER_SHOWN_MS = 150;

/** The case file an identical bundle has, if it was imported before. */
const existingCase = (casePath: string): boolean => fs.existsSync(casePath) && isCaseFile(casePath);

/** The runner of the app and of serve, with its worker (default: the built one beside this code; none: in-process). */
export const importRunner = (worker?: string, opts: { nameAtLatestMs?: number } = {}): ImportRunner => async ({ inputs, caseDir, signal, onProgress, firstScreenShown, worker: early }) => {
  const workerPath = worker ?? defaultWorkerPath();
  onProgress({ phase: 'hashing', fraction: null });
  const dir = path.resolve(caseDir ?? casesDir());
  try {
    checkInputs(inputs); // a FIFO or a device is refused before the import or the hashing opens it
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    early?.discard();
    throw e;
  }
  // Stops the import (a cancel, an identical case found, the hashing failed) and the hashing (a cancel, the import ended).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort();

  let casePath: string | null = null;
  let lastPartial: RunProgress | null = null;
  let duplicate = false;
  let hashError: unknown = null;
  // The hashing starts after the import's worker (it competes with its start for the CPU), and with `firstScreenShown`
  // (serve's own target, shown under an alias until named) when the page has drawn its first screen, or
  // NAME_AT_LATEST_MS after the start, or when the load needs the name (its end), whichever comes first.
  let startHash: () => void = () => {};
  const hashGo = new Promise<void>((resolve) => (startHash = resolve));
  let latest: NodeJS.Timeout | null = null;
  const named = hashGo.then(() => hashInputs(inputs, stop.signal, { offThread: true })).then((h) => {
    trace('import: inputs hashed');
    const name = path.join(dir, path.basename(defaultCasePath(h)));
    if (existingCase(name)) {
      duplicate = true;
      stop.abort();
      return name;
    }
    casePath = name;
    onProgress({ named: name });
    if (lastPartial) onProgress(mapProgress(lastPartial, name));
    return name;
  });
  named.catch((e: unknown) => {
    if (!stop.signal.aborted) {
      hashError = e;
      stop.abort();
    }
  });

  const onRun = (p: RunProgress) => {
    if (p.partial && p.phase !== 'done') lastPartial = p;
    onProgress(mapProgress(p, casePath ?? undefined));
  };
  // Named by the import only for the partial file: `import-<random>.runlens.partial-<pid>-<random>` beside the case.
  const provisional = path.join(dir, `import-${randomBytes(8).toString('hex')}.runlens`);
  try {
    let running: Promise<ImportSummary>;
    if (early || fs.existsSync(workerPath)) {
      trace(early ? 'import: handing the job to the worker started early' : 'import: starting the worker');
      const partialPath = partialPathFor(provisional);
      // Held after its first screen until that is shown (or a moment: worker-protocol.ts).
      const hold = firstScreenShown ? new SharedArrayBuffer(4) : undefined;
      const release = () => {
        if (!hold) return;
        Atomics.store(new Int32Array(hold), 0, 1);
        Atomics.notify(new Int32Array(hold), 0);
      };
      firstScreenShown?.then(() => void setTimeout(release, AFTER_SHOWN_MS).unref(), release);
      stop.signal.addEventListener('abort', release, { once: true });
      running = runInWorker<RunProgress, ImportSummary>(
        { inputs, casePath: provisional, partialPath, casePathFollows: true, ...(hold ? { holdAfterFirstScreen: hold } : {}) } satisfies WorkerImportOptions,
        { signal: stop.signal, onProgress: onRun, partialPath, casePath: named, workerPath, onCasePathWanted: () => startHash(), ...(early ? { started: early } : {}) },
      );
    } else {
      // No built worker (tests from source): in this process; the import's code is loaded only then.
      const { runImport } = await import('../import/run-import');
      // The name when the import needs it (the end of its load), if the hash has not started by then.
      const whenNeeded = { then: (ok: never, fail: never) => (startHash(), named.then(ok, fail)) } as Promise<string>;
      running = runImport({ inputs, casePath: provisional, finalCasePath: whenNeeded, signal: stop.signal, onProgress: onRun });
    }
    if (firstScreenShown) {
      firstScreenShown.then(() => void setTimeout(startHash, AFTER_SHOWN_MS).unref(), startHash);
      latest = setTimeout(startHash, opts.nameAtLatestMs ?? NAME_AT_LATEST_MS);
    } else startHash();
    const summary = await running;
    return { casePath: summary.case, warnings: summary.warnings.length };
  } catch (e) {
    if (signal.aborted) throw e;
    if (hashError) throw hashError;
    if (duplicate) return { casePath: await named, warnings: 0 };
    throw e;
  } finally {
    if (latest) clearTimeout(latest);
    signal.removeEventListener('abort', onAbort);
    stop.abort(); // the hashing, if the import ended first
  }
};

export const runImportInWorker: ImportRunner = importRunner();
