/**
 * The desktop app's staged files: paths the preload took from files the user picked in a dialog or dropped on the
 * window (never a path the page typed). Each gets an id that `import.start({uploads})` accepts, once; ids unused
 * for 30 minutes are forgotten. Nothing is copied: the import reads the files where they are (and never writes them).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api';
import type { StagedFiles } from '../api/case-owner';
import type { ImportSources } from '../api/imports';

const EXPIRE_MS = 30 * 60 * 1000;

export class StagedPaths implements StagedFiles {
  private readonly staged = new Map<string, { path: string; at: number }>();

  stage(paths: string[], now = Date.now()): { uploads: string[] } {
    this.expire(now);
    const uploads: string[] = [];
    for (const p of paths) {
      if (!path.isAbsolute(p)) throw new ApiError(`not a local file: ${p}`);
      if (!fs.existsSync(p)) throw new ApiError(`no such file or folder: ${p}`);
      const id = randomBytes(16).toString('hex');
      this.staged.set(id, { path: path.resolve(p), at: now });
      uploads.push(id);
    }
    return { uploads };
  }

  resolve(ids: string[]): ImportSources {
    const paths: string[] = [];
    for (const id of ids) {
      const s = this.staged.get(id);
      if (!s) throw new ApiError(`unknown or expired file: ${id} (pick or drop it again)`);
      paths.push(s.path);
    }
    for (const id of ids) this.staged.delete(id);
    return { paths: [...new Set(paths)], release: () => {} };
  }

  private expire(now: number): void {
    for (const [id, s] of this.staged) if (now - s.at > EXPIRE_MS) this.staged.delete(id);
  }
}
