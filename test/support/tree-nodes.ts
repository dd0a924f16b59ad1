/** Process-tree nodes for the pure layout tests: `node(id, parent, children, extra)` with neutral defaults. */
import type { ProcessTreeNode } from '../../shared/api';

export function node(id: number, parent: number | null, children: number[] | null, extra: Partial<ProcessTreeNode> = {}): ProcessTreeNode {
  return {
    id,
    pid: 1000 + id,
    name: `p${id}`,
    exe: null,
    parent_id: parent,
    start: null,
    end: null,
    step_number: null,
    depth: 0,
    child_count: children?.length ?? 0,
    descendants: 0,
    calls: 0,
    findings: 0,
    subtree_calls: 0,
    subtree_findings: 0,
    children,
    hidden_children: 0,
    ...extra,
  };
}
