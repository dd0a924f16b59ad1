/**
 * Zip archives (yauzl): the central directory read first (declared sizes checked against the budget before any
 * byte is inflated), members in order with manifest.json first; a zip inside an archive spooled to a private temp
 * file and descended into.
 */
import type { createHash } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { ImportError } from '../types';
import { ContainerBombError } from './limits';
import { checkMemberPath, isJunkPath, manifestFirst, nestedLayout, singleRoot } from './member-policy';
import { errMsg, quiet } from './streams';
import type { ContainerEntry, MemberMeta, SourceNode } from './types';
import type { Walk } from './walk';

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

/** Yield the files of the zip at `file` (the input itself or a spooled/in-place nested zip). */
export async function* walkZip(w: Walk, file: string, node: SourceNode, relPrefix: string, depth: number, stripRoot: boolean): AsyncGenerator<ContainerEntry> {
  let zf: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zf = await openZip(file);
  } catch (e) {
    throw new ImportError(`${node.name}: cannot open zip archive (truncated or corrupt?): ${errMsg(e)}`);
  }
  try {
    // Count members from the directory record before listing them: a million empty members are refused here, not
    // after a million Entry objects were made.
    w.budget.members(zf.entryCount, node.name, true);
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
        w.warn(`${node.name}!/${rawName}`, `${checked.error}: skipped`);
        continue;
      }
      const p = checked.path;
      if (!p || rawName.endsWith('/') || isJunkPath(p)) continue;
      if (zipEntryIsSymlink(e)) {
        w.warn(`${node.name}!/${p}`, 'symbolic link in archive not followed: skipped');
        continue;
      }
      if (e.generalPurposeBitFlag & 0x1) {
        w.warn(`${node.name}!/${p}`, 'encrypted archive member: skipped');
        continue;
      }
      if (seen.has(p)) w.warn(`${node.name}!/${p}`, 'duplicate member name in archive (another member has the same path): both are read');
      seen.add(p);
      items.push({ e, path: p });
    }
    let declared = 0;
    for (const it of items) {
      w.budget.declare(`${node.name}!/${it.path}`, it.e.uncompressedSize, it.e.compressedSize);
      declared += it.e.uncompressedSize;
    }
    w.budget.declare(node.name, declared, Math.max(1, declared)); // the sum must fit too
    const root = stripRoot ? singleRoot(items.map((i) => i.path)) : null;
    const relOf = (p: string) => relPrefix + (root ? p.slice(root.length + 1) : p);
    for (const it of manifestFirst(items, (i) => relOf(i.path))) {
      w.checkAbort();
      const name = `${node.name}!/${it.path}`;
      let s: Readable;
      try {
        s = await openEntryStream(zf, it.e);
      } catch (e) {
        w.warn(name, `cannot read archive member: ${errMsg(e)}`);
        continue;
      }
      const meta: MemberMeta = {
        name,
        relPath: relOf(it.path),
        member: it.path,
        parentKey: node.key,
        bytes: it.e.uncompressedSize,
        countsDisk: false,
        crc32: it.e.crc32,
      };
      yield* w.member(s, meta, depth, 'file');
      if (depth === 1) w.progress('reading', it.e.compressedSize);
    }
  } finally {
    zf.close();
  }
}

/**
 * A member that is itself a zip: read it to the end (hashing it, and spooling it to a private temp file unless it is
 * a file on disk already), then walk it one level deeper. A broken nested zip is a warning about that member.
 */
export async function* nestedZip(
  w: Walk,
  it: AsyncIterator<Buffer>,
  pre: Buffer[],
  ended: boolean,
  take: (c: Buffer) => void,
  hash: ReturnType<typeof createHash>,
  bytesRead: () => number,
  meta: MemberMeta,
  depth: number,
  onDigest?: (sha256: string, bytes: number) => void,
  checkCrc?: () => void,
): AsyncGenerator<ContainerEntry> {
  const node = w.newNode(meta.parentKey, meta.name, meta.member, 'zip');
  let zipPath = meta.diskPath ?? null;
  let spooled: string | null = null;
  try {
    if (!zipPath) {
      spooled = await w.tempFile(path.basename(meta.relPath));
      const ws = fs.createWriteStream(spooled, { flags: 'wx', mode: 0o600 });
      try {
        for (const c of pre) if (!ws.write(c)) await once(ws, 'drain');
        if (!ended) {
          for (;;) {
            w.checkAbort();
            const r = await it.next();
            if (r.done) break;
            take(r.value);
            if (!ws.write(r.value)) await once(ws, 'drain');
          }
        }
      } finally {
        ws.end();
        await once(ws, 'close').catch(() => undefined);
      }
      zipPath = spooled;
    } else if (!ended) {
      for (;;) {
        w.checkAbort();
        const r = await it.next();
        if (r.done) break;
        take(r.value);
      }
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    w.warn(meta.name, `cannot read nested archive (truncated or corrupt?): ${errMsg(e)}`);
    if (spooled) await fsp.rm(spooled, { force: true });
    return;
  }
  const digest = hash.digest('hex');
  w.opts.onHashed?.(node.key, digest, bytesRead());
  onDigest?.(digest, bytesRead());
  checkCrc?.();
  try {
    const layout = nestedLayout(meta.relPath);
    yield* walkZip(w, zipPath, node, layout.prefix, depth + 1, layout.stripRoot);
  } catch (e) {
    if (e instanceof ContainerBombError || w.signal?.aborted) throw e;
    // A broken logs.zip is a problem with that member, not with the whole input.
    w.warn(meta.name, errMsg(e));
  } finally {
    if (spooled) await fsp.rm(spooled, { force: true }).catch(() => undefined);
  }
}
