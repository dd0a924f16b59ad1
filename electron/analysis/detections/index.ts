/**
 * Local detections: every built-in rule (one file each, all behind DetectionRule in types.ts) plus the user's
 * rules from `meta.rules`, run at the end of the analysis. Each hit becomes a finding (origin `viewer`, `rule` =
 * the rule's id, kind, severity, title, endpoint, process, step, first/last time) and its evidence rows go into
 * `finding_evidence`. A rule that throws is reported as a warning and the others still run.
 */
import type { Db } from '../../db/open';
import type { CaseContext } from '../case-context';
import { downloadAndRun } from './download-and-run';
import { httpsExfiltration } from './https-exfiltration';
import { loadDetectionInput, type ProcessRecord } from './input';
import { LogScanSet, scansOf, type LogCandidates } from './log-scan';
import { privilegedContainer } from './privileged-container';
import { reverseShell } from './reverse-shell';
import type { RulesSpec, StoredRules } from './rules-file';
import { runnerMemory } from './runner-memory';
import { secretsInLogs } from './secrets-in-logs';
import { sourceOverwrite } from './source-overwrite';
import { sudo } from './sudo';
import type { DetectionRule, Hit } from './types';
import { userRules } from './user-rules';

export const BUILTIN_RULES: readonly DetectionRule[] = [
  httpsExfiltration,
  reverseShell,
  downloadAndRun,
  runnerMemory,
  privilegedContainer,
  sourceOverwrite,
  sudo,
  secretsInLogs,
];

/**
 * The log lines the built-in rules read, as one test per line: the import's writer applies it to every line it
 * stores (run-import.ts), so the analysis does not read the log again for them. One instance: `runRules` uses the
 * writer's ids only when they were collected with this very set.
 */
export const BUILTIN_LOG_SCANS = new LogScanSet(BUILTIN_RULES.flatMap(scansOf));

/** The rules file stored at import, or null (none given, or unreadable: then a warning). */
export function storedRules(db: Db, warn: CaseContext['warn']): StoredRules | null {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'rules'").get() as { value: string } | undefined;
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as StoredRules | null;
    if (!v) return null;
    // Loaded here, when a case has stored rules: the rules file's schema (zod) and YAML reader are ~20 ms of module
    // start-up that the import worker's start — the head of the first screen's path (benchmark 7) — does not need
    // (test/unit/start-graph.test.ts).
    /* eslint-disable-next-line @typescript-eslint/no-require-imports */
    const { rulesFileSchema } = require('./rules-file') as typeof import('./rules-file');
    return { ...v, spec: rulesFileSchema.parse(v.spec) };
  } catch (e) {
    warn({ file: null, line: null, message: `rules: the stored rules cannot be read (${(e as Error).message.split('\n')[0]}); user rules skipped` });
    return null;
  }
}

export interface RuleHits {
  rule: DetectionRule;
  hits: Hit[];
}

/**
 * Run the rules on the analysed case (read only); used by writeDetections and by the rule tests. `candidates`: the
 * lines of `BUILTIN_LOG_SCANS` the import's writer found (log-scan.ts), used when they still hold.
 */
/**
 * `processes`: the analysis's instances just written to `processes` (the same rows, read from memory instead of
 * the table: finalizeCase passes its process model), or null to read the table.
 */
export function runRules(
  db: Db,
  ctx: CaseContext,
  rules: readonly DetectionRule[],
  candidates: LogCandidates | null = null,
  processes: readonly ProcessRecord[] | null = null,
): RuleHits[] {
  // the same rules read the log as the built-in set (user rules read it through '' = every line, not a scan)
  const reading = new Set(rules.filter((r) => scansOf(r).length > 0));
  const builtinReading = BUILTIN_RULES.filter((r) => scansOf(r).length > 0);
  const same = reading.size === builtinReading.length && builtinReading.every((r) => reading.has(r));
  const scans = same ? BUILTIN_LOG_SCANS : new LogScanSet(rules.flatMap(scansOf));
  const processNeedles = [...new Set(rules.flatMap((r) => r.processNeedles ?? []))];
  const input = loadDetectionInput(db, ctx.policy, scans, candidates, processes, processNeedles);
  const out: RuleHits[] = [];
  for (const rule of rules) {
    try {
      out.push({ rule, hits: rule.run(input) });
    } catch (e) {
      ctx.warn({ file: null, line: null, message: `detection ${rule.id} failed: ${(e as Error).message}` });
    }
  }
  return out;
}

export function writeDetections(
  db: Db,
  ctx: CaseContext,
  spec: RulesSpec | null = storedRules(db, ctx.warn)?.spec ?? null,
  candidates: LogCandidates | null = null,
  processes: readonly ProcessRecord[] | null = null,
): number {
  const results = runRules(db, ctx, [...BUILTIN_RULES, ...userRules(spec)], candidates, processes);
  const ins = db.prepare(
    `INSERT INTO findings (kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen, detection_id, rule, process_id, step_id)
     VALUES (?, ?, ?, 'viewer', ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  const ev = db.prepare('INSERT OR IGNORE INTO finding_evidence (finding_id, tbl, row_id) VALUES (?, ?, ?)');
  let n = 0;
  for (const { rule, hits } of results) {
    for (const h of hits) {
      const kind = h.kind ?? rule.kind;
      const calls = h.evidence.filter((e) => e.table === 'network').length;
      const r = ins.run(
        kind, JSON.stringify([kind]), h.severity ?? rule.severity, h.endpoint ?? null, h.title, calls, h.first, h.last ?? h.first,
        rule.id, h.processId ?? null, h.stepId ?? null,
      );
      for (const e of h.evidence) ev.run(r.lastInsertRowid, e.table, e.id);
      n++;
    }
  }
  return n;
}
