// `npm run bench`: bundles bench/main.ts (and the engine code it imports) with esbuild into .cache/bench/, as the
// app itself is bundled, then runs it with --expose-gc. Arguments pass through (--quick, --only 1,2, --keep).
// Exit code: the benchmarks' (1 when a goal is missed).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, '.cache/bench/bench.cjs');

try {
  await build({
    // the import's job worker too, beside the bench as beside the app (import-worker.cjs: the calls worker thread)
    entryPoints: { bench: path.join(root, 'bench/main.ts'), 'import-worker': path.join(root, 'electron/worker.ts') },
    outdir: path.dirname(out),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['better-sqlite3', 'electron', '@duckdb/*', 'playwright', 'playwright-core'],
    logLevel: 'warning',
  });
} catch (e) {
  console.error(`bench: build failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exit(1);
}

const r = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', out, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
