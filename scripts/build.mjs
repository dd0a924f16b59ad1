// Builds everything that runs: the Node side (CLI, serve, import worker, Electron main and preload) with esbuild
// into dist/electron/*.cjs, and the renderer with Vite into dist/renderer/. Runs on `npm ci` (prepare).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entries = {
  cli: 'electron/cli/main.ts',
  'import-worker': 'electron/import/worker.ts',
  main: 'electron/main/main.ts',
  preload: 'electron/main/preload.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(entries).filter(([, p]) => existsSync(path.join(root, p))).map(([k, p]) => [k, path.join(root, p)]),
);

await build({
  entryPoints,
  outdir: path.join(root, 'dist/electron'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'electron'],
  logLevel: 'warning',
});

if (existsSync(path.join(root, 'renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log('build: dist/ ready');
