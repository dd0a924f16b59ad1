/**
 * The bundles Node starts on benchmark 7's path (the CLI, the import worker) are compiled with V8's code cache made at
 * build time AFTER their start-up ran (scripts/build-node.mjs): V8 accepts it, and it holds the functions that start-up
 * compiles (the modules' initialisers), not only the top level a cache made before running holds.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNode, CACHED_ENTRIES } from '../../scripts/build-node.mjs';
import { ROOT } from './cli-helpers';

beforeAll(async () => {
  await buildNode(CACHED_ENTRIES, 'silent');
}, 180_000);

/** In a fresh Node without flags (as the loader runs): whether V8 takes the cache, and its size beside a top-level one. */
function probe(bundle: string): { rejected: boolean; built: number; topLevel: number } {
  const script = `
    const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
    const file = process.argv[1];
    const src = Module.wrap(fs.readFileSync(file, 'utf8'));
    const cachedData = fs.readFileSync(file + '.v8cache');
    const s = new vm.Script(src, { filename: file, cachedData });
    const top = new vm.Script(src, { filename: file + '#plain' }).createCachedData();
    process.stdout.write(JSON.stringify({ rejected: s.cachedDataRejected, built: cachedData.length, topLevel: top.length }));`;
  const r = spawnSync(process.execPath, ['-e', script, bundle], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { rejected: boolean; built: number; topLevel: number };
}

describe('code caches made after the start-up', () => {
  for (const name of CACHED_ENTRIES) {
    it(`${name}: accepted by V8, and more than the top level`, () => {
      const p = probe(path.join(ROOT, 'dist', 'electron', `${name}.bundle.cjs`));
      expect(p.rejected).toBe(false);
      expect(p.built).toBeGreaterThan(p.topLevel * 1.2);
    });
  }
});
