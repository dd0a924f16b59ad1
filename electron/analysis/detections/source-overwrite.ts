/**
 * Source files overwritten after checkout: a file event writing a file of the checked-out workspace
 * (`…/work/<repo>/<dir>/…`, outside `.git`, dependency and build folders) after the checkout step ended; or a
 * write Harden-Runner itself reported as "Source code overwritten" (op `overwrite`). `high` when the checkout had
 * written that very file (a known source file) or the producer said overwrite; `medium` otherwise.
 * Near misses that do NOT match: the checkout's own writes, `node_modules/…`, `dist/…`, `.git/config`, `/tmp/…`.
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
  severity: 'medium',
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
      const after = end !== null ? f.ts > end : false;
      if (!after && f.op !== 'overwrite') continue;
      const key = f.processId !== null ? `p${f.processId}` : `e${f.exe ?? ''}|${f.sourceId ?? ''}:${f.line ?? ''}`;
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
    const hits: Hit[] = [];
    for (const g of groups.values()) {
      const f0 = g[0]!;
      const known = g.some((f) => checkedOut.has(f.path) || f.op === 'overwrite');
      const names = [...new Set(g.map((f) => workspaceFile(f.path)!))];
      hits.push({
        title: clip(`Source code overwritten after checkout: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` (+${names.length - 3} more)` : ''}${f0.exe ? ` by ${f0.exe}` : ''}`, 160),
        severity: known ? 'high' : undefined,
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
