/**
 * What the container does with member names, whatever the archive: junk skipped silently, unsafe names refused,
 * the bundle root found (a single top-level folder), manifest.json read first, where a nested zip's members go.
 */

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

/**
 * Where relPaths of a nested zip go. A bundle's `logs.zip` stands for its `logs/` folder: `logs.zip` -> `logs/…`,
 * `a/logs.zip` -> `a/logs/…`. Any other zip (a log archive or a bundle inside a folder or tar) is read like a zip
 * given directly: paths from its own root, a single top-level folder stripped.
 */
export function nestedLayout(relPath: string): { prefix: string; stripRoot: boolean } {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (base.toLowerCase() === 'logs.zip') return { prefix: relPath.slice(0, -'.zip'.length) + '/', stripRoot: false };
  return { prefix: '', stripRoot: true };
}

/**
 * Order inside a bundle: manifest.json first (it sets the run date and steps), network.jsonl last (the calls can
 * then be analysed as they are written: their processes, DNS and steps are all read by then, network-live.ts),
 * the rest in their order.
 */
export function manifestFirst<T>(items: T[], rel: (t: T) => string): T[] {
  const i = items.findIndex((t) => rel(t).toLowerCase() === 'manifest.json');
  const out = i <= 0 ? [...items] : [items[i]!, ...items.slice(0, i), ...items.slice(i + 1)];
  const n = out.findIndex((t) => rel(t).toLowerCase() === 'network.jsonl');
  if (n >= 0 && n < out.length - 1) out.push(...out.splice(n, 1));
  return out;
}

/** Strip a single top-level folder shared by every path, when there is one. */
export function singleRoot(paths: string[]): string | null {
  if (paths.length === 0) return null;
  const first = paths[0]!.split('/')[0]!;
  if (first.toLowerCase() === 'logs') return null; // a bundle holding only its logs/ folder keeps the layout
  for (const p of paths) {
    const segs = p.split('/');
    if (segs.length < 2 || segs[0] !== first) return null;
  }
  return first;
}
