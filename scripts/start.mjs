#!/usr/bin/env node
// `npm start`: build dist/ when it is older than the sources, then open the desktop app. Where Electron cannot run
// (no display, or its binary cannot be had), say so in one line and serve the sample case in the browser instead
// (`runlens serve`, which prints the URL). Arguments go to the app (bundles to open) or to `runlens serve`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus } from './fetch-electron.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const SOURCE_DIRS = ['electron', 'shared', 'renderer'];
const SOURCE_FILES = ['package.json', 'vite.config.ts', 'scripts/build.mjs'];
const ENTRIES = { cli: 'electron/cli/main.ts', 'import-worker': 'electron/worker.ts', main: 'electron/main/main.ts', preload: 'electron/main/preload.ts' };

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

/** The outputs the build makes (for the entries that exist), and whether any is missing or older than a source. */
export function buildState(root = ROOT) {
  const outputs = Object.entries(ENTRIES)
    .filter(([, src]) => fs.existsSync(path.join(root, src)))
    .map(([name]) => path.join(root, 'dist', 'electron', `${name}.cjs`));
  if (fs.existsSync(path.join(root, 'renderer', 'index.html'))) outputs.push(path.join(root, 'dist', 'renderer', 'index.html'));
  const missing = outputs.filter((o) => !fs.existsSync(o));
  const sources = Math.max(...[...SOURCE_DIRS, ...SOURCE_FILES].map((p) => newestMtime(path.join(root, p))));
  const oldestOutput = missing.length ? 0 : Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
  return { outputs, missing, stale: missing.length > 0 || sources > oldestOutput };
}

/** Why Electron cannot open a window here, before trying to fetch it (null: a display is there). */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
}

function say(line) {
  process.stdout.write(`runlens: ${line}\n`);
}

function ensureBuilt() {
  if (!buildState().stale) return true;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    say(`the build failed (node scripts/build.mjs exited ${r.status ?? r.signal}); fix the errors above and run npm start again`);
    return false;
  }
  return true;
}

/** Fetch Electron (and better-sqlite3 for it) in a child; returns null when ready, else the one-line reason. */
function fetchProblem() {
  if (electronStatus().ready) return null;
  if (process.stderr.isTTY) process.stderr.write('runlens: fetching Electron and building better-sqlite3 for it (first start only)…\n');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'fetch-electron.mjs')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0 && electronStatus().ready) return null;
  const line = (r.stderr || r.stdout || '').split('\n').filter((l) => l.startsWith('fetch-electron:')).at(-1);
  return line ? line.replace(/^fetch-electron:\s*/, '') : `scripts/fetch-electron.mjs exited ${r.status ?? r.signal}`;
}

/** Run a child with our stdio, pass Ctrl-C / SIGTERM on, and exit with its code. */
function runForwarding(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (e) => {
    say(`could not start ${path.basename(cmd)}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  const args = process.argv.slice(2);
  if (!ensureBuilt()) process.exit(1);
  const problem = displayProblem() ?? fetchProblem();
  if (!problem) {
    const s = electronStatus();
    const env = { ...process.env, RUNLENS_SQLITE_BINDING: s.binding };
    delete env.ELECTRON_RUN_AS_NODE;
    runForwarding(s.binary, [ROOT, ...args], env);
    return;
  }
  say(`no desktop app here (${problem}); serving the sample case in the browser instead: open the URL below.`);
  runForwarding(process.execPath, [path.join(ROOT, 'bin', 'runlens.cjs'), 'serve', ...args], process.env);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
