/** `npm run fuzz [TOTAL]` (scripts/fuzz.mjs): every fuzz target, ≥ 100 000 cases in all by default. */
import { plan } from './targets';

const total = Number(process.argv[2] ?? process.env.FUZZ_TOTAL ?? 100_000);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

void (async () => {
  let cases = 0;
  let failed = 0;
  const t0 = Date.now();
  for (const { target, runs } of plan(total)) {
    const t = Date.now();
    try {
      await target.check(runs, seed);
      console.log(`ok    ${target.name.padEnd(28)} ${String(runs).padStart(7)} cases  ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (e) {
      failed++;
      console.log(`FAIL  ${target.name}: ${(e as Error).message}`);
    }
    cases += runs;
  }
  console.log(`${cases} cases, ${failed} target(s) failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exit(failed ? 1 : 0);
})();
