#!/usr/bin/env node
// Gets what the desktop app needs beyond `npm ci`, on a machine with internet:
//   1. the Electron binary, by Electron's own installer (node node_modules/electron/install.js);
//   2. better-sqlite3 built for Electron's ABI, in its own folder (.cache/electron-sqlite/), from the prebuilt binary
//      (prebuild-install --runtime=electron) or, failing that, compiled with node-gyp against Electron's headers.
// The Node build in node_modules/better-sqlite3 is never touched: tests and the CLI keep using it. The app finds the
// Electron build through RUNLENS_SQLITE_BINDING (scripts/start.mjs sets it; electron/main/sqlite-binding.ts too).
// `node scripts/fetch-electron.mjs --check` only reports what is there (exit 0 when ready, 2 when not).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Keep in step with electron/main/sqlite-binding.ts. */
const SQLITE_DIR = path.join('.cache', 'electron-sqlite');
const SQLITE_BINDING = path.join(SQLITE_DIR, 'build', 'Release', 'better_sqlite3.node');
const HEADERS_URL = 'https://electronjs.org/headers';

export class FetchError extends Error {}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

export function electronVersion(root = ROOT) {
  return readJson(path.join(root, 'node_modules', 'electron', 'package.json')).version;
}

function platformExecutable(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** Where Electron's installer puts (or has put) the binary; honours ELECTRON_OVERRIDE_DIST_PATH like electron does. */
export function electronBinaryPath(root = ROOT, env = process.env) {
  const pkg = path.join(root, 'node_modules', 'electron');
  let exe = platformExecutable();
  try {
    exe = fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim() || exe;
  } catch {
    /* not installed yet */
  }
  return env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, exe) : path.join(pkg, 'dist', exe);
}

export function sqliteBindingPath(root = ROOT) {
  return path.join(root, SQLITE_BINDING);
}

function wantedStamp(root) {
  return {
    electron: electronVersion(root),
    better_sqlite3: readJson(path.join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** What is present: the binary, and a better-sqlite3 build stamped for this Electron version, platform and arch. */
export function electronStatus(root = ROOT, env = process.env) {
  const binary = electronBinaryPath(root, env);
  const binding = sqliteBindingPath(root);
  let stampOk;
  try {
    stampOk = JSON.stringify(readJson(path.join(root, SQLITE_DIR, 'target.json'))) === JSON.stringify(wantedStamp(root));
  } catch {
    stampOk = false;
  }
  const binaryPresent = fs.existsSync(binary);
  const sqliteReady = stampOk && fs.existsSync(binding);
  return { version: electronVersion(root), binary, binaryPresent, binding, sqliteReady, ready: binaryPresent && sqliteReady };
}

/** Run a command, keep its output (for the one-line reason when it fails); time out after `timeoutMs`. */
function run(cmd, args, { cwd, env = process.env, timeoutMs = 10 * 60_000 }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let out = '';
    const keep = (b) => {
      out = (out + b.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      out += `\ntimed out after ${Math.round(timeoutMs / 1000)} s`;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, out: `${out}\n${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** The line of a failed tool's output that says why (errors first, stack frames never). */
export function reasonFrom(out) {
  const lines = out
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l) && !/^npm (ERR|error)! *$/.test(l) && l !== '^');
  const err = [...lines].reverse().find((l) => /error|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|timed out|failed|not found|404/i.test(l));
  return (err ?? lines.at(-1) ?? 'no output').replace(/^(Error|RequestError|HTTPError):\s*/, '').slice(0, 300);
}

export async function fetchElectron({ root = ROOT, env = process.env, log = () => {} } = {}) {
  const status = electronStatus(root, env);
  if (!status.binaryPresent) {
    log(`downloading Electron ${status.version} with its own installer`);
    const r = await run(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: path.join(root, 'node_modules', 'electron'),
      env,
      timeoutMs: Number(env.RUNLENS_FETCH_TIMEOUT_MS) || 10 * 60_000,
    });
    if (r.code !== 0 || !fs.existsSync(electronBinaryPath(root, env))) {
      throw new FetchError(`could not download Electron ${status.version}: ${reasonFrom(r.out)}`);
    }
  }
  if (!status.sqliteReady) {
    const stamp = wantedStamp(root);
    const dir = path.join(root, SQLITE_DIR);
    log(`building better-sqlite3 ${stamp.better_sqlite3} for Electron ${stamp.electron} (${stamp.platform}-${stamp.arch}) in ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const src = path.join(root, 'node_modules', 'better-sqlite3');
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
      fs.cpSync(path.join(src, part), path.join(dir, part), { recursive: true });
    }
    const target = [`--runtime=electron`, `--target=${stamp.electron}`, `--arch=${stamp.arch}`];
    const timeoutMs = Number(env.RUNLENS_FETCH_TIMEOUT_MS) || 20 * 60_000;
    const pre = await run(process.execPath, [path.join(root, 'node_modules', 'prebuild-install', 'bin.js'), ...target, `--platform=${stamp.platform}`], { cwd: dir, env, timeoutMs });
    if (pre.code !== 0 || !fs.existsSync(sqliteBindingPath(root))) {
      log(`no prebuilt binary (${reasonFrom(pre.out)}); compiling with node-gyp against Electron's headers`);
      const gyp = await run(process.execPath, [path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '--release', `--target=${stamp.electron}`, `--arch=${stamp.arch}`, `--dist-url=${HEADERS_URL}`], { cwd: dir, env, timeoutMs });
      if (gyp.code !== 0 || !fs.existsSync(sqliteBindingPath(root))) {
        throw new FetchError(`could not build better-sqlite3 for Electron ${stamp.electron}: ${reasonFrom(gyp.out)}`);
      }
    }
    fs.writeFileSync(path.join(dir, 'target.json'), JSON.stringify(stamp));
  }
  return electronStatus(root, env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes('--check')) {
    const s = electronStatus();
    console.log(`Electron ${s.version}: binary ${s.binaryPresent ? 'present' : 'missing'} (${s.binary}); better-sqlite3 for Electron ${s.sqliteReady ? 'ready' : 'missing'} (${s.binding})`);
    process.exit(s.ready ? 0 : 2);
  }
  try {
    const s = await fetchElectron({ log: (m) => console.log(`fetch-electron: ${m}`) });
    console.log(`fetch-electron: ready (${s.binary}; ${s.binding})`);
  } catch (e) {
    console.error(`fetch-electron: ${e instanceof FetchError ? e.message : (e?.message ?? String(e)).split('\n')[0]}`);
    process.exit(1);
  }
}
