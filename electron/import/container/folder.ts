/** Folder inputs: the regular files under a folder, sorted, junk left out, links and special files not followed. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isJunkPath, manifestFirst, singleRoot } from './member-policy';
import { errMsg, quiet } from './streams';
import type { ContainerEntry, MemberMeta } from './types';
import type { Walk } from './walk';

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

/** Yield a folder's files (manifest.json first, a single top-level folder stripped); the folder's digest last. */
export async function* walkFolder(w: Walk, input: string, files: FolderFile[]): AsyncGenerator<ContainerEntry> {
  const node = w.newNode(null, input, null, 'folder');
  const root = singleRoot(files.map((f) => f.rel));
  const relOf = (rel: string) => (root ? rel.slice(root.length + 1) : rel);
  const hashes = new Map<string, { sha256: string; bytes: number }>();
  const onHashed = w.opts.onHashed;
  for (const f of manifestFirst(files, (x) => relOf(x.rel))) {
    w.checkAbort();
    const meta: MemberMeta = { name: f.abs, relPath: relOf(f.rel), member: f.rel, parentKey: node.key, bytes: f.size, diskPath: f.abs, countsDisk: true };
    let stream: fs.ReadStream;
    try {
      stream = quiet(fs.createReadStream(f.abs));
      await once(stream, 'open');
    } catch (e) {
      w.warn(f.abs, `cannot read: ${errMsg(e)}`);
      continue;
    }
    yield* w.member(stream, meta, 1, 'file', (sha256, bytes) => hashes.set(f.rel, { sha256, bytes }));
  }
  const d = folderDigest([...hashes].map(([rel, h]) => ({ rel, ...h })));
  onHashed?.(node.key, d.sha256, d.bytes);
}
