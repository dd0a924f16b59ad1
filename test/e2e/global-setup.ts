/**
 * Builds dist/ (`node scripts/build.mjs`) and copies it (support/serve-process.ts says why), then runs `runlens serve resources/sample-bundle --port 0` (which
 * imports the sample bundle into a temporary data folder) and hands its URL to the tests in RUNLENS_E2E_URL.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startServeProcess } from './support/serve-process';

export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dist = path.join(ROOT, 'test-results', `e2e-dist-${process.pid}`);
  fs.rmSync(dist, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
  process.env.RUNLENS_E2E_DIST = dist;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-e2e-data-'));
  fs.mkdirSync(path.join(ROOT, 'test-results', 'screenshots'), { recursive: true });
  const serve = await startServeProcess(path.join(ROOT, 'resources', 'sample-bundle'), { RUNLENS_DATA_DIR: dataDir });
  process.env.RUNLENS_E2E_URL = serve.url;
  process.env.RUNLENS_E2E_DATA_DIR = dataDir;
  return async () => {
    await serve.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(dist, { recursive: true, force: true });
  };
}
