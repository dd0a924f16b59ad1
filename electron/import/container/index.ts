/**
 * The container layer: turns one input path (a folder, a .zip, a .tar.gz/.tgz/.tar, or a single file) into the files
 * it holds, one at a time, each as `{ file, stream, key }`, streaming (never a whole file in memory).
 *
 * - Archives are recognised by magic bytes, not by name (magic.ts). A single top-level folder is the bundle root.
 * - A zip inside (logs.zip in a bundle, any zip in a tar or zip) is spooled to a temp file and descended into:
 *   a bundle's `logs.zip` stands for `logs/` (members get `logs/…` relPaths); any other zip is read from its own
 *   root, like a zip given directly (member-policy.ts, zip.ts).
 * - Every file read is hashed (SHA-256 + bytes): the input itself and each member, reported through `onSource` /
 *   `onHashed` (parent keys link members to their archive). A member not read by the consumer is still read to
 *   the end and hashed once the consumer asks for the next file (walk.ts).
 * - Junk (`__MACOSX/`, `.DS_Store`, `._*`) is skipped silently. Absolute or `..` member paths, symlinks, devices:
 *   warning, skipped (member-policy.ts). Bombs: total uncompressed bytes and expansion ratio are capped
 *   (limits.ts: ContainerBombError, fatal). Truncated/corrupt archives: ImportError naming the file when nothing
 *   could be read, else a warning (partial).
 * - Evidence is opened read-only. Nothing is written except spooled archives in a private temp dir, removed when
 *   the walk ends (normally, on error, or when the consumer stops early).
 *
 * Files: folder.ts (folder inputs), zip.ts, tar.ts (tar, tar.gz, lone gzip), member-policy.ts (names, junk, root,
 * order), limits.ts (budgets), magic.ts (recognising archives), walk.ts (one input's walk and its members).
 */
import { Walk } from './walk';
import type { ContainerEntry, ContainerOptions } from './types';

export type { ContainerEntry, ContainerOptions, SourceKind, SourceNode } from './types';
export { ContainerBombError, DEFAULT_MAX_DEPTH, DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_RATIO_MIN_BYTES, HEAD_BYTES } from './limits';
export { checkMemberPath, isJunkPath } from './member-policy';
export { isGzipMagic, isTarHeader, isZipMagic } from './magic';
export { folderDigest, listFolderFiles, type FolderFile } from './folder';

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
