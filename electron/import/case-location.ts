/**
 * Where cases live by default, and how inputs are identified. A case opened from a bundle is stored in the user's
 * data folder under a name derived from the inputs' hashes, so opening the same evidence again finds the case
 * already built (instant) instead of importing it again.
 *
 * Data folder: `$RUNLENS_DATA_DIR` when set; else Linux `$XDG_DATA_HOME/runlens` or `~/.local/share/runlens`,
 * macOS `~/Library/Application Support/Runlens`, Windows `%APPDATA%/Runlens`. Cases go in its `cases/` folder.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
// the folder walker alone (not the archive readers: `runlens serve`'s own start loads this module)
import { folderDigest, listFolderFiles } from './container/folder';

export const CASE_EXTENSION = '.runlens';

export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.RUNLENS_DATA_DIR) return path.resolve(env.RUNLENS_DATA_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Runlens');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Runlens');
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'runlens');
}

export function casesDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(dataDir(env, platform), 'cases');
}

/** The default case file for a set of inputs, named by a hash of their hashes (order matters: it is the import order). */
export function defaultCasePath(inputHashes: string[], env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const h = createHash('sha256').update(inputHashes.join('\n')).digest('hex');
  return path.join(casesDir(env, platform), `${h.slice(0, 32)}${CASE_EXTENSION}`);
}

/** Refuse what hashing (and the import) would refuse, before anything reads it: not a regular file or folder. */
export function checkInputs(paths: string[]): void {
  for (const p of paths) {
    const st = fs.statSync(p);
    if (!st.isDirectory() && !st.isFile()) throw new Error(`${p}: not a regular file or folder`);
  }
}

/** SHA-256 and size of one file, streamed (the hash every input gets, and `runlens verify` checks again). */
export async function hashFile(p: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  // 1 MiB reads: a third faster than the default 64 KiB on a 100 MiB log (the hash is on the first screen's path).
  for await (const chunk of fs.createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    signal?.throwIfAborted();
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/**
 * The same as hashFile, in a worker thread of its own (a few lines of code, no bundle to load): for a process whose
 * main thread answers requests meanwhile (`runlens serve`: a 100 MB log's hash would hold the page's files and calls
 * for a third of a second). Aborting stops it.
 */
export function hashFileOffThread(p: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const w = new Worker(HASH_WORKER, { eval: true, workerData: p });
    const stop = () => void w.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    let done = false;
    const settle = (f: () => void) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', stop);
      f();
    };
    w.once('message', (m: { sha256?: string; bytes?: number; error?: string }) =>
      settle(() => (m.error !== undefined ? reject(new Error(m.error)) : resolve({ sha256: m.sha256!, bytes: m.bytes! }))),
    );
    w.once('error', (e) => settle(() => reject(e)));
    w.once('exit', () => settle(() => reject(signal?.aborted ? signal.reason : new Error(`${p}: the hashing stopped`))));
  });
}

/** The hashing thread: 1 MiB reads (as hashFile), the digest and size posted back, or the error's message. */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
try {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(workerData, 'r');
  let bytes = 0;
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; bytes += n) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  parentPort.postMessage({ sha256: h.digest('hex'), bytes });
} catch (e) {
  parentPort.postMessage({ error: e && e.message ? e.message : String(e) });
}
`;

/**
 * SHA-256 of each top-level input, the same digest the import records for it: a file's bytes; a folder's sorted
 * `relPath \t sha256 \t bytes` lines over its regular files (junk and symlinks left out, as the import does).
 * `offThread`: each file hashed in a worker thread (hashFileOffThread).
 */
export async function hashInputs(paths: string[], signal?: AbortSignal, opts: { offThread?: boolean } = {}): Promise<string[]> {
  const hash = opts.offThread ? hashFileOffThread : hashFile;
  const out: string[] = [];
  for (const p of paths) {
    const st = await fs.promises.stat(p);
    // A device (/dev/zero) or a FIFO never ends or blocks on open: refused, never read.
    if (!st.isDirectory() && !st.isFile()) throw new Error(`${p}: not a regular file or folder`);
    if (st.isDirectory()) {
      const files = await listFolderFiles(p);
      const hashed: { rel: string; sha256: string; bytes: number }[] = [];
      for (const f of files) hashed.push({ rel: f.rel, ...(await hash(f.abs, signal)) });
      out.push(folderDigest(hashed).sha256);
    } else out.push((await hash(p, signal)).sha256);
  }
  return out;
}
