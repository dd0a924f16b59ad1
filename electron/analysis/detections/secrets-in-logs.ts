/**
 * Secrets printed in logs: a token of a known format (shared/secrets.ts: GitHub, AWS, Slack, npm, GitLab, Google,
 * JWT, private keys, Authorization headers, passwords in URLs) in a log line that GitHub did not mask. One
 * finding per step and format, its lines as evidence.
 * Near misses that do NOT match: GitHub's masked `***`, `ghp_` followed by too few characters, `Authorization: ***`.
 */
import { findSecrets, maySecret } from '../../../shared/secrets';
import type { DetectionRule, Hit } from './types';

const NEEDLES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'AKIA', 'ASIA', 'xox', 'npm_', 'glpat-', 'AIza', 'eyJ', 'PRIVATE KEY', 'uthorization', 'UTHORIZATION'];

export const secretsInLogs: DetectionRule = {
  id: 'secrets-in-logs',
  kind: 'secret-in-log',
  severity: 'high',
  describe: 'secrets printed in logs (common token formats, Authorization headers, passwords in URLs)',
  logNeedles: NEEDLES,
  logScans: [{ needles: ['://'], keep: maySecret }],
  run(input) {
    const groups = new Map<string, { name: string; stepId: number | null; lines: { id: number; ts: bigint | null }[] }>();
    // URLs are on many lines: those are scanned on their own and only lines with `user:password@` are kept.
    const lines = [...input.logLinesWith(NEEDLES, maySecret), ...input.logLinesWith(['://'], maySecret)].sort((a, b) => a.id - b.id);
    for (const l of lines) {
      for (const h of findSecrets(l.text)) {
        const key = `${l.stepId ?? '-'}|${h.format.id}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { name: h.format.name, stepId: l.stepId, lines: [] }));
        if (!g.lines.some((x) => x.id === l.id)) g.lines.push(l);
      }
    }
    const hits: Hit[] = [];
    for (const g of groups.values()) {
      const step = input.steps.find((s) => s.id === g.stepId);
      const n = g.lines.length;
      hits.push({
        title: `${g.name} printed in the log${step ? ` of step ${step.number} ${step.name}` : ''} (${n} line${n === 1 ? '' : 's'})`,
        stepId: g.stepId,
        first: g.lines.find((l) => l.ts !== null)?.ts ?? null,
        evidence: g.lines.slice(0, 200).map((l) => ({ table: 'log_lines' as const, id: l.id })),
      });
    }
    return hits;
  },
};
