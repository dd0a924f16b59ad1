// The Node side's build (CLI, import worker, Electron main and preload): esbuild, CommonJS, node20, native and
// Electron modules left external. Used by scripts/build.mjs and by tests that rebuild only this part.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const NODE_ENTRIES = {
  cli: 'electron/cli/main.ts',
  'import-worker': 'electron/worker.ts',
  main: 'electron/main/main.ts',
  preload: 'electron/main/preload.ts',
};
/** Modules left out of the bundles. Electron provides its own; the others load native code (.node) from their own
 *  package folder, so a packaged app must keep them outside app.asar (electron-builder.yml asarUnpack; a test checks). */
export const NODE_EXTERNALS = ['better-sqlite3', 'electron', '@duckdb/*'];

/** Build the given entries (default: all) into dist/electron/<name>.cjs. */
export async function buildNode(names = Object.keys(NODE_ENTRIES), logLevel = 'warning') {
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, path.join(ROOT, NODE_ENTRIES[n])])),
    outdir: path.join(ROOT, 'dist/electron'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: NODE_EXTERNALS,
    logLevel,
  });
}
