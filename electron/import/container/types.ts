/** The container layer's public shapes: what a walk yields and reports, and its options. */
import type { Readable } from 'node:stream';
import type { ImportWarning } from '../../../shared/model';
import type { InputFile } from '../types';

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
  /**
   * A file on disk only (a folder's file, never an archive's member): its whole bytes were read and hashed by
   * another reader of the same file (the calls worker, which parsed exactly those bytes). Call it before reading
   * `stream`: the container stops reading the file and records this digest for it, so the file is read once.
   */
  takeDigest?: (sha256: string, bytes: number) => void;
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
  /** Cap on archive members in one input, all archives in it together (default 100 000). */
  maxEntries?: number;
  onSource?: (node: SourceNode) => void;
  onHashed?: (key: number, sha256: string, bytes: number) => void;
  onWarning?: (w: ImportWarning) => void;
  /** Progress: bytes of the input on disk consumed so far, per phase ('hashing' = a whole-file pass before reading). */
  onBytes?: (phase: 'hashing' | 'reading', n: number) => void;
}

/** One file about to be yielded, as the walkers describe it to `Walk.member`. */
export interface MemberMeta {
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
  /** The CRC-32 the archive records for the member (zip), checked once it is read to the end. */
  crc32?: number;
}
