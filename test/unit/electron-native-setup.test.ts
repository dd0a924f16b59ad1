/**
 * better-sqlite3 for Electron beside the Node build: where the app looks for it, and what scripts/fetch-electron.mjs
 * reports and does when Electron cannot be downloaded (this machine has no route to the download host; the test
 * points the download at a closed local port so the failure is the same everywhere).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSqliteBinding, configureSqliteBinding, ELECTRON_SQLITE_RELATIVE } from '../../electron/main/sqlite-binding';

const ROOT = path.resolve(__dirname, '..', '..');
const FETCH = path.join(ROOT, 'scripts', 'fetch-electron.mjs');
const ELECTRON_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-native-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('choosing the better-sqlite3 build', () => {
  it('a packaged app ignores RUNLENS_SQLITE_BINDING and removes it, so no process of the app loads that module', () => {
    const env: NodeJS.ProcessEnv = { RUNLENS_SQLITE_BINDING: '/tmp/evil.node' };
    expect(chooseSqliteBinding({ env, isPackaged: true, appRoot: dir })).toEqual({ kind: 'packaged' });
    expect(configureSqliteBinding({ env, isPackaged: true, appRoot: dir })).toBeNull();
    expect(env.RUNLENS_SQLITE_BINDING).toBeUndefined();
  });

  it('in development prefers an explicit RUNLENS_SQLITE_BINDING, then the dev build', () => {
    expect(chooseSqliteBinding({ env: { RUNLENS_SQLITE_BINDING: '/x.node' }, isPackaged: false, appRoot: dir })).toEqual({ kind: 'env', path: '/x.node' });
    expect(chooseSqliteBinding({ env: {}, isPackaged: true, appRoot: dir })).toEqual({ kind: 'packaged' });
    expect(chooseSqliteBinding({ env: {}, isPackaged: false, appRoot: dir })).toEqual({ kind: 'missing', expected: path.join(dir, ELECTRON_SQLITE_RELATIVE) });
    fs.mkdirSync(path.dirname(path.join(dir, ELECTRON_SQLITE_RELATIVE)), { recursive: true });
    fs.writeFileSync(path.join(dir, ELECTRON_SQLITE_RELATIVE), 'stand-in');
    const env: NodeJS.ProcessEnv = {};
    expect(configureSqliteBinding({ env, isPackaged: false, appRoot: dir })).toBeNull();
    expect(env.RUNLENS_SQLITE_BINDING).toBe(path.join(dir, ELECTRON_SQLITE_RELATIVE));
  });

  it('says what to run when the dev build is missing', () => {
    const env: NodeJS.ProcessEnv = {};
    const msg = configureSqliteBinding({ env, isPackaged: false, appRoot: path.join(dir, 'empty') });
    expect(msg).toMatch(/^better-sqlite3 for Electron is missing \(.*\)\. Run `node scripts\/fetch-electron\.mjs`/);
    expect(env.RUNLENS_SQLITE_BINDING).toBeUndefined();
  });

  it('the app and the fetch script agree on the folder', () => {
    expect(fs.readFileSync(FETCH, 'utf8')).toContain("path.join('.cache', 'electron-sqlite')");
    expect(ELECTRON_SQLITE_RELATIVE).toBe(path.join('.cache', 'electron-sqlite', 'build', 'Release', 'better_sqlite3.node'));
  });
});

describe('scripts/fetch-electron.mjs', () => {
  it('--check reports what is missing and exits 2', () => {
    const r = spawnSync(process.execPath, [FETCH, '--check'], { encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron') } });
    expect(r.status).toBe(2);
    expect(r.stdout.trim()).toMatch(/^Electron \S+: binary missing \(.*\); better-sqlite3 for Electron (ready|missing) \(.*\)$/);
    expect(r.stdout).toContain(`Electron ${ELECTRON_VERSION}: binary missing (${path.join(dir, 'no-electron', 'electron')})`);
    expect(r.stdout).toContain(`(${path.join(ROOT, ELECTRON_SQLITE_RELATIVE)})`);
  });

  it('fails in one line, without a stack, when the download cannot be made', async () => {
    const port = await closedPort();
    const r = spawnSync(process.execPath, [FETCH], {
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
        ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
        electron_config_cache: path.join(dir, 'cache'),
      },
    });
    expect(r.status).toBe(1);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(new RegExp(`^fetch-electron: could not download Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')}: \\S`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing was put in place: no binary, and node_modules' Node build of better-sqlite3 is untouched.
    expect(fs.existsSync(path.join(dir, 'no-electron'))).toBe(false);
    expect(fs.existsSync(path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });
});
