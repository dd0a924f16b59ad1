/**
 * The layers are enforced by the tools, not by convention: probe files that break a rule are written into the repo
 * (inside the lint scope and the environment's TypeScript project), checked with the real ESLint config and the real
 * tsconfig.{shared,renderer,electron}.json, and removed. Each rule must fail on its probe; the same code where it
 * is allowed must pass (so a failure is the rule's, not a typo's).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const tag = `zz-layer-probe-${process.pid}`;
const written: string[] = [];

function probe(dir: string, name: string, code: string): string {
  const file = path.join(ROOT, dir, `${tag}-${name}.ts`);
  fs.writeFileSync(file, code, { flag: 'wx' });
  written.push(file);
  return file;
}

afterAll(() => {
  for (const f of written) fs.rmSync(f, { force: true });
});

const eslint = new ESLint({ cwd: ROOT });

/** Rule ids of the errors ESLint reports for the file. */
async function lintErrors(file: string): Promise<string[]> {
  const [r] = await eslint.lintFiles([file]);
  return (r?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

/** Type-check one file in an environment's project (its compiler options, only this file). */
function tscErrors(env: 'shared' | 'renderer' | 'electron', file: string): string {
  const json = path.join(ROOT, `${tag}-tsconfig-${env}.json`);
  written.push(json);
  fs.writeFileSync(json, JSON.stringify({ extends: `./tsconfig.${env}.json`, include: [], files: [path.relative(ROOT, file)] }));
  const r = spawnSync(process.execPath, [TSC, '-p', json, '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
  fs.rmSync(json, { force: true });
  return r.status === 0 ? '' : r.stdout + r.stderr;
}

describe('environments: shared/ has neither DOM nor Node, renderer/ has no Node', () => {
  it('fails `Buffer` in renderer/ (lint and type-check); the same code passes in electron/', async () => {
    const code = "export const bytes = Buffer.from('x').length;\n";
    const bad = probe('renderer/src', 'buffer', code);
    expect((await lintErrors(bad)).join('\n')).toMatch(/no-restricted-globals: .*Buffer/);
    expect(tscErrors('renderer', bad)).toMatch(/TS2591: Cannot find name 'Buffer'/);
    const ok = probe('electron', 'buffer', code);
    expect(await lintErrors(ok)).toEqual([]);
    expect(tscErrors('electron', ok)).toBe('');
  });

  it('fails `window` in shared/ (lint and type-check); the same code passes in renderer/', async () => {
    const code = 'export const href = window.location.href;\n';
    const bad = probe('shared', 'window', code);
    expect((await lintErrors(bad)).join('\n')).toMatch(/no-restricted-globals: .*window/);
    expect(tscErrors('shared', bad)).toMatch(/TS2304: Cannot find name 'window'/);
    const ok = probe('renderer/src', 'window', code);
    expect(await lintErrors(ok)).toEqual([]);
    expect(tscErrors('renderer', ok)).toBe('');
  });

  it('fails `process` in shared/ and a Node module imported by shared/', async () => {
    const bad = probe('shared', 'process', "import { readFileSync } from 'node:fs';\nexport const r = [readFileSync, process.env];\n");
    const errs = (await lintErrors(bad)).join('\n');
    expect(errs).toMatch(/no-restricted-globals: .*process/);
    expect(errs).toMatch(/no-restricted-imports: .*no Node modules/);
  });
});

describe('layers inside electron/', () => {
  const cli = "import * as cli from '../cli/main';\nexport const probe = cli;\n";

  it('fails the CLI imported from serve, main or the API; the CLI may import itself', async () => {
    for (const dir of ['electron/serve', 'electron/main', 'electron/api']) {
      expect((await lintErrors(probe(dir, 'cli', cli))).join('\n'), dir).toMatch(/@typescript-eslint\/no-restricted-imports: .*never reach the CLI/);
    }
    expect(await lintErrors(probe('electron/cli', 'self', "import * as cli from './main';\nexport const probe = cli;\n"))).toEqual([]);
  });

  it('fails analysis or the CLI imported by an importer; the import job may run the analysis', async () => {
    const analysis = "import { finalizeCase } from '../../analysis/finalize';\nexport const probe = finalizeCase;\n";
    expect((await lintErrors(probe('electron/import/gha', 'analysis', analysis))).join('\n')).toMatch(/@typescript-eslint\/no-restricted-imports: .*importers/);
    expect((await lintErrors(probe('electron/import', 'cli', cli))).join('\n')).toMatch(/@typescript-eslint\/no-restricted-imports: .*importers/);
    // Naming a type it is handed is not reaching the layer: a type-only import passes.
    const typeOnly = "import type { NetworkLive } from '../../analysis/network-live';\nexport type Probe = NetworkLive;\n";
    expect(await lintErrors(probe('electron/import/gha', 'type-only', typeOnly))).toEqual([]);
    // run-import.ts is the job that finishes a case with the analysis passes: allowed (and really does so).
    const runImport = path.join(ROOT, 'electron/import/run-import.ts');
    expect(fs.readFileSync(runImport, 'utf8')).toMatch(/from '\.\.\/analysis\//);
    expect(await lintErrors(runImport)).toEqual([]);
  });

  it('fails an importer imported by a query', async () => {
    const bad = probe('electron/queries', 'import', "import { readLines } from '../import/lines';\nexport const probe = readLines;\n");
    expect((await lintErrors(bad)).join('\n')).toMatch(/@typescript-eslint\/no-restricted-imports: .*never reach the importers/);
    const ok = probe('electron/queries', 'db', "import * as db from '../db/open';\nexport const probe = db;\n");
    expect(await lintErrors(ok)).toEqual([]);
  });
});
