/**
 * `runlens verify`: hash every input of a case again and compare with what the import recorded (`meta.inputs`,
 * and for a folder each file in `sources`). Each input is `unchanged`, `missing` or `different`; for a folder the
 * files that differ, went missing or were added are named. Relative input paths (as given at import) are resolved
 * against `base` (default: the current folder).
 */
import * as fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { hashFile, hashInputs } from '../import/case-location';
import { listFolderFiles } from '../import/container';

export type VerifyState = 'unchanged' | 'missing' | 'different';
export interface VerifyFile {
  member: string;
  state: VerifyState | 'added';
}
export interface VerifyInput {
  path: string;
  resolved: string;
  state: VerifyState;
  recorded: { sha256: string; bytes: number };
  now: { sha256: string; bytes: number } | null;
  /** For a folder input: its files that are not unchanged. */
  files: VerifyFile[];
}

export async function verifyCase(db: Db, base = process.cwd()): Promise<VerifyInput[]> {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'inputs'").get() as { value: string } | undefined;
  const inputs = row ? (JSON.parse(row.value) as { path: string; sha256: string; bytes: number }[]) : [];
  const topSource = db.prepare('SELECT id FROM sources WHERE parent_id IS NULL AND path = ? ORDER BY id LIMIT 1');
  const members = db.prepare('SELECT member, sha256, bytes FROM sources WHERE parent_id = ? AND member IS NOT NULL');
  const out: VerifyInput[] = [];
  for (const inp of inputs) {
    const resolved = path.resolve(base, inp.path);
    const recorded = { sha256: inp.sha256, bytes: inp.bytes };
    const st = fs.statSync(resolved, { throwIfNoEntry: false });
    if (!st) {
      out.push({ path: inp.path, resolved, state: 'missing', recorded, now: null, files: [] });
      continue;
    }
    const sha = (await hashInputs([resolved]))[0]!;
    const files: VerifyFile[] = [];
    let bytes = st.size;
    if (st.isDirectory()) {
      const top = topSource.get(inp.path) as { id: number } | undefined;
      const known = new Map((top ? (members.all(top.id) as { member: string; sha256: string; bytes: number }[]) : []).map((m) => [m.member, m]));
      const present = await listFolderFiles(resolved);
      bytes = 0;
      const seen = new Set<string>();
      for (const f of present) {
        const h = await hashFile(f.abs);
        bytes += h.bytes;
        seen.add(f.rel);
        const k = known.get(f.rel);
        if (!k) files.push({ member: f.rel, state: 'added' });
        else if (k.sha256 !== h.sha256 || Number(k.bytes) !== h.bytes) files.push({ member: f.rel, state: 'different' });
      }
      for (const m of known.keys()) if (!seen.has(m)) files.push({ member: m, state: 'missing' });
    }
    out.push({ path: inp.path, resolved, state: sha === inp.sha256 ? 'unchanged' : 'different', recorded, now: { sha256: sha, bytes }, files });
  }
  return out;
}
