/**
 * An import error as the user should read it: the whole message, with the internal temporary paths the server
 * staged uploads under (/tmp/runlens-upload-…/, a case's .partial-* file) replaced by the names the user picked.
 */

/** An absolute path (POSIX or Windows) in a message. */
const PATH = /(?:[A-Za-z]:\\|\/)[^\s'"()<>,;]+/g;
/** Path parts that are ours, not the user's: temp folders, upload staging, partial case files. */
const INTERNAL = /(^|[\\/])(tmp|temp|var[\\/]folders|runlens-[^\\/]*|upload[^\\/]*|[^\\/]*\.partial-[^\\/]*)([\\/]|$)/i;

export function cleanImportMessage(message: string, files: readonly string[]): string {
  return message.replace(PATH, (p) => {
    const trail = /[.:]+$/.exec(p)?.[0] ?? '';
    const path = trail ? p.slice(0, -trail.length) : p;
    if (!INTERNAL.test(path)) return p;
    // the part from the first name the user picked on, else the last segment
    const parts = path.split(/[\\/]/).filter(Boolean);
    const i = parts.findIndex((s) => files.includes(s));
    const shown = i >= 0 ? parts.slice(i).join('/') : (parts[parts.length - 1] ?? '');
    return shown + trail;
  });
}
