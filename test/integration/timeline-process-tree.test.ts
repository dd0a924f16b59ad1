import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../electron/db/open';
import { processName, processTree } from '../../electron/queries/process-tree';
import { parseParams, type Params } from '../../shared/api';
import { formatNanos } from '../../shared/time';
import { at, seedCase, type SeededCase } from './timeline-seed';

let seeded: SeededCase;
let db: Db;
beforeAll(() => {
  seeded = seedCase();
  db = openCaseReadOnly(seeded.file);
});
afterAll(() => {
  db.close();
  seeded.cleanup();
});

const tree = (p: Params<'process.tree'>) => processTree(db, parseParams<'process.tree'>('process.tree', p).params);

describe('process.tree on a small case', () => {
  it('starts fully expanded with labels, counts and subtree totals', () => {
    const r = tree({ auto: true });
    expect(r.total).toBe(10);
    expect(r.roots).toEqual([1]);
    expect(r.nodes).toHaveLength(10);
    const byId = new Map(r.nodes.map((n) => [n.id, n]));
    const runner = byId.get(1)!;
    expect(runner.name).toBe('Runner.Worker');
    expect(runner.children).toEqual([2, 8]);
    expect(runner.descendants).toBe(9);
    expect(runner.subtree_calls).toBe(8);
    expect(runner.calls).toBe(1);
    expect(runner.subtree_findings).toBe(4);
    const postinstall = byId.get(5)!;
    expect(postinstall).toMatchObject({ name: 'node', pid: 2004, calls: 0, subtree_calls: 4, subtree_findings: 4, child_count: 2 });
    expect(byId.get(6)).toMatchObject({ name: 'curl', calls: 1, findings: 1, depth: 5, step_number: 3, start: formatNanos(at(6.5)) });
    expect(byId.get(7)).toMatchObject({ calls: 3, findings: 3, end: null });
    // PID reuse: 2005 is two instances with their own parents
    expect(r.nodes.filter((n) => n.pid === 2005).map((n) => [n.id, n.parent_id, n.name])).toEqual([
      [6, 5, 'curl'],
      [10, 9, 'node'],
    ]);
    // depth-first order: a parent before its children, siblings by start time
    const order = r.nodes.map((n) => n.id);
    expect(order).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('returns only the roots when nothing is expanded, with their "+N" counts', () => {
    const r = tree({});
    expect(r.nodes.map((n) => [n.id, n.children, n.descendants])).toEqual([[1, null, 9]]);
    expect(r.expanded).toEqual([]);
  });

  it('reveals a process: expands its ancestors and gives the chain root first', () => {
    const r = tree({ reveal: [7] });
    expect(r.chain).toEqual([1, 2, 3, 4, 5, 7]);
    expect(new Set(r.expanded)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(r.nodes.map((n) => n.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps an expansion across requests and cuts children past child_limit, keeping pinned ones', () => {
    const r = tree({ expanded: [1], child_limit: 1, reveal: [8] });
    expect(r.chain).toEqual([1, 8]);
    const runner = r.nodes.find((n) => n.id === 1)!;
    expect(runner.children).toEqual([8]);
    expect(runner.hidden_children).toBe(1);
  });

  it('names an unknown process', () => {
    expect(() => tree({ reveal: [12345] })).toThrow('no process with id 12345');
  });
});

describe('processName', () => {
  it('labels with the base name of the exe, else of argv[0], else the pid', () => {
    expect(processName('/usr/bin/curl', ['curl'], 1)).toBe('curl');
    expect(processName(null, ['/usr/local/bin/node', 'x'], 1)).toBe('node');
    expect(processName('C:\\Windows\\cmd.exe', [], 1)).toBe('cmd.exe');
    expect(processName(null, [], 42)).toBe('pid 42');
  });
});
