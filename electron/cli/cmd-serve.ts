/** `runlens serve [case|bundle] [--port N]` — delegated to electron/serve/server.ts's `startServe`. */
import path from 'node:path';
import { intFlag, parseArgs } from './args';
import { mustExist } from './must-exist';
import { RECENT_FILE_NAME } from '../api/recent-cases';
import { dataDir } from '../import/case-location';
import { startServe } from '../serve/server';
import type { EarlyWorker } from '../import/worker-client';
import { sampleBundlePath, SERVE_FLAGS, serveImportWorker } from './serve-early';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { showHelp } from './output';
import { trace } from '../api/trace';

export const SERVE_HELP = `Usage: runlens serve [case|bundle] [--port N] [--baseline <case|bundle>]…

Serve the investigation UI on http://127.0.0.1 (with an access token in the URL) for a case file or a bundle
(default: the sample bundle). Stops on Ctrl-C.
  --baseline B   (repeatable) earlier runs of the job, opened beside the case: the Compare panel and the
                 findings "new endpoint against the baseline" (runlens compare)
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, SERVE_FLAGS, 'serve');
  if (a.has('help')) return showHelp(SERVE_HELP);
  if (a.positionals.length > 1) throw new UsageError('serve: give at most one case file or bundle');
  const port = a.has('port') ? intFlag(a, 'port', 0, 0, 65535, 'serve') : undefined;
  const target = a.positionals[0] ?? sampleBundlePath();
  mustExist(target);
  // A bundle or log is imported: its worker was started by the CLI's entry (serve-early.ts), before the server's own
  // start-up (benchmark 7: the worker's start and its first lines are most of the first screen's path, and they
  // overlap with the server's start), or starts now.
  const importWorker: EarlyWorker | undefined = serveImportWorker(target);
  let baselines: string[];
  try {
    // The comparison's code (and the import's, for a bundle given as a baseline) only when there are baselines.
    const given = a.all('baseline');
    baselines = given.length ? await (await import('./cmd-compare')).baselineCaseFiles(given) : [];
  } catch (e) {
    importWorker?.discard();
    throw e;
  }
  let server: Awaited<ReturnType<typeof startServe>>;
  const say = (line: string) => process.stdout.write(escapeText(`runlens: ${line}`) + '\n');
  try {
    server = await startServe({
      target,
      ...(port === undefined ? {} : { port }),
      baselines,
      ...(importWorker ? { importWorker } : {}),
      // The start page lists the cases opened here before, too (one list per data folder).
      recentFile: path.join(dataDir(), RECENT_FILE_NAME),
      onCaseOpened: say,
    });
  } catch (e) {
    importWorker?.discard();
    // Not built, no such bundle, nothing recognised in it, port taken: the user's to fix.
    throw new InputError(`serve: ${(e as Error).message}`);
  }
  // The first line is the URL alone: scripts and tests read it (the browser-pane task's contract).
  const origin = new URL(server.url).origin;
  process.stdout.write(`${server.url}\n`);
  trace('serve: URL printed');
  // The case's title is known once it is readable (a bundle being imported: its first screen); the URL is not held for it.
  void server.title.then((title) =>
    process.stdout.write(
      // No case file: its import failed before the case was named (said on stderr; the page says so too).
      (server.casePath ? escapeText(`Runlens is serving ${title} (case file ${server.casePath}, from ${path.resolve(target)}).`) + '\n' : '') +
        escapeText(`Cases imported from the page open beside it, each in its own tab; ${origin}/ lists every case open here.`) +
        '\nPress Ctrl-C to stop.\n',
    ),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
