/**
 * Source files overwritten after checkout: a file event writing, after the checkout step ended, a file of the
 * workspace (`…/work/<repo>/<dir>/…`, outside `.git`, dependency and build folders) that the checkout itself
 * wrote (a known source file). New files a build creates are not source files: flagging every workspace write
 * drowned real cases (5 000 findings on the big test case). Harden-Runner's own "Source code overwritten" lines
 * are producer detections already; the listing merges this finding with one on the same source line.
 * Near misses that do NOT match: the checkout's own writes, a new file in `src/`, `node_modules/…`, `dist/…`,
 * `.git/config`, `/tmp/…`.
 */
import { clip } from './command-match';
import type { DetectionRule, FileView, Hit } from './types';

const WORKSPACE = /^(?:\/home\/runner\/work|\/Users\/runner\/work|\/__w|[A-Za-z]:[\\/]a)[\\/][^\\/_][^\\/]*[\\/][^\\/]+[\\/](.+)$/;
const NOT_SOURCE = /(?:^|[\\/])(?:\.git|node_modules|dist|build|out|target|coverage|\.cache|__pycache__|\.venv|\.next|\.gradle)(?:[\\/]|$)/;
const WRITES = new Set(['write', 'overwrite', 'modify', 'truncate', 'rename', 'create']);

export function workspaceFile(path: string): string | null {
  const m = WORKSPACE.exec(path);
  if (!m || NOT_SOURCE.test(m[1]!)) return null;
  return m[1]!;
}

export const sourceOverwrite: DetectionRule = {
  id: 'source-overwrite',
  kind: 'source-overwrite',
  severity: 'high',
  describe: 'source files of the checkout overwritten after the checkout step (file events; Harden-Runner "Source code overwritten")',
  run(input) {
    const checkout = input.steps.find((s) => /^actions\/checkout@/i.test(s.uses ?? '') && !/^post\b/i.test(s.name) && s.end !== null);
    const end = checkout?.end ?? null;
    const files = input.files();
    const checkedOut = new Set<string>();
    if (checkout && checkout.start !== null && end !== null) {
      for (const f of files) if (f.ts >= checkout.start && f.ts <= end && WRITES.has(f.op)) checkedOut.add(f.path);
    }
    const groups = new Map<string, FileView[]>();
    for (const f of files) {
      if (!WRITES.has(f.op) || workspaceFile(f.path) === null) continue;
      if (end === null || f.ts <= end || !checkedOut.has(f.path)) continue;
      // One finding per step: which step tampered with the sources is the question (and a build may have many writers).
      const key = `s${input.stepOf(f.processId) ?? '-'}`;
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    const hits: Hit[] = [];
    for (const g of groups.values()) {
      const f0 = g[0]!;
      const names = [...new Set(g.map((f) => workspaceFile(f.path)!))];
      const exes = [...new Set(g.map((f) => f.exe).filter((x): x is string => !!x))];
      hits.push({
        title: clip(`Source code overwritten after checkout: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` (+${names.length - 3} more)` : ''}${exes.length ? ` by ${exes.slice(0, 2).join(', ')}${exes.length > 2 ? ` (+${exes.length - 2})` : ''}` : ''}`, 160),
        processId: f0.processId,
        stepId: input.stepOf(f0.processId),
        first: f0.ts,
        last: g[g.length - 1]!.ts,
        evidence: [...g.slice(0, 200).map((f) => ({ table: 'file_events' as const, id: f.id })), ...(f0.processId !== null ? [{ table: 'processes' as const, id: f0.processId }] : [])],
      });
    }
    return hits;
  },
};
