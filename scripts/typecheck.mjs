// `npm run typecheck`: the whole project in one program (tsconfig.json: tests, scripts, benchmarks and every layer),
// then each environment on its own: shared/ without DOM or Node types, renderer/ with the DOM only, electron/ with
// Node only. Exit code 1 when any of them fails.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
export const PROJECTS = ['tsconfig.json', 'tsconfig.shared.json', 'tsconfig.renderer.json', 'tsconfig.electron.json'];

let failed = 0;
for (const p of PROJECTS) {
  console.log(`tsc -p ${p} --noEmit`);
  const r = spawnSync(process.execPath, [tsc, '-p', p, '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
