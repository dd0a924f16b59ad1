/**
 * Tar, tar.gz and lone gzip inputs, streamed (tar-stream + zlib) in one pass that hashes the input on disk as it
 * goes. A gzip whose first block is not a tar header is one gzipped file (network.jsonl.gz).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { ImportError } from '../types';
import { ContainerBombError } from './limits';
import { gzipDeclaredSize, isTarHeader, peekGunzip, readMagic } from './magic';
import { checkMemberPath, isJunkPath } from './member-policy';
import { errMsg, quiet } from './streams';
import type { ContainerEntry, MemberMeta } from './types';
import type { Walk } from './walk';

export async function* walkTarOrGzip(w: Walk, file: string, gzipped: boolean): AsyncGenerator<ContainerEntry> {
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
      w.progress('reading', chunk.length);
      cb(null, chunk);
    },
  });
  quiet(tap);
  const gunzip = gzipped ? quiet(zlib.createGunzip()) : null;
  const isTar = isTarHeader(first);
  const node = w.newNode(null, file, null, isTar ? 'tar' : 'gzip');
  const finishHash = () => w.opts.onHashed?.(node.key, hash.digest('hex'), diskBytes);
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
      yield* w.member(data, meta, 1, 'file');
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
      w.checkAbort();
      quiet(entry);
      const h = entry.header;
      w.budget.members(1, file, false);
      const checked = checkMemberPath(h.name);
      const drain = async () => {
        for await (const c of entry) w.budget.add((c as Buffer).length, `${file}!/${h.name}`);
      };
      if ('error' in checked) {
        w.warn(`${file}!/${h.name}`, `${checked.error}: skipped`);
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
        w.warn(`${file}!/${p}`, `${type === 'link' ? 'hard' : 'symbolic'} link in archive not followed: skipped`);
        await drain();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        w.warn(`${file}!/${p}`, `not a regular file (${type}): skipped`);
        await drain();
        continue;
      }
      // Streaming: the root is guessed from the first entry (a folder shared by later entries is stripped).
      if (root === undefined) root = p.includes('/') && p.split('/')[0]!.toLowerCase() !== 'logs' ? p.split('/')[0]! : null;
      const rel = root && p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
      const meta: MemberMeta = { name: `${file}!/${p}`, relPath: rel, member: p, parentKey: node.key, bytes: h.size ?? -1, countsDisk: false };
      if (seen.has(p)) w.warn(meta.name, 'duplicate member name in archive (another member has the same path): both are read');
      seen.add(p);
      members++;
      yield* w.member(entry as unknown as Readable, meta, 1, 'file');
    }
  } catch (e) {
    if (e instanceof ContainerBombError || w.signal?.aborted) throw e;
    if (e instanceof ImportError) throw e;
    const msg = errMsg(e);
    if (members === 0) throw new ImportError(`${file}: cannot read ${gzipped ? 'tar.gz' : 'tar'} archive (truncated or corrupt?): ${msg}`);
    w.warn(file, `archive truncated or corrupt after ${members} member(s): ${msg}; the import is partial`);
  } finally {
    src.destroy();
    extract.destroy();
  }
  // The hash covers the bytes read; drain the rest of the file (trailing padding) for the archive's hash.
  if (!w.signal?.aborted) {
    const rest = quiet(fs.createReadStream(file, { start: diskBytes }));
    for await (const c of rest as AsyncIterable<Buffer>) {
      hash.update(c);
      diskBytes += c.length;
    }
  }
  finishHash();
}
