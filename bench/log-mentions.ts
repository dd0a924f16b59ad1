/**
 * Benchmark 4: the log lines that mention a call's domain or IP — explain's whole-token search (LogRefs.mentioning:
 * FTS5 candidates, verified in JS) vs a `LIKE '%domain%'` scan of log_lines. For the rare exfiltration domain (the
 * call an analyst explains) and for a common one.
 */
import Database from 'better-sqlite3';
import { LogRefs } from '../electron/queries/log-refs';
import { comparePair } from './measure';
import type { BenchResult } from './report';

const LIMIT = 200; // explain's default cap on log_mentions

export function logMentionsBench(
  casePath: string,
  quick: boolean,
  cases: { id: string; label: string; domain: string; ip: string; expected?: number }[],
): BenchResult[] {
  const db = new Database(casePath, { readonly: true });
  const runs = quick ? 3 : 5;
  try {
    const refs = new LogRefs(db);
    const like = db.prepare(`SELECT id, ts, text FROM log_lines WHERE text LIKE ? OR text LIKE ?`).safeIntegers(true);
    const lines = (db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n;
    return cases.map((c) => {
      const found = refs.mentioning([c.domain, c.ip], LIMIT);
      const scanned = like.all(`%${c.domain}%`, `%${c.ip}%`) as { id: bigint }[];
      if (c.expected !== undefined && found.length !== Math.min(LIMIT, c.expected)) {
        throw new Error(`mentions of ${c.domain}: ${found.length} lines, expected ${c.expected}`);
      }
      const foundIds = new Set(found.map((r) => r.id));
      const likeIds = new Set(scanned.map((r) => Number(r.id)));
      // Whole-token matches are a subset of substring matches.
      const stray = [...foundIds].filter((id) => !likeIds.has(id));
      if (stray.length) throw new Error(`mentions of ${c.domain}: ${stray.length} lines the LIKE scan does not match`);
      const t = comparePair(
        () => refs.mentioning([c.domain, c.ip], LIMIT),
        () => like.all(`%${c.domain}%`, `%${c.ip}%`),
        runs,
      );
      return {
        id: c.id,
        name: `log mentions via FTS vs LIKE scan, ${c.label} (${lines} lines)`,
        measured: `LogRefs.mentioning([${c.domain}, ${c.ip}], ${LIMIT}) (median of ${runs})`,
        measuredMs: t.a,
        reference: `SELECT … FROM log_lines WHERE text LIKE '%${c.domain}%' OR text LIKE '%${c.ip}%' (median of ${runs})`,
        referenceMs: t.b,
        maxRatio: 0.2,
        notes: [
          `whole-token mentions: ${found.length}${found.length === LIMIT ? ' (capped)' : ''}; substring matches: ${scanned.length}`,
        ],
      };
    });
  } finally {
    db.close();
  }
}
