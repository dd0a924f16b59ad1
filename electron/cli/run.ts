/**
 * The `runlens` command line: `main(argv)` dispatches to a command and returns its exit code.
 * Exit codes: 0 success, 1 bad input (one line on stderr), 2 bad usage. No stack trace ever reaches the user
 * (set RUNLENS_DEBUG=1 to see one for an internal error).
 */
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';

import { readFileSync } from 'node:fs';
import path from 'node:path';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const MAIN_HELP = `Runlens — forensic viewer for GitHub Actions runs (network calls, logs, process trees), offline.

Usage: runlens <command> [arguments] [--json]

Commands:
  import <bundle…> [--case FILE] [--force] [--date YYYY-MM-DD] [--offset SOURCE=±SECONDS]
                         import bundles into a case file
  steps <case|bundle>    the job's steps, with log line counts
  findings <case|bundle> calls outside the egress policy, blocked calls, producer detections
  explain <case|bundle> --endpoint <domain|ip>[:port] [--limit N] [--window S]
                         which step, action, process chain and command made each call
  sql <case> "<SELECT …>" a read-only query on the case (see docs/schema.md)
  report <case|bundle> --format md|html|json [--out FILE]
                         the case's report: findings with evidence, notes, verdicts, timeline
  verify <case>          hash the case's inputs again: unchanged, missing or different
  serve [case|bundle]    the investigation UI in a browser, on 127.0.0.1
  compare <case|bundle> <baseline…>
                         endpoints, processes, steps and actions new, gone or changed against earlier runs
  export <case|bundle> --parquet DIR
                         every table to Parquet, with the run identity and input hashes on every row
  hunt DIR "<SELECT …>"  one read-only query over every case and Parquet export under DIR (DuckDB); ready-made:
                         --endpoint E, --command TEXT, --action-changed OWNER/REPO
  upgrade <case>         an older case, upgraded as a copy in the case folder (the original is never changed)

A case is a file named *.runlens; a bundle given where a case is expected is imported into the default case location (or its case reused).
--json prints exactly one JSON document. "runlens <command> --help" describes a command.
Exit codes: 0 success, 1 bad input, 2 bad usage.
`;

type Command = (argv: string[]) => Promise<number>;
/**
 * Each command's module is loaded when it runs, not at start-up: `runlens serve` (benchmark 7: from the command to
 * the first rows on screen) does not wait for DuckDB (export, hunt: ~0.2 s of native loading) or the report's code.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./cmd-import')).importCommand,
  steps: async () => (await import('./cmd-steps')).stepsCommand,
  findings: async () => (await import('./cmd-findings')).findingsCommand,
  explain: async () => (await import('./cmd-explain')).explainCommand,
  sql: async () => (await import('./cmd-sql')).sqlCommand,
  report: async () => (await import('./cmd-report')).reportCommand,
  verify: async () => (await import('./cmd-verify')).verifyCommand,
  compare: async () => (await import('./cmd-compare')).compareCommand,
  export: async () => (await import('./cmd-export')).exportCommand,
  hunt: async () => (await import('./cmd-hunt')).huntCommand,
  serve: async () => (await import('./cmd-serve')).serveCommand,
  upgrade: async () => (await import('./cmd-upgrade')).upgradeCommand,
};

/** First line of a message, escaped, so an error can never paint the terminal or run on for pages. */
export function oneLine(msg: string): string {
  const first = msg.split('\n')[0] ?? '';
  return escapeText(first.length > 2000 ? first.slice(0, 2000) + '…' : first);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined) {
      process.stderr.write(`runlens: give a command\n\n${MAIN_HELP}`);
      return 2;
    }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(MAIN_HELP);
      return 0;
    }
    if (cmd === '--version' || cmd === '-V') {
      process.stdout.write(`runlens ${version()}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
    if (!load) throw new UsageError(`unknown command ${JSON.stringify(cmd)} (runlens --help lists them)`);
    return await (await load())(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`runlens: ${oneLine(e.message)}\nTry: runlens ${cmd && Object.hasOwn(COMMANDS, cmd) ? cmd + ' ' : ''}--help\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`runlens: ${oneLine(e.message)}\n`);
      return 1;
    }
    const err = e as Error;
    if (err?.name === 'SqliteError') {
      // A damaged or unreadable case file, met while reading it.
      process.stderr.write(`runlens: cannot read the case file: ${oneLine(err.message)}\n`);
      return 1;
    }
    process.stderr.write(`runlens: internal error: ${oneLine(err?.message ?? String(e))}\n`);
    if (process.env.RUNLENS_DEBUG) process.stderr.write(String(err?.stack ?? '') + '\n');
    return 1;
  }
}

