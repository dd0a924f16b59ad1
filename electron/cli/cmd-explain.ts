/** `runlens explain <case|bundle> --endpoint <domain|ip>[:port] [--limit N] [--window S] [--json]` (or `--call ID`) */
import type { CallExplanation, LogRef, ProcessRef } from '../../shared/api';
import { joinShellWords } from '../../shared/shellwords';
import { CallExplainer, DEFAULT_LIMIT, DEFAULT_WINDOW_SECONDS, explainEndpoint, QueryError } from '../queries/index';
import { intFlag, numberFlag, parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { plural, showHelp, writeJson, writeText } from './output';
import { parseEndpointArg } from '../queries/endpoint-arg';

export const EXPLAIN_HELP = `Usage: runlens explain <case|bundle> --endpoint <domain|ip>[:port] [--limit N] [--window S] [--json]
       runlens explain <case|bundle> --call ID [--limit N] [--window S] [--json]

Explain every call to an endpoint (no port: every port; an IP also finds calls named after its domain):
which process made it and its parent chain, which step started that process tree and which step was running,
the action (uses), HTTP, the policy verdict, the log lines around it and the log lines that mention it.
  --endpoint E   domain, IP, host:port, [IPv6]:port
  --call ID      one call, by its id (as the app and --json show it)
  --limit N      cap on calls and on each log list (default ${DEFAULT_LIMIT})
  --window S     log context: lines within ±S seconds of the call (default ${DEFAULT_WINDOW_SECONDS})
`;

function procLabel(p: ProcessRef): string {
  const name = p.exe ? p.exe.split('/').pop() || p.exe : (p.args[0] ?? '?');
  return `${name} (${p.pid})`;
}

function logLines(list: LogRef[]): string[] {
  return list.map((l) => `    ${l.ts ?? '(untimed)'}  ${l.step === null ? '  -' : String(l.step).padStart(3)}  ${escapeText(l.text)}`);
}

function describe(c: CallExplanation, n: number, total: number, window: number): string {
  const e = escapeText;
  const out: string[] = [];
  const host = c.domain && c.ip ? `${c.domain} (${c.ip})` : (c.domain ?? c.ip ?? '?');
  out.push(e(`Call ${n} of ${total} [id ${c.id}]  ${c.ts}  ${host} port ${c.port}/${c.protocol}  status ${c.status}  verdict ${c.verdict}`));
  const row = (k: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') out.push(`  ${k.padEnd(12)}${e(v)}`);
  };
  row('endpoint', c.endpoint);
  if (c.finding) row('finding', `${c.finding.kinds.join(', ')} (${c.finding.severity})`);
  if (c.policy) {
    row('policy', [c.policy.allowed_by && `allowed by ${c.policy.allowed_by}`, c.policy.matched && `matched ${c.policy.matched}`, c.policy.reason].filter(Boolean).join('; ') || null);
  }
  if (c.http) row('http', [c.http.method, c.http.host, c.http.path, c.http.status_code !== null ? `→ ${c.http.status_code}` : null].filter((x) => x !== null && x !== undefined).join(' '));
  if (c.tool) row('tool', [c.tool.name, c.tool.sha256 && `sha256 ${c.tool.sha256}`].filter(Boolean).join(' '));
  if (c.process) {
    row('process', `pid ${c.process.pid} ${c.process.exe ?? '?'}${c.process.start ? `  started ${c.process.start}` : ''}${c.process.end ? `  ended ${c.process.end}` : ''}`);
    row('command', c.process.args.length ? joinShellWords(c.process.args) : null);
    row('cwd', c.process.cwd);
  } else {
    row('process', `${c.pid !== null ? `pid ${c.pid} ` : ''}${c.process_name ?? ''}`.trim() || '(unknown)');
  }
  if (c.ancestors.length) row('parents', c.ancestors.map(procLabel).join(' ← '));
  row('step', c.step ? `${c.step.number} ${c.step.name}` : '(unknown)');
  if (c.step?.uses) row('action', c.step.uses);
  if (c.running_step && c.running_step.id !== c.step?.id) row('running', `${c.running_step.number} ${c.running_step.name} (a different step was running)`);
  else if (c.running_step) row('running', `${c.running_step.number} ${c.running_step.name}`);
  row('source', `${c.source.file}${c.source.line !== null ? `:${c.source.line}` : ''}`);
  out.push(`  log context (±${window} s): ${c.log_context.length ? '' : 'none'}`, ...logLines(c.log_context));
  out.push(`  log mentions: ${c.log_mentions.length ? '' : 'none'}`, ...logLines(c.log_mentions));
  return out.map((l) => l.trimEnd()).join('\n');
}

export async function explainCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { endpoint: { value: true }, call: { value: true }, limit: { value: true }, window: { value: true }, json: {}, help: {} }, 'explain');
  if (a.has('help')) return showHelp(EXPLAIN_HELP);
  if (a.positionals.length !== 1) throw new UsageError('explain: give exactly one case file or bundle');
  if (a.has('endpoint') === a.has('call')) throw new UsageError('explain: give --endpoint <domain|ip>[:port] (or --call ID)');
  const limit = intFlag(a, 'limit', DEFAULT_LIMIT, 1, 100000, 'explain');
  const window = numberFlag(a, 'window', DEFAULT_WINDOW_SECONDS, 0, 86400, 'explain');
  const endpoint = a.get('endpoint');
  if (endpoint !== undefined) {
    const ep = parseEndpointArg(endpoint);
    if ('error' in ep) throw new UsageError(`explain: --endpoint: ${ep.error}`);
  }
  const callId = a.has('call') ? intFlag(a, 'call', 0, 0, Number.MAX_SAFE_INTEGER, 'explain') : null;
  const db = await openCaseOrBundle(a.positionals[0]!, a.has('json'));
  try {
    let result: { endpoint: string; total: number; calls: CallExplanation[] };
    try {
      if (endpoint !== undefined) {
        result = explainEndpoint(db, endpoint, { limit, window });
      } else {
        const c = new CallExplainer(db).explain(callId!, { limit, window });
        result = { endpoint: c.endpoint, total: 1, calls: [c] };
      }
    } catch (e) {
      if (e instanceof QueryError) throw new InputError(e.message);
      throw e;
    }
    if (a.has('json')) {
      writeJson(result);
      return 0;
    }
    const head =
      result.total === 0
        ? `No calls to ${result.endpoint} in this case.`
        : `${result.endpoint}: ${plural(result.total, 'call')}${result.total > result.calls.length ? ` (showing the first ${result.calls.length}; --limit)` : ''}`;
    writeText([escapeText(head), ...result.calls.map((c, i) => '\n' + describe(c, i + 1, result.total, window))].join('\n'));
    return 0;
  } finally {
    db.close();
  }
}
