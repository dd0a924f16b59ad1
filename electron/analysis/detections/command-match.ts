/**
 * Shared by the rules that look for a command: run a test over every process's command line and over the log
 * lines that contain one of the rule's literal needles (a step's script is printed in its log, so a case holding
 * only logs is covered too). One finding per matching process; log matches are grouped per step.
 */
import type { DetectionInput, EvidenceRef, Hit, Severity } from './types';

export interface CommandTest {
  /** Literal substrings one of which any match contains (cheap pre-filter for the log lines). */
  needles: readonly string[];
  /** Why the text matches (a short phrase), or null. */
  test(text: string): string | null;
  /** Optional per-match severity (default: the rule's). */
  severity?(why: string): Severity | undefined;
  /** Skip processes (when only logs make sense) or logs. */
  processes?: boolean;
  logs?: boolean;
}

const MAX_LOG_EVIDENCE = 200;
export const clip = (t: string, n = 120): string => (t.length > n ? t.slice(0, n - 1) + '…' : t);

export function commandHits(input: DetectionInput, t: CommandTest): Hit[] {
  const hits: Hit[] = [];
  if (t.processes !== false) {
    for (const p of input.processesWith(t.needles)) {
      const why = t.test(p.cmd);
      if (!why) continue;
      hits.push({
        title: `${why}: ${clip(p.cmd)}`,
        severity: t.severity?.(why),
        processId: p.id,
        stepId: p.stepId,
        first: p.start,
        evidence: [{ table: 'processes', id: p.id }],
      });
    }
  }
  if (t.logs !== false) {
    const bySteps = new Map<string, { why: string; lines: { id: number; ts: bigint | null; text: string }[]; stepId: number | null }>();
    const lines = input.logLinesWith(t.needles, (text) => t.test(text) !== null);
    for (const l of lines) {
      const why = t.test(l.text);
      if (!why) continue;
      const key = `${l.stepId ?? '-'}|${why}`;
      let g = bySteps.get(key);
      if (!g) bySteps.set(key, (g = { why, lines: [], stepId: l.stepId }));
      g.lines.push(l);
    }
    for (const g of bySteps.values()) {
      const step = input.steps.find((s) => s.id === g.stepId);
      const first = g.lines.find((l) => l.ts !== null)?.ts ?? null;
      const evidence: EvidenceRef[] = g.lines.slice(0, MAX_LOG_EVIDENCE).map((l) => ({ table: 'log_lines', id: l.id }));
      hits.push({
        title: `${g.why} in the log${step ? ` of step ${step.number} ${step.name}` : ''}: ${clip(g.lines[0]!.text.trim())}`,
        severity: t.severity?.(g.why),
        stepId: g.stepId,
        first,
        last: [...g.lines].reverse().find((l) => l.ts !== null)?.ts ?? first,
        evidence,
      });
    }
  }
  return hits;
}
