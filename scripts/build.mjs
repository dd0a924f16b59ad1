// Builds everything that runs: the Node side (CLI, serve, import worker, Electron main and preload) with esbuild
// into dist/electron/*.cjs, and the renderer with Vite into dist/renderer/. Runs on `npm ci` (prepare).
import path from 'node:path';
import { buildNode, ROOT } from './build-node.mjs';

await buildNode();
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
console.log('build: dist/ ready');
