/**
 * Helpers for the ingest tests: real archives made on the fly (yazl, tar-stream + zlib), a collecting RecordSink,
 * file hashing and temp folders. Nothing here fakes what is tested: archives are real files, the sink is the
 * contract importers write to.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { build } from 'esbuild';
import { NODE_BUNDLE_OPTIONS, NODE_ENTRIES, ROOT } from '../../scripts/build-node.mjs';
import * as tar from 'tar-stream';
import type { ImportContext, Importer, InputFile } from '../../electron/import/types';
import type { ImportSummary } from '../../electron/import/run-import';
import { expect } from 'vitest';

interface YazlZip {
  addBuffer(buf: Buffer, name: string, opts?: { mode?: number; compress?: boolean; mtime?: Date }): void;
  end(): void;
  outputStream: NodeJS.ReadableStream;
}
const yazl = createRequire(import.meta.url)('yazl') as { ZipFile: new () => YazlZip };

export const FIXTURE_BUNDLE = fileURLToPath(new URL('../fixtures/bundle/small-bundle', import.meta.url));

export function tempDir(prefix = 'rl-import-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sha256File(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/** Every file under a folder (relative path -> sha256), to prove evidence was not touched. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const abs = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) walk(abs, r);
      else if (st.isSymbolicLink()) out[r] = `symlink:${fs.readlinkSync(abs)}`;
      else out[r] = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
    }
  };
  walk(root, '');
  return out;
}

export interface ArchiveEntry {
  name: string;
  data?: Buffer | string;
  /** Unix mode (e.g. 0o120777 for a symlink in a zip). */
  mode?: number;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export async function makeZip(file: string, entries: ArchiveEntry[]): Promise<void> {
  const z = new yazl.ZipFile();
  for (const e of entries) {
    z.addBuffer(Buffer.from(e.data ?? ''), e.name, e.mode !== undefined ? { mode: e.mode } : {});
  }
  z.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', () => resolve());
    out.on('error', reject);
    z.outputStream.pipe(out);
  });
}

export async function zipBuffer(entries: ArchiveEntry[]): Promise<Buffer> {
  const f = path.join(tempDir(), 'x.zip');
  await makeZip(f, entries);
  const b = fs.readFileSync(f);
  fs.rmSync(path.dirname(f), { recursive: true, force: true });
  return b;
}

export async function makeTar(file: string, entries: ArchiveEntry[], gzip = true): Promise<void> {
  const pack = tar.pack();
  const done = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', () => resolve());
    out.on('error', reject);
    const src = pack as unknown as NodeJS.ReadableStream;
    if (gzip) src.pipe(zlib.createGzip()).pipe(out);
    else src.pipe(out);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') pack.entry({ name: e.name, type }, Buffer.from(e.data ?? ''));
    else pack.entry({ name: e.name, type, linkname: e.linkname });
  }
  pack.finalize();
  await done;
}

/** Copy a folder (the fixture bundle) into `dest`. */
export function copyDir(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true });
}

/** The fixture bundle's files as archive entries under `prefix` (e.g. 'bundle/'). */
export function bundleEntries(prefix = '', skipLogs = false): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const abs = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (fs.statSync(abs).isDirectory()) {
        if (!(skipLogs && r === 'logs')) walk(abs, r);
      } else out.push({ name: prefix + r, data: fs.readFileSync(abs) });
    }
  };
  walk(FIXTURE_BUNDLE, '');
  return out;
}

/** A RecordSink that keeps everything it is given. */
export { MemorySink as CollectingSink } from '../support/memory-sink';
import { MemorySink as CollectingSink } from '../support/memory-sink';

export function inputFile(relPath: string, data: Buffer | string): InputFile {
  const buf = Buffer.from(data);
  return { name: `/evidence/${relPath}`, relPath, bytes: buf.length, head: buf.subarray(0, 64 * 1024) };
}

/** Run one importer over bytes, delivered in small chunks (so lines cross chunk boundaries). */
export async function runImporter(importer: Importer, relPath: string, data: Buffer | string, chunk = 7): Promise<CollectingSink> {
  const buf = Buffer.from(data);
  const file = inputFile(relPath, buf);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const sink = new CollectingSink();
  const ctx: ImportContext = { date: null, signal: new AbortController().signal };
  await importer.read(file, Readable.from(parts), sink, ctx);
  return sink;
}

export { Readable };

/** Every file read: lines = stored + skipped, and nothing skipped without a reason. */
export function expectAccounted(s: ImportSummary): void {
  expect(s.files!.length).toBeGreaterThan(0);
  for (const f of s.files!) {
    expect(f.lines_stored + f.lines_skipped, f.path).toBe(f.lines);
    expect(Object.values(f.skipped).reduce((a, b) => a + b, 0), f.path).toBe(f.lines_skipped);
  }
}

/**
 * The import's job worker (the build's entry and externals, scripts/build-node.mjs) built from these sources into
 * `out` — not into dist/ (other tests may be using it), and without the build's code-cache loader; inside the project
 * so that it finds better-sqlite3 in node_modules. Returns its path.
 */
export async function buildImportWorker(out: string): Promise<string> {
  await build({
    entryPoints: { 'import-worker': path.join(ROOT, NODE_ENTRIES['import-worker']) },
    outdir: out,
    ...NODE_BUNDLE_OPTIONS, // the build's own (scripts/build-node.mjs), so the two cannot drift apart
    logLevel: 'silent',
  });
  return path.join(out, 'import-worker.cjs');
}
