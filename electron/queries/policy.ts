/** The run metadata and egress policy the importer stored in `meta` (keys `run` and `policy`, JSON). */
import type { Db } from '../db/open';
import type { CaseInfo } from '../../shared/api';
import { jsonOf, type Row } from './values';

export function readMeta(db: Db, key: string): unknown {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
  return r ? jsonOf<unknown>(r.value, null) : null;
}

export function readPolicy(db: Db): CaseInfo['policy'] {
  const p = readMeta(db, 'policy');
  if (!p || typeof p !== 'object') return null;
  const o = p as Record<string, unknown>;
  const allowed = Array.isArray(o.allowed_endpoints) ? o.allowed_endpoints.filter((x): x is string => typeof x === 'string') : [];
  const out: NonNullable<CaseInfo['policy']> = {
    egress_policy: typeof o.egress_policy === 'string' ? o.egress_policy : 'audit',
    allowed_endpoints: allowed,
  };
  if (typeof o.origin === 'string') out.origin = o.origin;
  return out;
}

export function readRun(db: Db): Record<string, unknown> | null {
  const r = readMeta(db, 'run');
  return r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : null;
}

