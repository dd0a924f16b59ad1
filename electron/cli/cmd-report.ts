/** `runlens report <case|bundle> --format md|html|json [--out FILE] [--reveal-secrets]` */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index';
import { recordAction } from '../notes/notes';
import { parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { showHelp } from './output';

export const REPORT_HELP = `Usage: runlens report <case|bundle> --format md|html|json [--out FILE] [--reveal-secrets] [--force]

The case's report: run identity and input hashes, findings with their evidence (source file and line), the
process chain and log lines of each, the analyst's notes and verdicts, the action log, and a timeline picture.
HTML is one self-contained file (no script, nothing fetched: a strict Content-Security-Policy). Without --out
the report goes to stdout.
  --format F         md, html or json
  --out FILE         write it there (not over an existing file without --force)
  --reveal-secrets   tokens as they are (masked by default); recorded in the case's action log
`;

/** The action log is the sidecar beside the case; a case in a folder we cannot write to still gets its report. */
function logAction(casePath: string, action: string, detail: Record<string, unknown>): void {
  try {
    recordAction(casePath, action, detail);
  } catch (e) {
    process.stderr.write(escapeText(`runlens: could not record ${action} in the action log: ${(e as Error).message}`) + '\n');
  }
}

export async function reportCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { format: { value: true }, out: { value: true }, 'reveal-secrets': {}, force: {}, help: {} }, 'report');
  if (a.has('help')) return showHelp(REPORT_HELP);
  if (a.positionals.length !== 1) throw new UsageError('report: give exactly one case file or bundle');
  const format = a.get('format');
  if (!format || !(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError('report: --format must be md, html or json');
  const out = a.get('out');
  if (out !== undefined && existsSync(out) && !a.has('force')) throw new InputError(`${out} exists (use --force to replace it)`);
  const db = await openCaseOrBundle(a.positionals[0]!, true);
  try {
    const reveal = a.has('reveal-secrets');
    if (reveal) logAction(db.name, 'reveal-secrets', { where: 'runlens report', format });
    const text = renderReport(db, db.name, format as ReportFormat, { mask: !reveal });
    if (out === undefined) {
      process.stdout.write(text);
    } else {
      writeFileSync(out, text);
      logAction(db.name, 'export-report', { format, file: path.resolve(out) });
      process.stderr.write(escapeText(`runlens: report written to ${out}`) + '\n');
    }
    return 0;
  } finally {
    db.close();
  }
}
