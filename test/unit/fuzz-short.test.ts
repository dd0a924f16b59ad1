/** The short fuzz run of the normal suite: every target of test/fuzz/targets.ts (`npm run fuzz` runs ≥ 100 000). */
import { describe, it } from 'vitest';
import { fuzzTargets, plan } from '../fuzz/targets';

describe('fuzz (short run)', () => {
  for (const { target, runs } of plan(3000)) {
    it(`${target.name}: ${runs} cases`, async () => {
      await target.check(runs);
    });
  }
  it('covers every importer of the registry', () => {
    if (fuzzTargets().filter((t) => t.name.startsWith('importer ')).length < 10) throw new Error('importers missing');
  });
});
