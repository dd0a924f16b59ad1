/** `runlens explain <case|bundle> --endpoint <domain|ip>[:port] [--limit N] [--window S] [--json]` (or `--call ID`) */
import type { StepMention } from '../queries/log-mentions';
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
the answer first (which process made it and its chain, root first; which step started that process tree, the
action; what the policy says; the log lines that mention it), then the context (time, HTTP, which step was
running, the process, the source record, the log lines around it with the call's moment marked).
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

/** What the policy says, in words that never contradict the recorded status (as the app says it). */
function policyWords(c: CallExplanation): string {
  switch (c.verdict) {
    case 'allowed':
      return `inside the allow-list${c.policy?.allowed_by ? ` (allowed by ${c.policy.allowed_by})` : ''}`;
    case 'outside-policy':
      return c.status === 'blocked' ? 'outside the allow-list (and blocked)' : 'outside the allow-list, not enforced (audit): the call went through';
    case 'blocked':
      return 'blocked';
    case 'no-policy':
      return 'no policy given';
  }
}

/** The log lines around the call with the call's moment marked between the line before it and the line after it. */
function contextLines(c: CallExplanation): string[] {
  const lines = logLines(c.log_context);
  const at = c.log_context.findIndex((l) => l.ts !== null && l.ts > c.ts);
  const mark = `    ${c.ts}  ◆ the call`;
  lines.splice(at < 0 ? lines.length : at, 0, mark);
  return lines;
}

/**
 * One call, answer first: who made it (command, chain root first), in which step (action), what the policy says,
 * the log lines that mention it; then the context (time, endpoint, HTTP, process details, source, the log around it).
 */
function describe(c: CallExplanation, n: number, total: number, window: number): string {
  const e = escapeText;
  const out: string[] = [];
  const host = c.domain && c.ip ? `${c.domain} (${c.ip})` : (c.domain ?? c.ip ?? '?');
  const who = c.process ? procLabel(c.process) : `${c.process_name ?? '?'}${c.pid !== null ? ` (${c.pid})` : ''}`;
  out.push(e(`Call ${n} of ${total} [id ${c.id}]  ${host} port ${c.port}`));
  out.push(e(`  answer      ${who} in step ${c.step ? `${c.step.number} ${c.step.name}` : '(unknown)'}; ${policyWords(c)}`));
  const row = (k: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') out.push(`  ${k.padEnd(12)}${e(v)}`);
  };
  row('step', c.step ? `${c.step.number} ${c.step.name}` : '(unknown)');
  row('action', c.step ? (c.step.uses ?? 'run script (no action)') : null);
  if (c.running_step && c.running_step.id !== c.step?.id) row('running', `${c.running_step.number} ${c.running_step.name} (a different step was running)`);
  else if (c.running_step) row('running', `${c.running_step.number} ${c.running_step.name}`);
  if (c.process) row('command', c.process.args.length ? joinShellWords(c.process.args) : c.process.exe);
  const chain = [...c.ancestors].reverse();
  if (c.process) chain.push(c.process);
  if (chain.length) row('chain', chain.map(procLabel).join(' → '));
  row('policy', policyWords(c));
  if (c.finding) row('finding', `${c.finding.kinds.join(', ')} (${c.finding.severity})`);
  out.push(`  log mentions: ${c.log_mentions.length ? '' : 'none'}`, ...logLines(c.log_mentions));
  out.push('  -- context --');
  row('time', c.ts);
  row('endpoint', `${c.endpoint}  ${c.protocol}`);
  if (c.domain_origin === 'dns') row('domain', `${c.domain} (derived from a DNS answer for ${c.ip}; the record has only the IP)`);
  row('recorded', c.status === 'allowed' ? 'not blocked (the agent let it through)' : c.status);
  if (c.policy) row('matched', [c.policy.matched && `matched ${c.policy.matched}`, c.policy.reason].filter(Boolean).join('; ') || null);
  if (c.http) row('http', [c.http.method, c.http.host, c.http.path, c.http.status_code !== null ? `→ ${c.http.status_code}` : null].filter((x) => x !== null && x !== undefined).join(' '));
  if (c.tool) row('tool', [c.tool.name, c.tool.sha256 && `sha256 ${c.tool.sha256}`].filter(Boolean).join(' '));
  if (c.process) {
    row('process', `pid ${c.process.pid} ${c.process.exe ?? '?'}${c.process.start ? `  started ${c.process.start}` : ''}${c.process.end ? `  ended ${c.process.end}` : ''}`);
    row('cwd', c.process.cwd);
  } else {
    row('process', `${c.pid !== null ? `pid ${c.pid} ` : ''}${c.process_name ?? ''}`.trim() || '(unknown)');
  }
  row('source', `${c.source.file}${c.source.line !== null ? `:${c.source.line}` : ''}`);
  out.push(`  log context (±${window} s): ${c.log_context.length ? '' : 'none'}`, ...(c.log_context.length ? contextLines(c) : []));
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
    let result: { endpoint: string; total: number; calls: CallExplanation[]; mentioned_in_log?: StepMention[] };
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
    const said = result.mentioned_in_log ?? [];
    const mentions = said.length
      ? [
          '',
          `Mentioned in the log (what the log writes, not an observed call): ${plural(said.length, 'step')}`,
          ...said.map((m) => escapeText(`  ${m.job} · ${m.step ?? '(outside the steps)'}: ${plural(m.lines, 'line')}`)),
        ]
      : [];
    writeText([escapeText(head), ...mentions, ...result.calls.map((c, i) => '\n' + describe(c, i + 1, result.total, window))].join('\n'));
    return 0;
  } finally {
    db.close();
  }
}
