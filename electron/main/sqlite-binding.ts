/**
 * better-sqlite3 for Electron's ABI. Tests and the CLI use the Node build in node_modules; the desktop app in
 * development uses a separate build that `scripts/fetch-electron.mjs` makes in `.cache/electron-sqlite/`, and tells
 * `electron/db/open.ts` about it through RUNLENS_SQLITE_BINDING (worker threads inherit the variable). A packaged
 * app needs nothing: electron-builder rebuilds node_modules' better-sqlite3 for Electron when it packages.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Keep in step with scripts/fetch-electron.mjs. */
export const ELECTRON_SQLITE_RELATIVE = path.join('.cache', 'electron-sqlite', 'build', 'Release', 'better_sqlite3.node');

export type BindingChoice =
  | { kind: 'env'; path: string }
  | { kind: 'dev-build'; path: string }
  | { kind: 'packaged' }
  | { kind: 'missing'; expected: string };

export function chooseSqliteBinding(opts: { env: NodeJS.ProcessEnv; isPackaged: boolean; appRoot: string }): BindingChoice {
  // A packaged app never takes a native module from the environment: whoever sets a variable must not be able to
  // load code into the process that reads the evidence (issue 11 #10). Only the build it was packaged with.
  if (opts.isPackaged) return { kind: 'packaged' };
  const fromEnv = opts.env.RUNLENS_SQLITE_BINDING;
  if (fromEnv) return { kind: 'env', path: fromEnv };
  const dev = path.join(opts.appRoot, ELECTRON_SQLITE_RELATIVE);
  return fs.existsSync(dev) ? { kind: 'dev-build', path: dev } : { kind: 'missing', expected: dev };
}

/** Sets RUNLENS_SQLITE_BINDING when a dev build is used; returns a readable problem or null. */
export function configureSqliteBinding(opts: { env: NodeJS.ProcessEnv; isPackaged: boolean; appRoot: string }): string | null {
  const c = chooseSqliteBinding(opts);
  // electron/db/native-binding.ts (and the worker threads, which inherit the environment) read the variable: gone.
  if (c.kind === 'packaged') delete opts.env.RUNLENS_SQLITE_BINDING;
  if (c.kind === 'dev-build') opts.env.RUNLENS_SQLITE_BINDING = c.path;
  if (c.kind === 'missing') {
    return `better-sqlite3 for Electron is missing (${c.expected}). Run \`node scripts/fetch-electron.mjs\` (or \`npm start\`) on a machine with internet.`;
  }
  return null;
}
