/**
 * Compare, export and hunt need nothing beyond `npm ci`: DuckDB comes as a normal dependency (@duckdb/node-api,
 * whose platform package ships the native library), is kept out of the CLI bundle (loaded from node_modules), and
 * loads and writes/reads Parquet from a fresh install folder with extension downloads switched off.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT } from './cli-helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-duckdb-install-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('DuckDB as an ordinary dependency', () => {
  it('is a runtime dependency with its platform bindings in the lockfile', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies['@duckdb/node-api']).toBeTruthy();
    expect(pkg.devDependencies['@duckdb/node-api']).toBeUndefined();
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { optional?: boolean; os?: string[] }> };
    for (const p of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64', 'win32-x64']) {
      const entry = lock.packages[`node_modules/@duckdb/node-bindings-${p}`];
      expect(entry, p).toBeTruthy();
      expect(entry!.optional).toBe(true);
    }
  });

  it('stays outside the CLI bundle (required from node_modules at run time)', async () => {
    await buildCli();
    // the CLI's code (cli.cjs loads it with its code cache: scripts/build-node.mjs)
    const cli = fs.readFileSync(path.join(ROOT, 'dist', 'electron', 'cli.bundle.cjs'), 'utf8');
    expect(cli).toMatch(/require\("@duckdb\/node-api"\)/);
    expect(cli).not.toMatch(/class DuckDBInstance\b/);
  });

  it('loads from a fresh install folder and round-trips Parquet without any download', () => {
    const app = path.join(tmp, 'app');
    const platformPkg = `node-bindings-${process.platform}-${process.arch}`;
    for (const p of ['node-api', 'node-bindings', platformPkg]) {
      const from = path.join(ROOT, 'node_modules', '@duckdb', p);
      if (!fs.existsSync(from)) continue;
      fs.cpSync(fs.realpathSync(from), path.join(app, 'node_modules', '@duckdb', p), { recursive: true });
    }
    const script = `
      const { DuckDBInstance } = require('@duckdb/node-api');
      (async () => {
        const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
        const c = await db.connect();
        await c.run("COPY (SELECT 42::BIGINT AS answer, 'x' AS s) TO 'roundtrip.parquet' (FORMAT parquet)");
        const r = await c.runAndReadAll("SELECT answer, s FROM read_parquet('roundtrip.parquet')");
        process.stdout.write(JSON.stringify(r.getRows().map((x) => x.map(String))));
      })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
    fs.writeFileSync(path.join(app, 'check.cjs'), script);
    const r = spawnSync(process.execPath, ['check.cjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' }, timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[["42","x"]]');
    // Resolved from the fresh folder, not from the repository's node_modules.
    const where = spawnSync(process.execPath, ['-p', "require.resolve('@duckdb/node-api')"], { cwd: app, encoding: 'utf8' });
    expect(where.stdout.trim().startsWith(fs.realpathSync(app))).toBe(true);
  });
});
