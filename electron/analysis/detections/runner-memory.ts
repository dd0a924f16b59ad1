/**
 * Reads of the runner worker's memory: `/proc/<pid>/mem` or `/proc/<pid>/maps` of a `Runner.Worker` process (how
 * a compromised action dumps the job's secrets out of the worker, as in the tj-actions/changed-files attack),
 * seen in a command line, a log line or a file event. A command that names Runner.Worker and reads some
 * `/proc/…/mem|maps` counts too (the pid is found at run time: `pgrep Runner.Worker`).
 * Near misses that do NOT match: `/proc/self/maps`, `/proc/<pid>/maps` of another process, `/proc/<pid>/status`.
 */
import { clip, commandHits } from './command-match';
import type { DetectionRule, Hit } from './types';

const PROC_MEM = /\/proc\/(\d+|\$\w+|\$\{\w+\}|\*)\/(mem|maps)\b/g;

const NEEDLES = ['/proc/'];

export const runnerMemory: DetectionRule = {
  id: 'runner-memory',
  kind: 'runner-memory-read',
  severity: 'critical',
  describe: "reads of the runner worker's memory: /proc/<pid>/mem or /proc/<pid>/maps of Runner.Worker",
  logNeedles: NEEDLES,
  processNeedles: NEEDLES,
  run(input) {
    const workerPids = new Set(input.workers().map((p) => String(p.pid)));
    const why = (text: string): string | null => {
      const namesWorker = /Runner\.Worker/.test(text);
      for (const m of text.matchAll(PROC_MEM)) {
        if (workerPids.has(m[1]!)) return `reads /proc/${m[1]}/${m[2]} of the runner worker`;
        if (namesWorker && m[1] !== 'self') return `reads /proc/${m[1]}/${m[2]} of the runner worker (found by name)`;
      }
      return null;
    };
    const hits: Hit[] = commandHits(input, { needles: NEEDLES, test: why });
    for (const f of input.files()) {
      const m = /^\/proc\/(\d+)\/(mem|maps)$/.exec(f.path);
      if (!m || !workerPids.has(m[1]!)) continue;
      hits.push({
        title: clip(`${f.exe ?? 'a process'} ${f.op} ${f.path}: memory of the runner worker`),
        processId: f.processId,
        stepId: input.stepOf(f.processId),
        first: f.ts,
        evidence: [{ table: 'file_events', id: f.id }, ...(f.processId !== null ? [{ table: 'processes' as const, id: f.processId }] : [])],
      });
    }
    return hits;
  },
};
