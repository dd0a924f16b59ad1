/**
 * The HTTP transport's upload store: `POST /api/upload?name=<relative path>` streams one file's body into its own
 * temporary folder (never buffered whole, capped in size) and answers an upload id. `import.start({uploads})`
 * turns the ids into the inputs of one import: a lone file as itself, several files gathered into one folder under
 * their (sanitized) relative names, i.e. a bundle folder. Every temporary file is removed when the import ends,
 * when an upload is abandoned (expiry) and when the server closes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ApiError } from '../../shared/api';
import type { StagedFiles } from '../api/case-owner';
import type { ImportSources } from '../api/imports';

export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
const EXPIRE_MS = 30 * 60 * 1000;
/** How much of an oversized body is still read (and dropped) so the client sees the 413 answer. */
const DRAIN_BYTES = 64 * 1024 * 1024;

interface Upload {
  dir: string;
  rel: string;
  bytes: number;
  at: number;
}

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A client-given file name as a safe relative path: no absolute parts, no `..`, no control characters. */
/** File systems cap a name at 255 bytes: keep each part within 200 bytes of UTF-8, cut on a character boundary. */
function truncateUtf8(part: string): string {
  const b = Buffer.from(part, 'utf8');
  if (b.length <= 200) return part;
  return b.subarray(0, 200).toString('utf8').replace(/\uFFFD+$/, '');
}

export function safeRelativeName(name: string): string {
  const parts = name
    .split(/[\\/]+/)
    .map((p) => p.replace(/[\x00-\x1f\x7f]/g, '').trim())
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .map(truncateUtf8);
  if (parts.length === 0 || parts.length > 32)
    throw new UploadError(400, `bad upload file name: ${JSON.stringify(name.slice(0, 100))}`);
  return parts.join('/');
}

export class UploadStore implements StagedFiles {
  private readonly uploads = new Map<string, Upload>();
  private readonly owned = new Set<string>();

  constructor(private readonly opts: { maxBytes?: number; tmpRoot?: string } = {}) {}

  /**
   * Stream `body` to a new temporary file; rejects (and removes it) on a size overflow or a broken stream. An
   * oversized body is read to its end (discarded, up to DRAIN_BYTES more) so the client gets the 413 answer.
   */
  async receive(
    body: Readable,
    name: string,
    declaredBytes: number | null,
  ): Promise<{ upload_id: string; bytes: number }> {
    this.expire();
    const max = this.opts.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    const rel = safeRelativeName(name);
    let tooLarge = declaredBytes !== null && declaredBytes > max;
    const dir = fs.mkdtempSync(path.join(this.opts.tmpRoot ?? os.tmpdir(), 'runlens-upload-'));
    this.owned.add(dir);
    const file = path.join(dir, path.basename(rel));
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    // an open or write failure (disk full, a name the file system refuses) must reject, not crash the server
    let writeError: Error | null = null;
    out.on('error', (e) => (writeError = e));
    let bytes = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (writeError) throw writeError;
        bytes += chunk.length;
        if (!tooLarge && bytes > max) tooLarge = true;
        if (tooLarge) {
          if (bytes > max + DRAIN_BYTES) break;
          continue;
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    } catch (e) {
      out.destroy();
      this.remove(dir);
      throw new UploadError(400, `upload of ${rel} failed: ${(e as Error).message}`);
    }
    if (tooLarge) {
      this.remove(dir);
      throw new UploadError(413, `upload too large: ${rel} is more than ${max} bytes`);
    }
    const id = randomBytes(16).toString('hex');
    this.uploads.set(id, { dir, rel, bytes, at: Date.now() });
    return { upload_id: id, bytes };
  }

  /** The inputs of one import; the uploads are consumed (a second import.start with them fails). */
  resolve(ids: string[]): ImportSources {
    const ups: Upload[] = [];
    for (const id of new Set(ids)) {
      const u = this.uploads.get(id);
      if (!u) throw new ApiError(`unknown or expired upload: ${id}`);
      ups.push(u);
    }
    for (const id of ids) this.uploads.delete(id);
    const dirs = ups.map((u) => u.dir);
    const release = () => dirs.forEach((d) => this.remove(d));
    if (ups.length === 1) {
      return { paths: [path.join(ups[0]!.dir, path.basename(ups[0]!.rel))], release };
    }
    // Several files: one bundle folder holding them under their relative names.
    const bundle = fs.mkdtempSync(path.join(this.opts.tmpRoot ?? os.tmpdir(), 'runlens-bundle-'));
    this.owned.add(bundle);
    dirs.push(bundle);
    try {
      const root = path.join(bundle, 'bundle');
      // Names given as "folder/…" for every file (a folder picked whole): that folder is the bundle root.
      const firsts = new Set(ups.map((u) => (u.rel.includes('/') ? u.rel.split('/')[0] : '')));
      const strip = firsts.size === 1 && !firsts.has('');
      for (const u of ups) {
        const rel = strip ? u.rel.split('/').slice(1).join('/') : u.rel;
        const dest = path.join(root, ...rel.split('/'));
        if (fs.existsSync(dest)) throw new ApiError(`two uploaded files have the same name: ${rel}`);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.renameSync(path.join(u.dir, path.basename(u.rel)), dest);
      }
      return { paths: [root], release };
    } catch (e) {
      release();
      throw e;
    }
  }

  close(): void {
    for (const d of [...this.owned]) this.remove(d);
    this.uploads.clear();
  }

  private remove(dir: string): void {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
    this.owned.delete(dir);
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, u] of this.uploads) {
      if (now - u.at > EXPIRE_MS) {
        this.uploads.delete(id);
        this.remove(u.dir);
      }
    }
  }
}
