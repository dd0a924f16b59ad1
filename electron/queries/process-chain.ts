/** Process lookups shared by explain and process details: one instance, its ancestors, its children. */
import type { Db } from '../db/open';
import type { ProcessRef } from '../../shared/api';
import { argsOf, num, numOr0, str, type Row } from './values';

/** Longest chain followed: protects against a corrupt parent cycle that the analysis did not break. */
const MAX_DEPTH = 256;

export function processRef(r: Row): ProcessRef {
  return { id: numOr0(r.id), pid: numOr0(r.pid), exe: str(r.exe), args: argsOf(r.args) };
}

export class ProcessChain {
  private readonly byId;
  private readonly children;

  constructor(private readonly db: Db) {
    this.byId = db.prepare('SELECT * FROM processes WHERE id = ?').safeIntegers(true);
    this.children = db
      .prepare('SELECT id, pid, exe, args FROM processes WHERE parent_id = ? ORDER BY start, id')
      .safeIntegers(true);
  }

  get(id: number): Row | undefined {
    return this.byId.get(id) as Row | undefined;
  }

  /** Nearest parent first; stops at a root, a missing row or a repeat. */
  ancestors(row: Row): ProcessRef[] {
    const out: ProcessRef[] = [];
    const seen = new Set<number>([numOr0(row.id)]);
    let parent = num(row.parent_id);
    while (parent !== null && !seen.has(parent) && out.length < MAX_DEPTH) {
      seen.add(parent);
      const p = this.get(parent);
      if (!p) break;
      out.push(processRef(p));
      parent = num(p.parent_id);
    }
    return out;
  }

  childrenOf(id: number, limit = 5000): ProcessRef[] {
    const out: ProcessRef[] = [];
    for (const r of this.children.iterate(id) as IterableIterator<Row>) {
      out.push(processRef(r));
      if (out.length >= limit) break;
    }
    return out;
  }
}
