/** `runlens export <case|bundle> --parquet DIR [--json]`: every table of the case to Parquet (electron/export/). */
import { exportCaseToParquet } from '../export/parquet';
import { parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { plural, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const EXPORT_HELP = `Usage: runlens export <case|bundle> --parquet DIR [--json]

Write every table of the case to Parquet, one folder per table and one file per run:
DIR/<table>/<repository>_<run_id>_<attempt>_<job>_<inputs12>.parquet. Every row starts with the run's identity
(run_key, run_repository, run_workflow, run_id, run_attempt, run_job, run_head_sha) and the input hashes
(inputs_sha256, inputs), so runs exported into one DIR can be put side by side by any engine (runlens hunt,
DuckDB, ClickHouse, Trino, Spark; see docs/fleet.md). Exporting the same case again replaces its files.
  --json   {"dir", "run_key", "inputs_sha256", "files": [{"table", "file", "rows"}]}
`;

export async function exportCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { json: {}, help: {}, parquet: { value: true } }, 'export');
  if (a.has('help')) return showHelp(EXPORT_HELP);
  if (a.positionals.length !== 1) throw new UsageError('export: give exactly one case file or bundle');
  const dir = a.get('parquet');
  if (!dir) throw new UsageError('export: say where with --parquet DIR');
  const db = await openCaseOrBundle(a.positionals[0]!, a.has('json'));
  try {
    let s;
    try {
      s = await exportCaseToParquet(db, dir);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) throw new InputError(`export: ${err.message}`);
      throw e;
    }
    if (a.has('json')) {
      writeJson(s);
      return 0;
    }
    const rows = s.files.reduce((n, f) => n + f.rows, 0);
    writeText(
      escapeText(`Exported ${s.run_key} (inputs ${s.inputs_sha256.slice(0, 16)}…) to ${dir}: ${plural(s.files.length, 'table')}, ${plural(rows, 'row')}`) +
        '\n\n' +
        renderTable(s.files, [
          { header: 'table', get: (f) => f.table },
          { header: 'rows', get: (f) => f.rows, right: true },
          { header: 'file', get: (f) => f.file },
        ]),
    );
    return 0;
  } finally {
    db.close();
  }
}
