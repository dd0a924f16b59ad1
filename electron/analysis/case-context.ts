/**
 * What the analysis passes need to know about the case before they start: the egress policy and run job from
 * `meta`, display names of sources (for warnings), and a warning helper that names file and line.
 */
import type { Db } from '../db/open';
import type { ImportWarning } from '../../shared/model';
import { parseAllowed, type AllowedRule } from '../../shared/endpoint';

export type Warn = (w: ImportWarning) => void;

export interface CasePolicy {
  egress_policy: string;
  rules: AllowedRule[];
}

export interface CaseContext {
  /** Null when the case has no policy (no allow-list findings then). */
  policy: CasePolicy | null;
  /** The job the manifest names (`run.job`), preferred when several jobs' steps hold a time. */
  job: string | null;
  sourcePath(sourceId: number | null): string | null;
  warn: Warn;
}

function readMetaJson(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return undefined;
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}

export function loadCaseContext(db: Db, warn: Warn): CaseContext {
  const sources = new Map<number, string>();
  for (const r of db.prepare('SELECT id, path FROM sources').all() as { id: number; path: string }[]) {
    sources.set(Number(r.id), r.path);
  }

  let policy: CasePolicy | null = null;
  const p = readMetaJson(db, 'policy') as { egress_policy?: unknown; allowed_endpoints?: unknown } | undefined | null;
  if (p && typeof p === 'object') {
    const rules: AllowedRule[] = [];
    const list = Array.isArray(p.allowed_endpoints) ? p.allowed_endpoints : [];
    if (p.allowed_endpoints !== undefined && !Array.isArray(p.allowed_endpoints)) {
      warn({ file: null, line: null, message: 'policy: allowed_endpoints is not a list; no endpoint is allowed' });
    }
    for (const e of list) {
      const r = typeof e === 'string' ? parseAllowed(e) : null;
      if (r) rules.push(r);
      else warn({ file: null, line: null, message: `policy: cannot read allowed endpoint ${JSON.stringify(e)}; it allows nothing` });
    }
    policy = { egress_policy: typeof p.egress_policy === 'string' ? p.egress_policy : 'audit', rules };
  }

  const run = readMetaJson(db, 'run') as { job?: unknown } | undefined | null;
  const job = run && typeof run === 'object' && typeof run.job === 'string' && run.job !== '' ? run.job : null;

  return {
    policy,
    job,
    sourcePath: (id) => (id === null ? null : (sources.get(id) ?? null)),
    warn,
  };
}
