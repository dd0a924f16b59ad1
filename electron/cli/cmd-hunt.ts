/**
 * `runlens hunt DIR "SQL" [--json]` and the ready-made hunts (--endpoint, --command, --action-changed): one
 * read-only query over every case file and exported Parquet file under DIR, in embedded DuckDB (electron/hunt/).
 */
import { existsSync, statSync } from 'node:fs';
import { hunt, HuntSqlError, type HuntProgress } from '../hunt/hunt';
import { actionChangedHunt, commandHunt, endpointHunt } from '../hunt/ready-made';
import { parseArgs } from './args';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { jsonBigint, plural, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const HUNT_HELP = `Usage: runlens hunt DIR "<SELECT …>" [--json] [--progress]
       runlens hunt DIR --endpoint HOST[:PORT] | --command TEXT | --action-changed OWNER/REPO|'*' [--json]

One read-only query (DuckDB SQL) over every run under DIR at once: case files (*.runlens, any SQLite case) and
Parquet written by \`runlens export\` (DIR/<table>/*.parquet). The tables are the case's (network, processes,
steps, log_lines, …; docs/schema.md) plus \`runs\` (one row per run), and every row starts with its run:
run_key, run_repository, run_workflow, run_id, run_attempt, run_job, run_head_sha, inputs_sha256, inputs.
Ready-made hunts:
  --endpoint E         every run that called E (host:port, port 443 when left out), with calls and processes
  --command TEXT       every run whose step ran a command containing TEXT (process arguments, [command] log lines)
  --action-changed A   every run whose commit of action A (or '*': any action) differs from the previous run's
  --show-sql           print the SQL of a ready-made hunt instead of running it
  --progress           progress on stderr even when it is not a terminal (on a terminal it is always shown)
  --json               {"columns": [...], "rows": [[...]], "cases": N, "parquet_files": N, "skipped": [...]}
`;

function bar(p: HuntProgress): string {
  const width = 30;
  if (p.phase === 'loading') {
    const f = p.total === 0 ? 1 : p.done / p.total;
    const n = Math.round(f * width);
    return `hunt: [${'#'.repeat(n)}${'.'.repeat(width - n)}] ${p.done}/${p.total} cases`;
  }
  if (p.phase === 'querying') {
    const n = p.percent < 0 ? 0 : Math.round((p.percent / 100) * width);
    return `hunt: [${'#'.repeat(n)}${'.'.repeat(width - n)}] query ${p.percent < 0 ? '…' : `${Math.round(p.percent)}%`}`;
  }
  return `hunt: [${'#'.repeat(width)}] done`;
}

function progressWriter(force: boolean): ((p: HuntProgress) => void) | undefined {
  const tty = process.stderr.isTTY;
  if (!tty && !force) return undefined;
  let lastLine = '';
  let lastTenth = -1;
  return (p) => {
    const line = bar(p);
    if (line === lastLine) return;
    lastLine = line;
    if (tty) {
      process.stderr.write(`\r${line}\x1b[K${p.phase === 'done' ? '\n' : ''}`);
      return;
    }
    // Not a terminal: a line per tenth of the cases, the query's start and the end (a log stays short).
    const tenth = p.phase === 'loading' ? Math.floor((p.total ? p.done / p.total : 1) * 10) : p.phase === 'querying' ? 11 : 12;
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    process.stderr.write(line + '\n');
  };
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return jsonBigint(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  return v;
}

export async function huntCommand(argv: string[]): Promise<number> {
  const a = parseArgs(
    argv,
    { json: {}, help: {}, progress: {}, 'show-sql': {}, endpoint: { value: true }, command: { value: true }, 'action-changed': { value: true } },
    'hunt',
  );
  if (a.has('help')) return showHelp(HUNT_HELP);
  const ready = ['endpoint', 'command', 'action-changed'].filter((f) => a.has(f));
  if (ready.length > 1) throw new UsageError('hunt: give one ready-made hunt at a time');
  const expected = ready.length ? 1 : 2;
  if (a.positionals.length !== expected) {
    throw new UsageError(ready.length ? 'hunt: give the folder to hunt in (and no SQL with a ready-made hunt)' : 'hunt: give a folder and one quoted SELECT statement (or a ready-made hunt: --endpoint, --command, --action-changed)');
  }
  const dir = a.positionals[0]!;
  const sql =
    ready[0] === 'endpoint' ? endpointHunt(a.get('endpoint')!) : ready[0] === 'command' ? commandHunt(a.get('command')!) : ready[0] === 'action-changed' ? actionChangedHunt(a.get('action-changed')!) : a.positionals[1]!;
  if (a.has('show-sql')) {
    writeText(sql);
    return 0;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`hunt: no such folder: ${dir}`);
  const onProgress = progressWriter(a.has('progress'));
  let r;
  try {
    r = await hunt({ dir, sql, ...(onProgress ? { onProgress } : {}) });
  } catch (e) {
    if (e instanceof HuntSqlError) throw new InputError(`hunt: ${e.message}`);
    throw e;
  }
  for (const s of r.skipped) process.stderr.write(escapeText(`runlens: hunt: skipped ${s.file}: ${s.reason}`) + '\n');
  if (a.has('json')) {
    writeJson({ columns: r.columns, rows: r.rows.map((row) => row.map(jsonValue)), cases: r.cases, parquet_files: r.parquet_files, skipped: r.skipped });
    return 0;
  }
  const cols = r.columns.map((h, i) => ({ header: escapeText(h), get: (row: unknown[]) => row[i], right: false }));
  writeText(renderTable(r.rows, cols) + `(${plural(r.rows.length, 'row')}; ${plural(r.cases, 'case file')}, ${plural(r.parquet_files, 'Parquet file')})`);
  return 0;
}
