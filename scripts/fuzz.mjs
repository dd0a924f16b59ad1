// `npm run fuzz [TOTAL]`: property-based fuzzing of every importer, the ANSI parser, evidence text and the allow-list
// (test/fuzz/targets.ts), ≥ 100 000 cases by default. FUZZ_SEED=n replays a run. Heavy: run it under the bench lock
// on a shared machine (`flock /tmp/bench.lock npm run fuzz`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const loader = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const r = spawnSync(process.execPath, ['--import', loader, path.join(root, 'test', 'fuzz', 'run.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
