/**
 * `sudo`: a process run through sudo (the `sudo` executable itself; Harden-Runner's "sudo process started" lines
 * are the producer's and merge with this in the listing). Hosted runners allow sudo, so this is `low`: worth a
 * look when a dependency or an unexpected step does it.
 * Near misses that do NOT match: `sudoku`, `pseudo-terminal`, a path containing "sudo".
 */
import { clip } from './command-match';
import type { DetectionRule, Hit } from './types';

export const sudo: DetectionRule = {
  id: 'sudo',
  kind: 'sudo',
  severity: 'low',
  describe: 'processes run through sudo',
  processNeedles: ['sudo'],
  run(input) {
    const hits: Hit[] = [];
    for (const p of input.processesNamed('sudo')) {
      hits.push({ title: clip(`sudo: ${p.cmd}`), processId: p.id, stepId: p.stepId, first: p.start, evidence: [{ table: 'processes', id: p.id }] });
    }
    return hits;
  },
};
