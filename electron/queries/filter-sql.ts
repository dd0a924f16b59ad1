/**
 * The filter language (shared/filter.ts) as SQL, for network calls (`network n` with its step joins and
 * `processes p`) and for log lines (`log_lines l`). Numeric fields become plain range tests; text, regular
 * expression and CIDR tests call back into shared/filter.ts through two SQL functions registered on the
 * connection (`rl_term`, `rl_logterm`), so the SQL and the renderer's matcher cannot disagree.
 */
import type { Db } from '../db/open';
import {
  matches,
  logSubject,
  parseFilter,
  FilterError,
  valueMatches,
  type FilterNode,
  type FilterValue,
} from '../../shared/filter';
import { QueryError } from './values';

type Term = Extract<FilterNode, { op: 'term' }>;
export interface SqlPart {
  sql: string;
  args: (string | number)[];
}

const registered = new WeakSet<Db>();
const parsedValues = new Map<string, FilterValue>();
function valueOf(json: string): FilterValue {
  let v = parsedValues.get(json);
  if (!v) {
    v = JSON.parse(json) as FilterValue;
    if (v.kind === 'range') v = { kind: 'range', lo: v.lo ?? -Infinity, hi: v.hi ?? Infinity };
    if (parsedValues.size > 256) parsedValues.clear();
    parsedValues.set(json, v);
  }
  return v;
}

/** Register rl_term(value, valueJson, isIp) and rl_logterm(text, termJson) once per connection. */
export function registerFilterFunctions(db: Db): void {
  if (registered.has(db)) return;
  registered.add(db);
  db.function('rl_term', { deterministic: true }, (value: unknown, json: unknown, ip: unknown) =>
    valueMatches(value === null ? null : typeof value === 'bigint' ? Number(value) : (value as string | number), valueOf(String(json)), ip === 1 || ip === 1n) ? 1 : 0,
  );
  const terms = new Map<string, FilterNode>();
  db.function('rl_logterm', { deterministic: true }, (text: unknown, json: unknown) => {
    const key = String(json);
    let t = terms.get(key);
    if (!t) {
      t = JSON.parse(key, (k, v) => (v === null && (k === 'lo' || k === 'hi') ? (k === 'lo' ? -Infinity : Infinity) : v)) as FilterNode;
      if (terms.size > 256) terms.clear();
      terms.set(key, t);
    }
    return matches(t, logSubject({ text: typeof text === 'string' ? text : '', step_number: null })) ? 1 : 0;
  });
}

/** Parse for a query, turning the language's errors into the API's readable ones. */
export function parseFilterParam(expr: string | undefined): FilterNode | null {
  if (!expr || !expr.trim()) return null;
  try {
    return parseFilter(expr);
  } catch (e) {
    throw new QueryError(`filter: ${e instanceof FilterError ? e.message : String(e)}`);
  }
}

const BIG = 9e15;
function range(col: string, v: Extract<FilterValue, { kind: 'range' }>): SqlPart {
  return { sql: `coalesce(${col} BETWEEN ? AND ?, 0)`, args: [Math.max(-BIG, v.lo), Math.min(BIG, v.hi)] };
}
const fn = (col: string, v: FilterValue, ip = false): SqlPart => ({
  sql: `rl_term(${col}, ?, ${ip ? 1 : 0})`,
  args: [JSON.stringify(v)],
});
function anyOf(parts: SqlPart[]): SqlPart {
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, args: parts.flatMap((p) => p.args) };
}

function combine(tree: FilterNode, term: (t: Term) => SqlPart): SqlPart {
  switch (tree.op) {
    case 'and':
    case 'or': {
      const parts = tree.items.map((x) => combine(x, term));
      return { sql: `(${parts.map((p) => p.sql).join(tree.op === 'and' ? ' AND ' : ' OR ')})`, args: parts.flatMap((p) => p.args) };
    }
    case 'not': {
      const p = combine(tree.item, term);
      return { sql: `(NOT ${p.sql})`, args: p.args };
    }
    case 'term':
      return term(tree);
  }
}

/** Columns of the network query the terms read (aliases of network-list.ts's FROM). */
export interface CallColumns {
  processLabel: string;
  /** The verdict as the contract names it (see values.ts verdictOf). */
  verdict: string;
}

/** WHERE fragment for calls. Needs the `s` / `rs` step joins and `p` (processes). */
export function callFilterSql(tree: FilterNode, cols: CallColumns): SqlPart {
  const textCols = ['n.domain', 'n.ip', cols.processLabel, 'n.http_path', 'n.endpoint', 'CAST(n.pid AS TEXT)'];
  return combine(tree, (t) => {
    const v = t.value;
    const numeric = (col: string) => (v.kind === 'range' ? range(col, v) : fn(col, v));
    switch (t.field) {
      case null:
        return anyOf(textCols.map((c) => fn(c, v)));
      case 'domain':
        return fn('n.domain', v);
      case 'ip':
        return fn('n.ip', v, true);
      case 'port':
        return numeric('n.port');
      case 'pid':
        return numeric('n.pid');
      case 'step':
        return anyOf([numeric('s.number'), numeric('rs.number')]);
      case 'process':
        return fn(cols.processLabel, v);
      case 'status':
        return anyOf([fn('n.status', v), fn('CAST(n.http_status AS TEXT)', v)]);
      case 'verdict':
        return fn(cols.verdict, v);
      case 'method':
        return fn('n.http_method', v);
    }
  });
}

/** WHERE fragment for log lines (`log_lines l`; `step` reads `l.step_id`'s number through a subquery). */
export function logFilterSql(tree: FilterNode): SqlPart {
  return combine(tree, (t) => {
    const v = t.value;
    if (t.field === 'step') {
      const col = 'coalesce((SELECT s.number FROM steps s WHERE s.id = l.step_id), l.step_number)';
      return v.kind === 'range' ? range(col, v) : fn(col, v);
    }
    if (t.field === null) return fn('l.text', v);
    return { sql: 'rl_logterm(l.text, ?)', args: [JSON.stringify(t)] };
  });
}
