/**
 * The process tree's pure parts (no SQL): an index of the whole forest with subtree totals, the default expansion
 * policy for large trees, and the cut of what is visible for a given expansion. `process-tree.ts` feeds it rows.
 */

export interface TreeRow {
  id: number;
  parent_id: number | null;
  calls: number;
  findings: number;
}

export interface TreeIndex {
  /** Position -> id, in input order (the caller sorts by start time). */
  ids: number[];
  pos: Map<number, number>;
  /** Position of the parent, -1 for a root (also for a missing parent or a cycle). */
  parent: Int32Array;
  /** Children positions, in input order. */
  children: number[][];
  roots: number[];
  depth: Int32Array;
  calls: Int32Array;
  findings: Int32Array;
  subCalls: Int32Array;
  subFindings: Int32Array;
  descendants: Int32Array;
}

export function buildTreeIndex(rows: readonly TreeRow[]): TreeIndex {
  const n = rows.length;
  const ids = rows.map((r) => r.id);
  const pos = new Map<number, number>();
  ids.forEach((id, i) => pos.set(id, i));
  const parent = new Int32Array(n).fill(-1);
  rows.forEach((r, i) => {
    const p = r.parent_id === null ? undefined : pos.get(r.parent_id);
    if (p !== undefined && p !== i) parent[i] = p;
  });
  // Break cycles: walk up from each node; a node met again on its own walk loses its parent link.
  const state = new Uint8Array(n); // 0 new, 1 on the current walk, 2 done
  for (let i = 0; i < n; i++) {
    const walk: number[] = [];
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      walk.push(j);
      j = parent[j]!;
    }
    if (j !== -1 && state[j] === 1) parent[j] = -1; // j closes a cycle: make it a root
    for (const k of walk) state[k] = 2;
  }
  const children: number[][] = Array.from({ length: n }, () => []);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1) roots.push(i);
    else children[p]!.push(i);
  }
  const depth = new Int32Array(n);
  const order: number[] = []; // parents before children
  const stack = [...roots].reverse();
  while (stack.length) {
    const i = stack.pop()!;
    order.push(i);
    for (const c of children[i]!) {
      depth[c] = depth[i]! + 1;
      stack.push(c);
    }
  }
  const calls = Int32Array.from(rows, (r) => r.calls);
  const findings = Int32Array.from(rows, (r) => r.findings);
  const subCalls = Int32Array.from(calls);
  const subFindings = Int32Array.from(findings);
  const descendants = new Int32Array(n);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    const p = parent[i]!;
    if (p === -1) continue;
    subCalls[p]! += subCalls[i]!;
    subFindings[p]! += subFindings[i]!;
    descendants[p]! += descendants[i]! + 1;
  }
  return { ids, pos, parent, children, roots, depth, calls, findings, subCalls, subFindings, descendants };
}

/** Positions of `i`'s ancestors, nearest first. */
export function ancestorsOf(t: TreeIndex, i: number): number[] {
  const out: number[] = [];
  for (let p = t.parent[i]!; p !== -1; p = t.parent[p]!) out.push(p);
  return out;
}

export interface PolicyOptions {
  /** A tree with at most this many processes is shown fully expanded. */
  expandAllUpTo: number;
  /** Expanding chains to processes with calls stops once this many nodes would be visible. */
  budget: number;
  /** Chains to findings are expanded up to this many visible nodes (findings first, always). */
  findingsBudget: number;
  childLimit: number;
}

export const DEFAULT_POLICY: PolicyOptions = { expandAllUpTo: 150, budget: 120, findingsBudget: 1500, childLimit: 200 };

/**
 * The default expansion: everything for a small tree; otherwise the chains down to processes with findings, then
 * (while the visible count stays within budget) the chains down to processes with calls; the rest stays collapsed.
 * Returns positions of expanded nodes.
 */
export function autoExpand(t: TreeIndex, o: PolicyOptions = DEFAULT_POLICY): Set<number> {
  const n = t.ids.length;
  const expanded = new Set<number>();
  if (n <= o.expandAllUpTo) {
    for (let i = 0; i < n; i++) if (t.children[i]!.length) expanded.add(i);
    return expanded;
  }
  let visible = Math.min(t.roots.length, o.childLimit);
  // Breadth-first from the roots, so shallow chains win over deep ones when the budget runs out.
  const tier = (want: (c: number) => boolean, limit: number) => {
    let frontier = [...t.roots];
    while (frontier.length) {
      const next: number[] = [];
      for (const i of frontier) {
        const kids = t.children[i]!;
        if (!kids.some(want)) continue;
        if (!expanded.has(i)) {
          const add = Math.min(kids.length, o.childLimit);
          if (visible + add > limit) continue;
          expanded.add(i);
          visible += add;
        }
        for (const c of kids) if (want(c)) next.push(c);
      }
      frontier = next;
    }
  };
  tier((c) => t.subFindings[c]! > 0, o.findingsBudget);
  tier((c) => t.subCalls[c]! > 0, Math.max(o.budget, visible));
  return expanded;
}

export interface VisibleCut {
  /** Visible positions, depth-first (a parent before its children). */
  nodes: number[];
  /** For each expanded visible node: the children shown (positions, input order) and how many were left out. */
  shown: Map<number, { kids: number[]; hidden: number }>;
  roots: number[];
  hiddenRoots: number;
}

/**
 * Pick at most `limit` of `kids`: every pinned child and every child with findings first, then the rest in order;
 * returned in input order.
 */
export function pickChildren(t: TreeIndex, kids: readonly number[], limit: number, pinned: ReadonlySet<number>): number[] {
  if (kids.length <= limit) return [...kids];
  const keep = new Set<number>();
  for (const c of kids) if (pinned.has(c)) keep.add(c);
  for (const c of kids) if (keep.size < limit && t.subFindings[c]! > 0) keep.add(c);
  for (const c of kids) if (keep.size < limit && t.subCalls[c]! > 0) keep.add(c);
  for (const c of kids) if (keep.size < limit) keep.add(c);
  return kids.filter((c) => keep.has(c));
}

export function visibleCut(t: TreeIndex, expanded: ReadonlySet<number>, childLimit: number, pinned: ReadonlySet<number>): VisibleCut {
  const roots = pickChildren(t, t.roots, childLimit, pinned);
  const nodes: number[] = [];
  const shown = new Map<number, { kids: number[]; hidden: number }>();
  const stack = [...roots].reverse();
  while (stack.length) {
    const i = stack.pop()!;
    nodes.push(i);
    const all = t.children[i]!;
    if (!expanded.has(i) || all.length === 0) continue;
    const kids = pickChildren(t, all, childLimit, pinned);
    shown.set(i, { kids, hidden: all.length - kids.length });
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
  return { nodes, shown, roots, hiddenRoots: t.roots.length - roots.length };
}
