/**
 * The container layer: turns one input path (a folder, a .zip, a .tar.gz/.tgz/.tar, or a single file) into the files
 * it holds, one at a time, each as `{ file, stream, key }`, streaming (never a whole file in memory).
 *
 * - Archives are recognised by magic bytes, not by name. A single top-level folder is the bundle root.
 * - A zip inside (logs.zip in a bundle, any zip in a tar or zip) is spooled to a temp file and descended into:
 *   a bundle's `logs.zip` stands for `logs/` (members get `logs/…` relPaths); any other zip is read from its own
 *   root, like a zip given directly.
 * - Every file read is hashed (SHA-256 + bytes): the input itself and each member, reported through `onSource` /
 *   `onHashed` (parent keys link members to their archive). A member not read by the consumer is still read to
 *   the end and hashed once the consumer asks for the next file.
 * - Junk (`__MACOSX/`, `.DS_Store`, `._*`) is skipped silently. Absolute or `..` member paths, symlinks, devices:
 *   warning, skipped. Bombs: total uncompressed bytes and expansion ratio are capped (ContainerBombError, fatal).
 *   Truncated/corrupt archives: ImportError naming the file when nothing could be read, else a warning (partial).
 * - Evidence is opened read-only. Nothing is written except spooled archives in a private temp dir, removed when
 *   the walk ends (normally, on error, or when the consumer stops early).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import * as yauzl from 'yauzl';
import type { ImportWarning } from '../../shared/model';
import { ImportCancelledError } from './errors';
import { ImportError, type InputFile } from './types';

export const HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_RATIO = 500;
export const DEFAULT_RATIO_MIN_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 3;

export type SourceKind = 'file' | 'folder' | 'zip' | 'tar' | 'gzip';

/** A file or container being read: becomes a row in `sources`. */
export interface SourceNode {
  key: number;
  parentKey: number | null;
  /** Display name: the input path, `archive.zip!/member`, or a file's path inside an input folder. */
  name: string;
  /** Path inside the parent archive / input folder, '/'-separated; null for a top-level input. */
  member: string | null;
  kind: SourceKind;
}

export interface ContainerEntry {
  file: InputFile;
  /** The file's bytes. Read it (or not) before asking for the next entry. */
  stream: Readable;
  /** The SourceNode key of this file. */
  key: number;
}

export interface ContainerOptions {
  signal?: AbortSignal;
  /** Parent folder for the private temp dir (default: os.tmpdir()). */
  tempRoot?: string;
  /** Cap on uncompressed bytes read from one input, all members and nesting levels together (default 4 GiB). */
  maxTotalBytes?: number;
  /** Cap on (uncompressed bytes / input bytes on disk), checked beyond `ratioMinBytes` (default 500). */
  maxRatio?: number;
  ratioMinBytes?: number;
  /** How many archive levels to open (the input itself is level 1; default 3). */
  maxDepth?: number;
  onSource?: (node: SourceNode) => void;
  onHashed?: (key: number, sha256: string, bytes: number) => void;
  onWarning?: (w: ImportWarning) => void;
  /** Progress: bytes of the input on disk consumed so far, per phase ('hashing' = a whole-file pass before reading). */
  onBytes?: (phase: 'hashing' | 'reading', n: number) => void;
}

/** A zip/gzip bomb (or simply an input too large to import). Fatal for the import. */
export class ContainerBombError extends ImportError {}

const JUNK_BASENAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);

/** `__MACOSX/…`, `.DS_Store`, `._*` (AppleDouble) and the like: skipped silently. */
export function isJunkPath(rel: string): boolean {
  const segs = rel.split('/').filter(Boolean);
  if (segs.some((s) => s === '__MACOSX')) return true;
  const base = segs[segs.length - 1] ?? '';
  return JUNK_BASENAMES.has(base.toLowerCase()) || base.startsWith('._');
}

