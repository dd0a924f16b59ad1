/**
 * `process.tree`: the process forest, incrementally. The whole forest's shape (ids, parents, call and finding
 * counts) is read once per open case into a `TreeIndex`; each request returns only what its expansion makes
 * visible, with child counts and subtree totals so collapsed nodes can say "+N".
 */
import type { Db } from '../db/open';
import type { ParsedParams, ProcessTreeNode, Result } from '../../shared/api';
import { ancestorsOf, autoExpand, buildTreeIndex, DEFAULT_POLICY, visibleCut, type TreeIndex, type TreeRow } from './process-tree-policy';
import { argsOf, num, numOr0, QueryError, str, time, type Row, type SqlValue } from './values';

interface NodeInfo {
  pid: number;
  exe: string | null;
  name: string;
  start: SqlValue;
  end: SqlValue;
  step_number: number | null;
}

interface CaseTree {
  index: TreeIndex;
  info: NodeInfo[];
}

const cache = new WeakMap<Db, CaseTree>();

/** The label of a process: its executable's base name, else its first argument's, else `pid N`. */
export function processName(exe: string | null, args: readonly string[], pid: number): string {
  const base = (s: string) => s.replace(/[/\\]+$/, '').split(/[/\\]/).pop() || s;
  if (exe) return base(exe);
  if (args[0]) return base(args[0]);
  return `pid ${pid}`;
}

/**
 * Calls per process: the covering index network_process alone. Findings' calls per process: through
 * network_finding (only the calls of findings). One query counting both read every call's row for its finding_id
 * (2M random row reads: 5-7 s at 2M calls, past the query time limit on a loaded machine); without INDEXED BY the
 * planner picks network_process for the second one too (no ANALYZE in a case).
 */
export const TREE_CALLS_SQL = 'SELECT process_id, count(*) AS n FROM network WHERE process_id IS NOT NULL GROUP BY process_id';
export const TREE_FINDINGS_SQL = `SELECT process_id, count(*) AS n FROM network INDEXED BY network_finding
  WHERE finding_id IS NOT NULL AND process_id IS NOT NULL GROUP BY process_id`;

function loadTree(db: Db): CaseTree {
  const hit = cache.get(db);
  if (hit) return hit;
  const counts = new Map<number, { calls: number; findings: number }>();
  for (const r of db.prepare(TREE_CALLS_SQL).safeIntegers(true).iterate() as IterableIterator<Row>) {
    counts.set(numOr0(r.process_id), { calls: numOr0(r.n), findings: 0 });
  }
  for (const r of db.prepare(TREE_FINDINGS_SQL).safeIntegers(true).iterate() as IterableIterator<Row>) {
    const c = counts.get(numOr0(r.process_id));
    if (c) c.findings = numOr0(r.n);
  }
  const rows: TreeRow[] = [];
  const info: NodeInfo[] = [];
  const stmt = db.prepare(
    // args only where the label needs them (no executable): parsing every process's args was a tenth of the load
    `SELECT p.id, p.parent_id, p.pid, p.exe, CASE WHEN p.exe IS NULL OR p.exe = '' THEN p.args END AS args, p.start, p.end, s.number AS step_number
       FROM processes p LEFT JOIN steps s ON s.id = p.step_id
      ORDER BY p.start IS NULL, p.start, p.id`,
  );
  for (const r of stmt.safeIntegers(true).iterate() as IterableIterator<Row>) {
    const id = numOr0(r.id);
    const c = counts.get(id);
    rows.push({ id, parent_id: num(r.parent_id), calls: c?.calls ?? 0, findings: c?.findings ?? 0 });
    const pid = numOr0(r.pid);
    const exe = str(r.exe);
    // Only the first argument is kept (for the label): the tree never needs the rest.
    info.push({ pid, exe, name: processName(exe, argsOf(r.args).slice(0, 1), pid), start: r.start ?? null, end: r.end ?? null, step_number: num(r.step_number) });
  }
  const tree = { index: buildTreeIndex(rows), info };
  cache.set(db, tree);
  return tree;
}

export function processTree(db: Db, p: ParsedParams<'process.tree'>): Result<'process.tree'> {
  const { index: t, info } = loadTree(db);
  const expanded = new Set<number>();
  for (const id of p.expanded) {
    const i = t.pos.get(id);
    if (i !== undefined) expanded.add(i);
  }
  if (p.auto) for (const i of autoExpand(t, { ...DEFAULT_POLICY, childLimit: p.child_limit })) expanded.add(i);
  const pinned = new Set<number>();
  let chain: number[] = [];
  for (const [k, id] of p.reveal.entries()) {
    const i = t.pos.get(id);
    if (i === undefined) throw new QueryError(`no process with id ${id}`);
    const up = ancestorsOf(t, i);
    for (const a of up) expanded.add(a);
    pinned.add(i);
    for (const a of up) pinned.add(a);
    if (k === 0) chain = [...up].reverse().concat(i).map((x) => t.ids[x]!);
  }
  const cut = visibleCut(t, expanded, p.child_limit, pinned);
  const nodes = cut.nodes.map((i): ProcessTreeNode => {
    const n = info[i]!;
    const s = cut.shown.get(i);
    const parent = t.parent[i]!;
    return {
      id: t.ids[i]!,
      pid: n.pid,
      name: n.name,
      exe: n.exe,
      parent_id: parent === -1 ? null : t.ids[parent]!,
      start: time(n.start),
      end: time(n.end),
      step_number: n.step_number,
      depth: t.depth[i]!,
      child_count: t.children[i]!.length,
      descendants: t.descendants[i]!,
      calls: t.calls[i]!,
      findings: t.findings[i]!,
      subtree_calls: t.subCalls[i]!,
      subtree_findings: t.subFindings[i]!,
      children: s ? s.kids.map((c) => t.ids[c]!) : null,
      hidden_children: s ? s.hidden : 0,
    };
  });
  return {
    total: t.ids.length,
    roots: cut.roots.map((i) => t.ids[i]!),
    hidden_roots: cut.hiddenRoots,
    nodes,
    expanded: [...expanded].filter((i) => t.children[i]!.length > 0).map((i) => t.ids[i]!),
    chain,
  };
}
