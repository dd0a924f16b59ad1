/** `runlens findings <case|bundle> [--json]` */
import { baselineFindings, compareCases } from '../compare/compare';
import { listFindings, NO_POLICY_NOTE } from '../queries/index';
import { BUILTIN_RULES } from '../analysis/detections/index';
import type { Db } from '../db/open';
import { parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { escapeText } from './escape';
import { UsageError } from './errors';
import { plural, setRevealSecrets, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const FINDINGS_HELP = `Usage: runlens findings <case|bundle> [--baseline <case|bundle>]… [--json] [--reveal-secrets]

List findings, one row each, most severe first, then by time: calls to endpoints outside the egress policy's
allowed_endpoints (anomalous-endpoint), blocked calls (blocked-call), Runlens's local detections (${BUILTIN_RULES.map((r) => r.id).join(', ')}; user rules and IOCs of import --rules) and the producer's own detections. Findings
about the same endpoint (or the same process or source line) are one row that names everyone who raised it.
Without a policy there are no allow-list findings, and the output says so.
  --baseline B       (repeatable) earlier runs of the job: adds a finding "new endpoint against the baseline"
                     (new-endpoint-vs-baseline) for each endpoint the run called and no baseline did (runlens compare)
  --reveal-secrets   show tokens in titles and evidence as they are (masked by default)
`;

export async function findingsCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { json: {}, help: {}, 'reveal-secrets': {}, baseline: { value: true, repeat: true } }, 'findings');
  if (a.has('help')) return showHelp(FINDINGS_HELP);
  if (a.positionals.length !== 1) throw new UsageError('findings: give exactly one case file or bundle');
  const db = await openCaseOrBundle(a.positionals[0]!, a.has('json'));
  try {
    setRevealSecrets(a.has('reveal-secrets'));
    const r = listFindings(db, { mask: !a.has('reveal-secrets') });
    if (a.has('baseline')) {
      const extra = await withBaselineDbs(a.all('baseline'), a.has('json'), (bs) => baselineFindings(db, compareCases({ db, file: a.positionals[0]! }, bs), !a.has('reveal-secrets')));
      r.findings.push(...extra);
    }
    if (a.has('json')) {
      writeJson(r.policy ? { findings: r.findings, policy: r.policy } : { findings: r.findings, policy: null, note: r.note ?? NO_POLICY_NOTE });
      return 0;
    }
    const out: string[] = [];
    if (r.policy) {
      out.push(escapeText(`Policy: egress ${r.policy.egress_policy}; allowed: ${r.policy.allowed_endpoints.join(', ') || '(none)'}`));
    } else {
      out.push(`Note: ${NO_POLICY_NOTE}.`);
    }
    out.push('');
    if (r.findings.length === 0) {
      out.push('No findings.');
    } else {
      out.push(plural(r.findings.length, 'finding') + ':', '');
      out.push(
        renderTable(r.findings, [
          { header: 'severity', get: (f) => f.severity },
          { header: 'kind', get: (f) => f.kinds.join(',') },
          { header: 'raised by', get: (f) => f.by.join(', ') },
          { header: 'endpoint / process', get: (f) => f.endpoint ?? (f.processes[0] ? `${f.processes[0].pid} ${f.processes[0].exe ?? '?'}` : '-') },
          { header: 'calls', get: (f) => f.calls, right: true },
          { header: 'first seen', get: (f) => f.first_seen },
          { header: 'steps', get: (f) => f.steps.map((s) => `${s.number} ${s.name}`).join('; ') || null },
          { header: 'title', get: (f) => f.title },
        ]),
      );
    }
    writeText(out.join('\n'));
    return 0;
  } finally {
    db.close();
  }
}

async function withBaselineDbs<T>(paths: string[], quiet: boolean, fn: (bs: { db: Db; file: string }[]) => T): Promise<T> {
  const bs: { db: Db; file: string }[] = [];
  try {
    for (const p of paths) bs.push({ db: await openCaseOrBundle(p, quiet), file: p });
    return fn(bs);
  } finally {
    for (const b of bs) b.db.close();
  }
}