/** Normalise an archive member name; returns an error message for unsafe names (absolute, `..`, NUL). */
export function checkMemberPath(raw: string): { path: string } | { error: string } {
  const name = raw.replace(/\\/g, '/');
  if (name.includes('\0')) return { error: 'member name contains a NUL byte' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { error: `absolute path in archive: ${raw}` };
  const segs = name.split('/');
  if (segs.includes('..')) return { error: `path escapes the archive (..): ${raw}` };
  return { path: segs.filter((s) => s !== '' && s !== '.').join('/') };
}

export function isZipMagic(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}
export function isGzipMagic(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
/** A tar header block: `ustar` magic, or an old-style header with a valid checksum. */
export function isTarHeader(b: Buffer): boolean {
  if (b.length < 512) return false;
  if (b.toString('latin1', 257, 262) === 'ustar') return true;
  const field = b.toString('latin1', 148, 156).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  return sum === parseInt(field, 8) && b[0] !== 0;
}

function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 ? 1 : 0)} MiB`;
  return `${n} bytes`;
}

/**
 * Where relPaths of a nested zip go. A bundle's `logs.zip` stands for its `logs/` folder: `logs.zip` -> `logs/…`,
 * `a/logs.zip` -> `a/logs/…`. Any other zip (a log archive or a bundle inside a folder or tar) is read like a zip
 * given directly: paths from its own root, a single top-level folder stripped.
 */
function nestedLayout(relPath: string): { prefix: string; stripRoot: boolean } {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (base.toLowerCase() === 'logs.zip') return { prefix: relPath.slice(0, -'.zip'.length) + '/', stripRoot: false };
  return { prefix: '', stripRoot: true };
}

/**
 * Order inside a bundle: manifest.json first (it sets the run date and steps), network.jsonl last (the calls can
 * then be analysed as they are written: their processes, DNS and steps are all read by then, network-live.ts),
 * the rest in their order.
 */
function manifestFirst<T>(items: T[], rel: (t: T) => string): T[] {
  const i = items.findIndex((t) => rel(t).toLowerCase() === 'manifest.json');
  const out = i <= 0 ? [...items] : [items[i]!, ...items.slice(0, i), ...items.slice(i + 1)];
  const n = out.findIndex((t) => rel(t).toLowerCase() === 'network.jsonl');
  if (n >= 0 && n < out.length - 1) out.push(...out.splice(n, 1));
  return out;
}

/** Strip a single top-level folder shared by every path, when there is one. */
function singleRoot(paths: string[]): string | null {
  if (paths.length === 0) return null;
  const first = paths[0]!.split('/')[0]!;
  if (first.toLowerCase() === 'logs') return null; // a bundle holding only its logs/ folder keeps the layout
  for (const p of paths) {
    const segs = p.split('/');
    if (segs.length < 2 || segs[0] !== first) return null;
  }
  return first;
}

/** Per-input budget: total uncompressed bytes and expansion ratio. */
class Budget {
  total = 0;
  constructor(
    private readonly inputName: string,
    private readonly diskBytes: number,
    private readonly maxTotal: number,
    private readonly maxRatio: number,
    private readonly ratioMin: number,
  ) {}

  /** Check before reading: declared sizes of a zip's members. */
  declare(member: string, uncompressed: number, compressed: number): void {
    if (this.total + uncompressed > this.maxTotal) {
      throw new ContainerBombError(
        `${member}: declares ${fmtBytes(uncompressed)} uncompressed, over the ${fmtBytes(this.maxTotal)} limit for ${this.inputName} (possible zip bomb); import stopped`,
      );
    }
    if (uncompressed > this.ratioMin && uncompressed / Math.max(compressed, 1) > this.maxRatio) {
      throw new ContainerBombError(
        `${member}: expands ${Math.round(uncompressed / Math.max(compressed, 1))}x (${fmtBytes(compressed)} -> ${fmtBytes(uncompressed)}), over the ${this.maxRatio}x limit (possible zip bomb); import stopped`,
      );
    }
  }

  add(n: number, name: string): void {
    this.total += n;
    if (this.total > this.maxTotal) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands to more than ${fmtBytes(this.maxTotal)} (possible zip/gzip bomb); import stopped`,
      );
    }
    if (this.total > this.ratioMin && this.total / Math.max(this.diskBytes, 1) > this.maxRatio) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands more than ${this.maxRatio}x its ${fmtBytes(this.diskBytes)} (possible zip/gzip bomb); import stopped`,
      );
    }
  }
}

/**
 * Keep a stream's late or duplicate 'error' events from becoming uncaught exceptions (yauzl re-emits inflate errors
 * on a later tick; zlib may error after its reader stopped). The error itself still reaches the reader: async
 * iterators and pipes attach their own listeners.
 */
function quiet<T extends { on(event: 'error', fn: (e: Error) => void): unknown }>(s: T): T {
  s.on('error', () => undefined);
  return s;
}

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false } as yauzl.Options,
      (err, zf) => (err || !zf ? reject(err ?? new Error('cannot open')) : resolve(zf)),
    );
  });
}

function readAllEntries(zf: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zf.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      zf.readEntry();
    });
    zf.once('end', () => resolve(out));
    zf.once('error', reject);
    zf.readEntry();
  });
}

function openEntryStream(zf: yauzl.ZipFile, e: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zf.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error('cannot read')) : resolve(quiet(s))));
  });
}

interface YauzlInternals {
  getFileNameLowLevel(flags: number, name: Buffer, extra: unknown, strict: boolean): string;
}

function zipEntryName(e: yauzl.Entry): string {
  const raw = e.fileName as unknown as Buffer | string;
  if (typeof raw === 'string') return raw;
  return (yauzl as unknown as YauzlInternals).getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
}

function zipEntryIsSymlink(e: yauzl.Entry): boolean {
  const madeBy = e.versionMadeBy >> 8;
  const mode = (e.externalFileAttributes >>> 16) & 0o170000;
  return madeBy === 3 && mode === 0o120000;
}

/** Wait until a writable can take more, or is gone. */
function drainOrClose(w: PassThrough): Promise<void> {
  if (w.destroyed || w.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}

interface MemberMeta {
  /** Display name. */
  name: string;
  /** Path relative to the bundle root (what importers see). */
  relPath: string;
  /** Path inside the parent container (sources.member). */
  member: string | null;
  parentKey: number | null;
  /** Declared size when known (zip/tar/stat), else -1. */
  bytes: number;
  /** The file on disk, when it is one (folder inputs): a nested zip is then opened in place, not spooled. */
  diskPath?: string;
  /** Counts input-on-disk bytes for progress (plain files read straight from the input). */
  countsDisk: boolean;
}

/** The walk over one input. */
class Walk {
  private nextKey = 1;
  private tempDir: string | null = null;
  private budget!: Budget;
  private readBytes = 0;
  private hashBytes = 0;

  constructor(
    private readonly input: string,
    private readonly opts: ContainerOptions,
  ) {}

  private get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  private newNode(parentKey: number | null, name: string, member: string | null, kind: SourceKind): SourceNode {
    const node: SourceNode = { key: this.nextKey++, parentKey, name, member, kind };
    this.opts.onSource?.(node);
    return node;
  }

  private warn(file: string | null, message: string): void {
    this.opts.onWarning?.({ file, line: null, message });
  }

  private progress(phase: 'hashing' | 'reading', n: number): void {
    if (phase === 'hashing') this.hashBytes += n;
    else this.readBytes += n;
    this.opts.onBytes?.(phase, phase === 'hashing' ? this.hashBytes : this.readBytes);
  }

  private checkAbort(): void {
    if (this.signal?.aborted) throw new ImportCancelledError();
  }

  async cleanup(): Promise<void> {
    if (this.tempDir) {
      const d = this.tempDir;
      this.tempDir = null;
      await fsp.rm(d, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async tempFile(base: string): Promise<string> {
    if (!this.tempDir) {
      const root = this.opts.tempRoot ?? os.tmpdir();
      this.tempDir = await fsp.mkdtemp(path.join(root, 'runlens-import-'));
    }
    return path.join(this.tempDir, `${this.nextKey}-${base.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80)}`);
  }

  async *run(): AsyncGenerator<ContainerEntry> {
    let st: fs.Stats;
    try {
      st = await fsp.lstat(this.input);
    } catch (e) {
      throw new ImportError(`cannot read input ${this.input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : errMsg(e)}`);
    }
    if (st.isSymbolicLink()) st = await fsp.stat(this.input); // a symlink named by the user is followed; inside, never
    const o = this.opts;
    const mk = (disk: number) =>
      new Budget(this.input, disk, o.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES, o.maxRatio ?? DEFAULT_MAX_RATIO, o.ratioMinBytes ?? DEFAULT_RATIO_MIN_BYTES);
    if (st.isDirectory()) {
      const files = await listFolderFiles(this.input, (file, message) => this.warn(file, message));
      this.budget = mk(files.reduce((s, f) => s + f.size, 0));
      yield* this.walkFolder(files);
      return;
    }
    if (!st.isFile()) throw new ImportError(`${this.input}: not a regular file or folder`);
    this.budget = mk(st.size);
    const magic = await readMagic(this.input);
    if (isZipMagic(magic)) {
      const node = this.newNode(null, this.input, null, 'zip');
      await this.hashWholeFile(this.input, node.key);
      yield* this.walkZip(this.input, node, '', 1, true);
    } else if (isGzipMagic(magic) || isTarHeader(magic)) {
      yield* this.walkTarOrGzip(this.input, isGzipMagic(magic));
    } else {
      const meta: MemberMeta = { name: this.input, relPath: path.basename(this.input), member: null, parentKey: null, bytes: st.size, countsDisk: true };
      yield* this.member(quiet(fs.createReadStream(this.input)), meta, 1, 'file');
    }
  }

  private async hashWholeFile(file: string, key: number): Promise<void> {
    const h = createHash('sha256');
    let n = 0;
    for await (const chunk of quiet(fs.createReadStream(file)) as AsyncIterable<Buffer>) {
      this.checkAbort();
      h.update(chunk);
      n += chunk.length;
      this.progress('hashing', chunk.length);
    }
    this.opts.onHashed?.(key, h.digest('hex'), n);
  }

  // ---------- folders ----------
  private async *walkFolder(files: FolderFile[]): AsyncGenerator<ContainerEntry> {
    const node = this.newNode(null, this.input, null, 'folder');
    const root = singleRoot(files.map((f) => f.rel));
    const relOf = (rel: string) => (root ? rel.slice(root.length + 1) : rel);
    const hashes = new Map<string, { sha256: string; bytes: number }>();
    const onHashed = this.opts.onHashed;
    for (const f of manifestFirst(files, (x) => relOf(x.rel))) {
      this.checkAbort();
      const meta: MemberMeta = { name: f.abs, relPath: relOf(f.rel), member: f.rel, parentKey: node.key, bytes: f.size, diskPath: f.abs, countsDisk: true };
      let stream: fs.ReadStream;
      try {
        stream = quiet(fs.createReadStream(f.abs));
        await once(stream, 'open');
      } catch (e) {
        this.warn(f.abs, `cannot read: ${errMsg(e)}`);
        continue;
      }
      yield* this.member(stream, meta, 1, 'file', (sha256, bytes) => hashes.set(f.rel, { sha256, bytes }));
    }
    const d = folderDigest([...hashes].map(([rel, h]) => ({ rel, ...h })));
    onHashed?.(node.key, d.sha256, d.bytes);
  }

  // ---------- zip ----------
  private async *walkZip(file: string, node: SourceNode, relPrefix: string, depth: number, stripRoot: boolean): AsyncGenerator<ContainerEntry> {
    let zf: yauzl.ZipFile;
    let entries: yauzl.Entry[];
    try {
      zf = await openZip(file);
    } catch (e) {
      throw new ImportError(`${node.name}: cannot open zip archive (truncated or corrupt?): ${errMsg(e)}`);
    }
    try {
      try {
        entries = await readAllEntries(zf);
      } catch (e) {
        throw new ImportError(`${node.name}: corrupt zip archive: ${errMsg(e)}`);
      }
      const items: { e: yauzl.Entry; path: string }[] = [];
      const seen = new Set<string>();
      for (const e of entries) {
        const rawName = zipEntryName(e);
        const checked = checkMemberPath(rawName);
        if ('error' in checked) {
          this.warn(`${node.name}!/${rawName}`, `${checked.error}: skipped`);
          continue;
        }
        const p = checked.path;
        if (!p || rawName.endsWith('/') || isJunkPath(p)) continue;
        if (zipEntryIsSymlink(e)) {
          this.warn(`${node.name}!/${p}`, 'symbolic link in archive not followed: skipped');
          continue;
        }
        if (e.generalPurposeBitFlag & 0x1) {
          this.warn(`${node.name}!/${p}`, 'encrypted archive member: skipped');
          continue;
        }
        if (seen.has(p)) this.warn(`${node.name}!/${p}`, 'duplicate member name in archive (another member has the same path): both are read');
        seen.add(p);
        items.push({ e, path: p });
      }
      let declared = 0;
      for (const it of items) {
        this.budget.declare(`${node.name}!/${it.path}`, it.e.uncompressedSize, it.e.compressedSize);
        declared += it.e.uncompressedSize;
      }
      this.budget.declare(node.name, declared, Math.max(1, declared)); // the sum must fit too
      const root = stripRoot ? singleRoot(items.map((i) => i.path)) : null;
      const relOf = (p: string) => relPrefix + (root ? p.slice(root.length + 1) : p);
      for (const it of manifestFirst(items, (i) => relOf(i.path))) {
        this.checkAbort();
        const name = `${node.name}!/${it.path}`;
        let s: Readable;
        try {
          s = await openEntryStream(zf, it.e);
        } catch (e) {
          this.warn(name, `cannot read archive member: ${errMsg(e)}`);
          continue;
        }
        const meta: MemberMeta = { name, relPath: relOf(it.path), member: it.path, parentKey: node.key, bytes: it.e.uncompressedSize, countsDisk: false };
        yield* this.member(s, meta, depth, 'file');
        if (depth === 1) this.progress('reading', it.e.compressedSize);
      }
    } finally {
      zf.close();
    }
  }

  // ---------- tar / gzip ----------
  private async *walkTarOrGzip(file: string, gzipped: boolean): AsyncGenerator<ContainerEntry> {
    // Peek the first decompressed block: a tar header, or just a gzipped file?
    let first: Buffer;
    try {
      first = gzipped ? await peekGunzip(file, 512) : await readMagic(file, 512);
    } catch (e) {
      throw new ImportError(`${file}: cannot read gzip data (truncated or corrupt?): ${errMsg(e)}`);
    }
    const hash = createHash('sha256');
    let diskBytes = 0;
    const src = quiet(fs.createReadStream(file));
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        hash.update(chunk);
        diskBytes += chunk.length;
        this.progress('reading', chunk.length);
        cb(null, chunk);
      },
    });
    quiet(tap);
    const gunzip = gzipped ? quiet(zlib.createGunzip()) : null;
    const isTar = isTarHeader(first);
    const node = this.newNode(null, file, null, isTar ? 'tar' : 'gzip');
    const finishHash = () => this.opts.onHashed?.(node.key, hash.digest('hex'), diskBytes);
    src.pipe(tap);
    const data: Readable = gunzip ? tap.pipe(gunzip) : tap;
    const fail = (e: Error) => {
      if (gunzip && !gunzip.destroyed) gunzip.destroy(e);
      else if (!tap.destroyed) tap.destroy(e);
    };
    src.on('error', fail);
    if (gunzip) tap.on('error', fail);

    if (!isTar) {
      // A lone gzipped file (network.jsonl.gz): its decompressed bytes are the file.
      const base = path.basename(file).replace(/\.(gz|gzip)$/i, '');
      const meta: MemberMeta = { name: `${file}!/${base}`, relPath: base, member: base, parentKey: node.key, bytes: await gzipDeclaredSize(file), countsDisk: false };
      try {
        yield* this.member(data, meta, 1, 'file');
      } finally {
        src.destroy();
      }
      finishHash();
      return;
    }

    const extract = quiet(tar.extract());
    data.on('error', (e) => extract.destroy(e));
    data.pipe(extract as unknown as NodeJS.WritableStream);
    let members = 0;
    let root: string | null | undefined;
    const seen = new Set<string>();
    try {
      for await (const entry of extract) {
        this.checkAbort();
        quiet(entry);
        const h = entry.header;
        const checked = checkMemberPath(h.name);
        const drain = async () => {
          for await (const c of entry) this.budget.add((c as Buffer).length, `${file}!/${h.name}`);
        };
        if ('error' in checked) {
          this.warn(`${file}!/${h.name}`, `${checked.error}: skipped`);
          await drain();
          continue;
        }
        const p = checked.path;
        const type = h.type ?? 'file';
        if (!p || isJunkPath(p) || type === 'directory') {
          if (root === undefined && type === 'directory' && p && !isJunkPath(p) && !p.includes('/')) root = p.toLowerCase() === 'logs' ? null : p;
          await drain();
          continue;
        }
        if (type === 'symlink' || type === 'link') {
          this.warn(`${file}!/${p}`, `${type === 'link' ? 'hard' : 'symbolic'} link in archive not followed: skipped`);
          await drain();
          continue;
        }
        if (type !== 'file' && type !== 'contiguous-file') {
          this.warn(`${file}!/${p}`, `not a regular file (${type}): skipped`);
          await drain();
          continue;
        }
        // Streaming: the root is guessed from the first entry (a folder shared by later entries is stripped).
        if (root === undefined) root = p.includes('/') && p.split('/')[0]!.toLowerCase() !== 'logs' ? p.split('/')[0]! : null;
        const rel = root && p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
        const meta: MemberMeta = { name: `${file}!/${p}`, relPath: rel, member: p, parentKey: node.key, bytes: h.size ?? -1, countsDisk: false };
        if (seen.has(p)) this.warn(meta.name, 'duplicate member name in archive (another member has the same path): both are read');
        seen.add(p);
        members++;
        yield* this.member(entry as unknown as Readable, meta, 1, 'file');
      }
    } catch (e) {
      if (e instanceof ContainerBombError || this.signal?.aborted) throw e;
      if (e instanceof ImportError) throw e;
      const msg = errMsg(e);
      if (members === 0) throw new ImportError(`${file}: cannot read ${gzipped ? 'tar.gz' : 'tar'} archive (truncated or corrupt?): ${msg}`);
      this.warn(file, `archive truncated or corrupt after ${members} member(s): ${msg}; the import is partial`);
    } finally {
      src.destroy();
      extract.destroy();
    }
    // The hash covers the bytes read; drain the rest of the file (trailing padding) for the archive's hash.
    if (!this.signal?.aborted) {
      const rest = quiet(fs.createReadStream(file, { start: diskBytes }));
      for await (const c of rest as AsyncIterable<Buffer>) {
        hash.update(c);
        diskBytes += c.length;
      }
    }
    finishHash();
  }

  // ---------- one member: head, nested zip or leaf ----------
  private async *member(
    src: Readable,
    meta: MemberMeta,
    depth: number,
    kind: SourceKind,
    onDigest?: (sha256: string, bytes: number) => void,
  ): AsyncGenerator<ContainerEntry> {
    const it = (src as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const hash = createHash('sha256');
    let bytes = 0;
    const take = (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      // A file read straight from disk cannot be a bomb: only what comes out of an archive counts.
      if (meta.countsDisk) this.progress('reading', chunk.length);
      else this.budget.add(chunk.length, meta.name);
    };
    const pre: Buffer[] = [];
    let preBytes = 0;
    let ended = false;
    let readError: unknown = null;
    try {
      while (preBytes < HEAD_BYTES) {
        const r = await it.next();
        if (r.done) {
          ended = true;
          break;
        }
        const c = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        take(c);
        pre.push(c);
        preBytes += c.length;
      }
    } catch (e) {
      if (e instanceof ContainerBombError) throw e;
      readError = e;
      ended = true;
    }
    const headAll = Buffer.concat(pre, preBytes);
    const head = headAll.subarray(0, HEAD_BYTES);
    const maxDepth = this.opts.maxDepth ?? DEFAULT_MAX_DEPTH;

    if (!readError && isZipMagic(head)) {
      if (depth < maxDepth) {
        yield* this.nestedZip(it, pre, ended, take, hash, () => bytes, meta, depth, onDigest);
        return;
      }
      this.warn(meta.name, `archive nested more than ${maxDepth} levels deep: not opened`);
    }

    const node = this.newNode(meta.parentKey, meta.name, meta.member, kind);
    const out = quiet(new PassThrough({ highWaterMark: HEAD_BYTES }));
    let pumpError: unknown = readError;
    const pump = (async () => {
      const write = async (c: Buffer) => {
        if (out.destroyed || out.writableEnded) return;
        if (!out.write(c)) await drainOrClose(out);
      };
      for (const c of pre) await write(c);
      if (!ended) {
        for (;;) {
          const r = await it.next();
          if (r.done) break;
          const c = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
          take(c);
          await write(c);
        }
      }
      if (pumpError) throw pumpError;
      if (!out.destroyed) out.end();
    })().catch((e: unknown) => {
      pumpError = e;
      if (!out.destroyed) out.destroy(e instanceof Error ? e : new Error(String(e)));
    });

    const file: InputFile = { name: meta.name, relPath: meta.relPath, bytes: meta.bytes >= 0 ? meta.bytes : headAll.length, head };
    let resumed = false;
    try {
      yield { file, stream: out, key: node.key };
      resumed = true;
    } finally {
      if (!resumed) {
        // The consumer stopped (cancel or error): stop reading, no hash.
        out.destroy();
        src.destroy();
      }
    }
    if (!out.destroyed && !out.readableEnded) {
      out.resume(); // the consumer did not read it all: keep draining (hashing continues in the pump)
    }
    await pump;
    if (pumpError) {
      if (pumpError instanceof ContainerBombError) throw pumpError;
      this.warn(meta.name, `cannot read to the end (truncated or corrupt?): ${errMsg(pumpError)}`);
      return;
    }
    const digest = hash.digest('hex');
    if (meta.bytes >= 0 && bytes !== meta.bytes) {
      this.warn(meta.name, `size mismatch: archive says ${meta.bytes} bytes, read ${bytes}`);
    }
    file.bytes = bytes;
    this.opts.onHashed?.(node.key, digest, bytes);
    onDigest?.(digest, bytes);
  }

  private async *nestedZip(
    it: AsyncIterator<Buffer>,
    pre: Buffer[],
    ended: boolean,
    take: (c: Buffer) => void,
    hash: ReturnType<typeof createHash>,
    bytesRead: () => number,
    meta: MemberMeta,
    depth: number,
    onDigest?: (sha256: string, bytes: number) => void,
  ): AsyncGenerator<ContainerEntry> {
    const node = this.newNode(meta.parentKey, meta.name, meta.member, 'zip');
    let zipPath = meta.diskPath ?? null;
    let spooled: string | null = null;
    try {
      if (!zipPath) {
        spooled = await this.tempFile(path.basename(meta.relPath));
        const w = fs.createWriteStream(spooled, { flags: 'wx', mode: 0o600 });
        try {
          for (const c of pre) if (!w.write(c)) await once(w, 'drain');
          if (!ended) {
            for (;;) {
              this.checkAbort();
              const r = await it.next();
              if (r.done) break;
              take(r.value);
              if (!w.write(r.value)) await once(w, 'drain');
            }
          }
        } finally {
          w.end();
          await once(w, 'close').catch(() => undefined);
        }
        zipPath = spooled;
      } else if (!ended) {
        for (;;) {
          this.checkAbort();
          const r = await it.next();
          if (r.done) break;
          take(r.value);
        }
      }
    } catch (e) {
      if (e instanceof ImportError) throw e;
      this.warn(meta.name, `cannot read nested archive (truncated or corrupt?): ${errMsg(e)}`);
      if (spooled) await fsp.rm(spooled, { force: true });
      return;
    }
    const digest = hash.digest('hex');
    this.opts.onHashed?.(node.key, digest, bytesRead());
    onDigest?.(digest, bytesRead());
    try {
      const layout = nestedLayout(meta.relPath);
      yield* this.walkZip(zipPath, node, layout.prefix, depth + 1, layout.stripRoot);
    } catch (e) {
      if (e instanceof ContainerBombError || this.signal?.aborted) throw e;
      // A broken logs.zip is a problem with that member, not with the whole input.
      this.warn(meta.name, errMsg(e));
    } finally {
      if (spooled) await fsp.rm(spooled, { force: true }).catch(() => undefined);
    }
  }
}

async function readMagic(file: string, n = 512): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** ISIZE from the gzip trailer: the uncompressed size modulo 2^32 (right for anything under the 4 GiB cap). */
async function gzipDeclaredSize(file: string): Promise<number> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return -1;
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}

async function peekGunzip(file: string, n: number): Promise<Buffer> {
  const src = quiet(fs.createReadStream(file, { end: 1024 * 1024 }));
  const gz = quiet(zlib.createGunzip());
  const parts: Buffer[] = [];
  let got = 0;
  try {
    src.pipe(gz);
    src.on('error', (e) => gz.destroy(e));
    for await (const c of gz as AsyncIterable<Buffer>) {
      parts.push(c);
      got += c.length;
      if (got >= n) break;
    }
  } catch (e) {
    if (got === 0) throw e;
  } finally {
    src.destroy();
    gz.destroy();
  }
  return Buffer.concat(parts, got).subarray(0, n);
}

/** Digest of a folder: SHA-256 over its files' `relPath \t sha256 \t bytes` lines, sorted by path. */
export function folderDigest(files: { rel: string; sha256: string; bytes: number }[]): { sha256: string; bytes: number } {
  const h = createHash('sha256');
  let bytes = 0;
  for (const f of [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    h.update(`${f.rel}\t${f.sha256}\t${f.bytes}\n`);
    bytes += f.bytes;
  }
  return { sha256: h.digest('hex'), bytes };
}

export interface FolderFile {
  /** Path relative to the listed folder, '/'-separated. */
  rel: string;
  abs: string;
  size: number;
}

/**
 * Regular files of a folder as the container reads them: sorted by name, junk left out, symlinks and special files
 * not followed (reported through `warn` when given). Shared with case-location's input hashing.
 */
export async function listFolderFiles(root: string, warn?: (file: string, message: string) => void): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const visit = async (dir: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = (await fsp.readdir(dir)).sort();
    } catch (e) {
      warn?.(dir, `cannot list folder: ${errMsg(e)}`);
      return;
    }
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      if (isJunkPath(r)) continue;
      const abs = path.join(dir, n);
      let s: fs.Stats;
      try {
        s = await fsp.lstat(abs);
      } catch (e) {
        warn?.(abs, `cannot read: ${errMsg(e)}`);
        continue;
      }
      if (s.isSymbolicLink()) warn?.(abs, 'symbolic link not followed: skipped');
      else if (s.isDirectory()) await visit(abs, r);
      else if (s.isFile()) out.push({ rel: r, abs, size: s.size });
      else warn?.(abs, 'not a regular file (device, socket or fifo): skipped');
    }
  };
  await visit(root, '');
  return out;
}

/**
 * Open one input and yield its files. Stop early with `return()`/`break`: temp files are removed either way.
 * Throws ImportError (unreadable input, corrupt archive with nothing read) or ContainerBombError.
 */
export async function* openContainer(input: string, opts: ContainerOptions = {}): AsyncGenerator<ContainerEntry> {
  const walk = new Walk(input, opts);
  try {
    yield* walk.run();
  } finally {
    await walk.cleanup();
  }
}
