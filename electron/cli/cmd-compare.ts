/** `runlens compare <case|bundle> <baseline…> [--json]`: what is new, gone or changed against baseline runs. */
import { baselineFindings, compareCases } from '../compare/compare';
import type { Db } from '../db/open';
import type { Comparison } from '../../shared/compare';
import { parseArgs } from './args';
import { existsSync } from 'node:fs';
import { defaultCaseFor, isCaseFile, mustExist, openCaseOrBundle, runImportCli } from './case-arg';
import { escapeText } from './escape';
import { UsageError } from './errors';
import { plural, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const COMPARE_HELP = `Usage: runlens compare <case|bundle> <baseline case|bundle>… [--json]

Compare a run with one or more earlier (good) runs of the same job. Several baselines make one: whatever any of
them did is known. Reports endpoints, processes (by executable and argument shape: numbers, hashes and temporary
names left out, pids never used), steps and actions (with their commits) that are new, gone or changed (an
endpoint or process now also in a step where no baseline had it; a step's conclusion; an action's commit), and a
finding "new endpoint against the baseline" for each endpoint the run called and no baseline did (also in
\`runlens findings <case> --baseline <baseline>…\`). The result depends on the case files alone.
  --json   {"case", "baselines", "endpoints": {new, gone, changed}, "processes": {new, gone, changed},
            "steps": {new, gone, changed}, "actions": {new, gone, changed}, "findings": [...]}
`;

/** Opens the case and its baselines (each a case file or a bundle), runs `fn`, closes them all. */
export async function withBaselines<T>(target: string, baselines: string[], quiet: boolean, fn: (c: { db: Db; file: string }, b: { db: Db; file: string }[]) => T): Promise<T> {
  const open: Db[] = [];
  try {
    const c = { db: await openCaseOrBundle(target, quiet), file: target };
    open.push(c.db);
    const bs: { db: Db; file: string }[] = [];
    for (const b of baselines) {
      const db = await openCaseOrBundle(b, quiet);
      open.push(db);
      bs.push({ db, file: b });
    }
    return fn(c, bs);
  } finally {
    for (const db of open) db.close();
  }
}

/** Baseline arguments (case files or bundles) as case files: a bundle is imported once (or its case reused). */
export async function baselineCaseFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const b of args) {
    mustExist(b);
    if (isCaseFile(b)) {
      out.push(b);
      continue;
    }
    const p = await defaultCaseFor([b]);
    out.push(existsSync(p) ? p : (await runImportCli({ inputs: [b], casePath: p })).case || p);
  }
  return out;
}

