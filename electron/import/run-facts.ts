/**
 * What the sources say about the run, gathered as an import reads them. Two readers must agree on it: the import
 * (run-import.ts) and the calls worker (calls-worker.ts), whose analysis of the calls needs the same run, policy
 * and day. The manifest's run wins and other sources only fill in what it does not say; the manifest's policy wins
 * over any other source's; time-of-day sources get the run's start day unless the import was given one.
 */
import type { Policy, RunInfo } from '../../shared/model';
import { NANOS_PER_SECOND, tryParseRfc3339 } from '../../shared/time';
import type { ImportContext } from './types';

const DAY_NS = 86_400n * NANOS_PER_SECOND;

/** UTC midnight of the day holding `ns` (ns since the epoch; before 1970 too). */
export const utcMidnight = (ns: bigint): bigint => ns - (((ns % DAY_NS) + DAY_NS) % DAY_NS);

export class RunFacts {
  run: RunInfo | null = null;
  policy: Policy | null = null;
  /** The day was given (`--date`): the run's start does not set it. */
  readonly dateGiven: boolean;

  constructor(private readonly ctx: ImportContext) {
    this.dateGiven = ctx.date !== null;
  }

  /** A source told about the run (`format`: the importer's format id). */
  takeRun(format: string | null, info: RunInfo): void {
    this.run = format === 'bundle-manifest' ? { ...this.run, ...info } : { ...info, ...this.run };
    if (!this.dateGiven && this.ctx.date === null) {
      const start = tryParseRfc3339(info.started_at);
      if (start !== null) this.ctx.date = utcMidnight(start);
    }
  }

  /** A source gave a policy. */
  takePolicy(p: Policy): void {
    if (!this.policy || (p.origin === 'manifest' && this.policy.origin !== 'manifest')) this.policy = p;
  }
}
