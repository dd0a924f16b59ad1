/** `runlens import <bundle…> [--case FILE] [--force] [--date YYYY-MM-DD] [--offset SOURCE=±SECONDS] [--json]` */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parseRfc3339 } from '../../shared/time';
import { caseInfo } from '../queries/index';
import { parseArgs } from './args';
import { defaultCaseFor, isRunlensCase, mustExist, openCase, runImportCli } from './case-arg';
import type { ImportSummary } from '../import/run-import';
import { fileAccounting } from '../queries/case-info';
import { readRulesFile, type StoredRules } from '../analysis/detections/rules-file';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { plural, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const IMPORT_HELP = `Usage: runlens import <bundle…> [--case FILE] [--force] [--date YYYY-MM-DD] [--offset SOURCE=±SECONDS] [--rules FILE] [--json]

Import one or more bundles (folder, .zip, .tar.gz/.tgz, or single telemetry/log files) into one case file.
  --case FILE        write the case here (a new file); default: the per-user case folder, named by the inputs' hashes
  --force            replace an existing case file (without it: --case refuses, the default location is reused)
  --date YYYY-MM-DD  day for sources whose timestamps carry only a time of day
  --offset S=±SEC    shift the times of source S (an input path or a format name) by ±SEC seconds; repeatable
  --rules FILE       user rules and IOC lists (YAML or JSON; see docs/cli.md) applied by the analysis
  --json             print the import summary as one JSON document
`;

const MAX_WARNINGS_SHOWN = 50;

function parseOffsets(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^(.+)=([+-]?\d+(?:\.\d+)?)$/.exec(v);
    if (!m) throw new UsageError(`import: --offset wants SOURCE=±SECONDS, not ${JSON.stringify(v)}`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

function parseDate(v: string | undefined): bigint | null {
  if (v === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`import: --date wants YYYY-MM-DD, not ${JSON.stringify(v)}`);
  try {
    return parseRfc3339(`${v}T00:00:00Z`);
  } catch {
    throw new UsageError(`import: --date is not a real day: ${v}`);
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** sha256 of the rules file a case was imported with (null: none). */
function storedRulesHash(casePath: string): string | null {
  const db = openCase(casePath);
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'rules'").get() as { value: string } | undefined;
    const v = row ? (JSON.parse(row.value) as { sha256?: unknown } | null) : null;
    return typeof v?.sha256 === 'string' ? v.sha256 : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** The summary of a case imported earlier (the default location is reused). */
function summaryOf(casePath: string): ImportSummary {
  const db = openCase(casePath);
  try {
    const i = caseInfo(db);
    const { network, dns, processes, process_events, log_lines, steps, files } = i.counts;
    return {
      case: casePath,
      inputs: i.inputs.map(({ path, sha256, bytes }) => ({ path, sha256, bytes })),
      counts: { network, dns, processes, process_events, log_lines, steps, files },
      warnings: i.warnings,
      files: fileAccounting(db),
    };
  } finally {
    db.close();
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { case: { value: true }, force: {}, date: { value: true }, offset: { value: true, repeat: true }, rules: { value: true }, json: {}, help: {} }, 'import');
  if (a.has('help')) return showHelp(IMPORT_HELP);
  if (a.positionals.length === 0) throw new UsageError('import: give at least one bundle to import');
  const date = parseDate(a.get('date'));
  const offsets = parseOffsets(a.all('offset'));
  const force = a.has('force');
  for (const p of a.positionals) mustExist(p);
  const rulesArg = a.get('rules');
  let rules: StoredRules | null = null;
  if (rulesArg !== undefined) {
    try {
      rules = readRulesFile(rulesArg);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  }
  const inputs = a.positionals;

  let casePath = a.get('case');
  let reused = false;
  let replace = false;
  if (casePath !== undefined) {
    if (casePath === '') throw new UsageError('import: --case needs a file name');
    const target = real(casePath);
    for (const inp of inputs) {
      const ri = real(inp);
      if (target === ri || target.startsWith(ri + path.sep)) {
        throw new InputError(`refusing to write the case into the evidence: ${casePath} is (inside) input ${inp}`);
      }
    }
    if (existsSync(casePath) && !force) throw new InputError(`case file already exists: ${casePath} (use --force to replace it)`);
    if (existsSync(casePath) && !isRunlensCase(casePath)) {
      throw new InputError(`${casePath} exists and is not a case file (not a Runlens schema); not replacing it, even with --force`);
    }
  } else {
    casePath = await defaultCaseFor(inputs);
    reused = existsSync(casePath) && !force;
    // The default case of these inputs holds other rules: import again with these.
    if (reused && storedRulesHash(casePath) !== (rules?.sha256 ?? null)) {
      reused = false;
      replace = true;
    }
  }

  const summary = reused ? summaryOf(casePath) : await runImportCli({ inputs, casePath, force: force || replace, date, offsets, rules });
  if (a.has('json')) {
    writeJson(summary);
    return 0;
  }
  const out: string[] = [];
  out.push(escapeText(`${reused ? 'Already imported (use --force to import again)' : 'Imported'}: ${summary.case}`), '');
  out.push(renderTable(summary.inputs, [
    { header: 'input', get: (r) => r.path },
    { header: 'bytes', get: (r) => r.bytes, right: true },
    { header: 'sha256', get: (r) => r.sha256 },
  ]));
  const c = summary.counts;
  out.push(renderTable(
    [['network calls', c.network], ['dns', c.dns], ['processes', c.processes], ['process events', c.process_events],
      ['log lines', c.log_lines], ['steps', c.steps], ['file events', c.files]] as [string, number][],
    [{ header: 'records', get: (r) => r[0] }, { header: 'count', get: (r) => r[1], right: true }],
  ));
  const files = summary.files ?? [];
  if (files.length) {
    const sum = (k: 'lines' | 'lines_stored' | 'lines_skipped') => files.reduce((n, f) => n + f[k], 0);
    out.push(`${plural(files.length, 'file')} read: ${sum('lines')} lines, ${sum('lines_stored')} stored, ${sum('lines_skipped')} skipped (--json: per file, with reasons)`);
  }
  for (const n of summary.notes ?? []) out.push(escapeText(`note: ${n}`));
  const w = summary.warnings;
  if (w.length) {
    out.push(plural(w.length, 'warning') + ':');
    for (const x of w.slice(0, MAX_WARNINGS_SHOWN)) {
      out.push('  ' + escapeText(`${x.file ?? '(import)'}${x.line !== null ? `:${x.line}` : ''}: ${x.message}`));
    }
    if (w.length > MAX_WARNINGS_SHOWN) out.push(`  … ${w.length - MAX_WARNINGS_SHOWN} more (--json shows all)`);
  }
  writeText(out.join('\n'));
  return 0;
}