export function comparisonText(cmp: Comparison): string {
  const out: string[] = [];
  const runName = (r: Comparison['case']) => {
    const run = r.run ?? {};
    const id = [run.repository, run.run_id !== undefined ? `run ${String(run.run_id)}` : null, run.job !== undefined ? `job ${String(run.job)}` : null].filter(Boolean).join(' ');
    return `${r.file}${id ? ` (${id})` : ''}`;
  };
  out.push(escapeText(`Case: ${runName(cmp.case)}`));
  out.push(escapeText(`Baseline: ${plural(cmp.baselines.length, 'run')}: ${cmp.baselines.map(runName).join('; ')}`), '');
  const section = <T>(title: string, rows: T[], cols: Parameters<typeof renderTable<T>>[1]) => {
    out.push(`${title}: ${rows.length === 0 ? 'none' : rows.length}`);
    if (rows.length) out.push(renderTable(rows, cols));
    out.push('');
  };
  section('New endpoints', cmp.endpoints.new, [
    { header: 'endpoint', get: (e) => e.endpoint },
    { header: 'calls', get: (e) => e.calls, right: true },
    { header: 'first seen', get: (e) => e.first_seen },
    { header: 'processes', get: (e) => e.processes.join('; ') || null },
    { header: 'steps', get: (e) => e.steps.join('; ') || null },
  ]);
  section('Gone endpoints', cmp.endpoints.gone, [
    { header: 'endpoint', get: (e) => e.endpoint },
    { header: 'in baselines', get: (e) => e.baselines, right: true },
    { header: 'baseline calls', get: (e) => e.baseline_calls, right: true },
  ]);
  section('Endpoints called from a new step', cmp.endpoints.changed, [
    { header: 'endpoint', get: (e) => e.endpoint },
    { header: 'calls', get: (e) => e.calls, right: true },
    { header: 'new steps', get: (e) => e.steps.join('; ') },
    { header: 'baseline steps', get: (e) => e.baseline_steps.join('; ') || null },
  ]);
  section('New processes', cmp.processes.new, [
    { header: 'exe', get: (p) => p.exe },
    { header: 'arguments (shape)', get: (p) => p.args_shape.join(' ') },
    { header: 'count', get: (p) => p.count, right: true },
    { header: 'pids', get: (p) => p.pids.join(' ') },
    { header: 'steps', get: (p) => p.steps.join('; ') || null },
  ]);
  section('Gone processes', cmp.processes.gone, [
    { header: 'exe', get: (p) => p.exe },
    { header: 'arguments (shape)', get: (p) => p.args_shape.join(' ') },
    { header: 'in baselines', get: (p) => p.baselines, right: true },
  ]);
  section('Processes run in a new step', cmp.processes.changed, [
    { header: 'exe', get: (p) => p.exe },
    { header: 'arguments (shape)', get: (p) => p.args_shape.join(' ') },
    { header: 'new steps', get: (p) => p.steps.join('; ') },
    { header: 'baseline steps', get: (p) => p.baseline_steps.join('; ') || null },
  ]);
  section('New steps', cmp.steps.new, [
    { header: 'job', get: (s) => s.job },
    { header: '#', get: (s) => s.number, right: true },
    { header: 'name', get: (s) => s.name },
  ]);
  section('Gone steps', cmp.steps.gone, [
    { header: 'job', get: (s) => s.job },
    { header: '#', get: (s) => s.number, right: true },
    { header: 'name', get: (s) => s.name },
  ]);
  section('Changed steps', cmp.steps.changed, [
    { header: 'job', get: (s) => s.job },
    { header: 'name', get: (s) => s.name },
    { header: 'field', get: (s) => s.field },
    { header: 'now', get: (s) => s.value },
    { header: 'baseline', get: (s) => s.baseline_values.map((v) => v ?? '-').join(', ') },
  ]);
  section('New actions', cmp.actions.new, [
    { header: 'action', get: (a) => a.action },
    { header: 'refs', get: (a) => a.refs.join(', ') },
    { header: 'steps', get: (a) => a.steps.join('; ') },
  ]);
  section('Gone actions', cmp.actions.gone, [
    { header: 'action', get: (a) => a.action },
    { header: 'baseline refs', get: (a) => a.baseline_refs.join(', ') },
  ]);
  section('Changed actions', cmp.actions.changed, [
    { header: 'action', get: (a) => a.action },
    { header: 'now', get: (a) => a.refs.join(', ') },
    { header: 'baseline', get: (a) => a.baseline_refs.join(', ') },
    { header: 'steps', get: (a) => a.steps.join('; ') },
  ]);
  return out.join('\n');
}


export async function compareCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { json: {}, help: {} }, 'compare');
  if (a.has('help')) return showHelp(COMPARE_HELP);
  if (a.positionals.length < 2) throw new UsageError('compare: give a case (or bundle) and at least one baseline case (or bundle)');
  const [target, ...baselines] = a.positionals as [string, ...string[]];
  return withBaselines(target, baselines, a.has('json'), (c, bs) => {
    const cmp = compareCases(c, bs);
    const findings = baselineFindings(c.db, cmp);
    if (a.has('json')) {
      writeJson({ ...cmp, findings });
      return 0;
    }
    const lines = [comparisonText(cmp)];
    lines.push(`Findings against the baseline: ${findings.length === 0 ? 'none' : findings.length}`);
    for (const f of findings) lines.push(escapeText(`  ${f.severity}  ${f.kind}  ${f.title ?? ''}`));
    writeText(lines.join('\n'));
    return 0;
  });
}
