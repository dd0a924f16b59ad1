/**
 * The walk over one input: what kind of input it is, the budget, source keys, the private temp dir, and `member`,
 * which turns any member's byte stream (a folder's file, a zip or tar member, a lone gzip) into a yielded entry:
 * head read, nested zip descended into, bytes hashed and counted against the budget as the consumer reads.
 * The walkers for each container kind live beside it (folder.ts, zip.ts, tar.ts).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { ImportCancelledError } from '../errors';
import { ImportError, type InputFile } from '../types';
import { listFolderFiles, walkFolder } from './folder';
import {
  Budget,
  ContainerBombError,
  countLineBreaks,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_RATIO,
  DEFAULT_MAX_TOTAL_BYTES,
  DEFAULT_RATIO_MIN_BYTES,
  HEAD_BYTES,
} from './limits';
import { isGzipMagic, isTarHeader, isZipMagic, readMagic } from './magic';
import { drainOrClose, errMsg, quiet } from './streams';
import { walkTarOrGzip } from './tar';
import type { ContainerEntry, ContainerOptions, MemberMeta, SourceKind, SourceNode } from './types';
import { nestedZip, walkZip } from './zip';

export class Walk {
  private nextKey = 1;
  private tempDir: string | null = null;
  budget!: Budget;
  private readBytes = 0;
  private hashBytes = 0;

  constructor(
    readonly input: string,
    readonly opts: ContainerOptions,
  ) {}

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  newNode(parentKey: number | null, name: string, member: string | null, kind: SourceKind): SourceNode {
    const node: SourceNode = { key: this.nextKey++, parentKey, name, member, kind };
    this.opts.onSource?.(node);
    return node;
  }

  warn(file: string | null, message: string): void {
    this.opts.onWarning?.({ file, line: null, message });
  }

  progress(phase: 'hashing' | 'reading', n: number): void {
    if (phase === 'hashing') this.hashBytes += n;
    else this.readBytes += n;
    this.opts.onBytes?.(phase, phase === 'hashing' ? this.hashBytes : this.readBytes);
  }

  checkAbort(): void {
    if (this.signal?.aborted) throw new ImportCancelledError();
  }

  async cleanup(): Promise<void> {
    if (this.tempDir) {
      const d = this.tempDir;
      this.tempDir = null;
      await fsp.rm(d, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async tempFile(base: string): Promise<string> {
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
      new Budget(
        this.input,
        disk,
        o.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
        o.maxRatio ?? DEFAULT_MAX_RATIO,
        o.ratioMinBytes ?? DEFAULT_RATIO_MIN_BYTES,
        o.maxEntries ?? DEFAULT_MAX_ENTRIES,
      );
    if (st.isDirectory()) {
      const files = await listFolderFiles(this.input, (file, message) => this.warn(file, message));
      this.budget = mk(files.reduce((s, f) => s + f.size, 0));
      yield* walkFolder(this, this.input, files);
      return;
    }
    if (!st.isFile()) throw new ImportError(`${this.input}: not a regular file or folder`);
    this.budget = mk(st.size);
    const magic = await readMagic(this.input);
    if (isZipMagic(magic)) {
      const node = this.newNode(null, this.input, null, 'zip');
      await this.hashWholeFile(this.input, node.key);
      yield* walkZip(this, this.input, node, '', 1, true);
    } else if (isGzipMagic(magic) || isTarHeader(magic)) {
      yield* walkTarOrGzip(this, this.input, isGzipMagic(magic));
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

  /** One member: head, nested zip or leaf. */
  async *member(
    src: Readable,
    meta: MemberMeta,
    depth: number,
    kind: SourceKind,
    onDigest?: (sha256: string, bytes: number) => void,
  ): AsyncGenerator<ContainerEntry> {
    const it = (src as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const hash = createHash('sha256');
    let bytes = 0;
    let crc = 0;
    const take = (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (meta.crc32 !== undefined) crc = zlib.crc32(chunk, crc);
      // A file read straight from disk cannot be a bomb: only what comes out of an archive counts (lines too).
      if (meta.countsDisk) this.progress('reading', chunk.length);
      else this.budget.add(chunk.length, meta.name, countLineBreaks(chunk));
    };
    /** Once the member is read to its end: does it give the CRC-32 its archive records? */
    const checkCrc = () => {
      if (meta.crc32 === undefined || crc >>> 0 === meta.crc32 >>> 0) return;
      const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
      this.warn(meta.name, `CRC-32 mismatch: the archive records ${hex(meta.crc32)}, the bytes read give ${hex(crc)} (damaged or altered member); read as it is`);
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
        yield* nestedZip(this, it, pre, ended, take, hash, () => bytes, meta, depth, onDigest, checkCrc);
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
    let supplied: { sha256: string; bytes: number } | null = null;
    const entry: ContainerEntry = { file, stream: out, key: node.key };
    if (meta.diskPath !== undefined) {
      entry.takeDigest = (sha256, n) => {
        supplied = { sha256, bytes: n };
        out.destroy();
        src.destroy();
      };
    }
    let resumed = false;
    try {
      yield entry;
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
    if (supplied !== null) {
      // read by another reader, whose digest this is (takeDigest): the bytes this read had not reached are read
      const { sha256, bytes: n } = supplied as { sha256: string; bytes: number };
      if (meta.countsDisk && n > bytes) this.progress('reading', n - bytes);
      if (meta.bytes >= 0 && n !== meta.bytes) this.warn(meta.name, `size mismatch: the file has ${meta.bytes} bytes, read ${n}`);
      file.bytes = n;
      this.opts.onHashed?.(node.key, sha256, n);
      onDigest?.(sha256, n);
      return;
    }
    if (pumpError) {
      if (pumpError instanceof ContainerBombError) throw pumpError;
      this.warn(meta.name, `cannot read to the end (truncated or corrupt?): ${errMsg(pumpError)}`);
      return;
    }
    const digest = hash.digest('hex');
    if (meta.bytes >= 0 && bytes !== meta.bytes) {
      this.warn(meta.name, `size mismatch: archive says ${meta.bytes} bytes, read ${bytes}`);
    }
    checkCrc();
    file.bytes = bytes;
    this.opts.onHashed?.(node.key, digest, bytes);
    onDigest?.(digest, bytes);
  }
}
