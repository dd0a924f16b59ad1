/**
 * A small POSIX-shell-words splitter: turns one shell-quoted command line (a process table's `args`) into its
 * argument vector. Handles whitespace separation, '…' (literal), "…" (with \" \\ \$ \` and \<newline> escapes),
 * $'…' (ANSI-C escapes \n \t \r \\ \' \" \xHH \0oo), and backslash escapes outside quotes. No expansion of any kind:
 * `$HOME` stays `$HOME`, globs stay globs. Pure: no Node, no DOM.
 */
export class ShellWordsError extends Error {}

export interface ShellSplit {
  words: string[];
  /** Set when the line ended inside a quote or after a lone backslash; `words` is then a best effort. */
  error: string | null;
}

const ANSI_C: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Split without throwing: an unterminated quote keeps what was read so far as the last word and sets `error`. */
export function splitShellWordsLenient(line: string): ShellSplit {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let error: string | null = null;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 >= n) {
        error = 'line ends with a lone backslash';
        i++;
        continue;
      }
      const d = line[i + 1]!;
      if (d !== '\n') cur += d; // backslash-newline is a line continuation
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) {
        error = `unterminated single quote at column ${i + 1}`;
        cur += line.slice(i + 1);
        i = n;
        continue;
      }
      cur += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '$' && line[i + 1] === "'") {
      i += 2;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === "'") {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          if (e === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(line.slice(i + 2, i + 4));
            if (hex) {
              cur += String.fromCharCode(parseInt(hex[0], 16));
              i += 2 + hex[0].length;
              continue;
            }
          } else if (e >= '0' && e <= '7') {
            const oct = /^[0-7]{1,3}/.exec(line.slice(i + 1, i + 4))!;
            cur += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
            i += 1 + oct[0].length;
            continue;
          } else if (ANSI_C[e] !== undefined) {
            cur += ANSI_C[e];
            i += 2;
            continue;
          }
          cur += '\\' + e;
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) error = "unterminated $' quote";
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          if (e === '"' || e === '\\' || e === '$' || e === '`') {
            cur += e;
            i += 2;
            continue;
          }
          if (e === '\n') {
            i += 2;
            continue;
          }
        }
        cur += d;
        i++;
      }
      if (!closed) error = 'unterminated double quote';
      continue;
    }
    cur += c;
    i++;
  }
  if (inWord) words.push(cur);
  return { words, error };
}

/** Split a shell-quoted command line into words; throws ShellWordsError on an unterminated quote. */
export function splitShellWords(line: string): string[] {
  const r = splitShellWordsLenient(line);
  if (r.error) throw new ShellWordsError(r.error);
  return r.words;
}

/** The inverse, for display: quote each word only when it needs it. */
export function joinShellWords(words: readonly string[]): string {
  return words
    .map((w) => (w === '' ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
