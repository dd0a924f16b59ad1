/**
 * No silent loss: per input file, what was read and what became of it (docs/formats.md, "Accounting").
 * The bytes an importer reads pass through `countLines`, which counts bytes and physical lines and notes the blank
 * ones; the file's sink notes the lines its records cover (`line`..`line_end`) and the lines its warnings name.
 * At the end every physical line is either stored (covered by a record) or skipped, with a reason: the first
 * warning about that line, `blank line`, or `no record` (a line no importer rule turned into a record). So
 * lines = lines_stored + lines_skipped holds for every file by construction, and the reasons say where the loss is.
 * Memory: three bitsets of one bit per physical line.
 */
import { Transform, type Readable } from 'node:stream';

class BitSet {
  private bits = new Uint8Array(1024);
  set(i: number): void {
    if (i < 0) return;
    const byte = i >>> 3;
    if (byte >= this.bits.length) {
      let n = this.bits.length;
      while (n <= byte) n *= 2;
      const next = new Uint8Array(n);
      next.set(this.bits);
      this.bits = next;
    }
    this.bits[byte]! |= 1 << (i & 7);
  }
  has(i: number): boolean {
    const byte = i >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (i & 7))) !== 0;
  }
}

/** At most this many distinct skip reasons per file (the rest are summed under one). */
const MAX_REASONS = 20;
/** A warning's text as a reason: its first words, so that `line 7: …` variants group together. */
const reasonOf = (message: string): string => (message.length > 120 ? message.slice(0, 117) + '...' : message);

export interface FileAccounting {
  bytes: number;
  lines: number;
  records: number;
  lines_stored: number;
  lines_skipped: number;
  skipped: Record<string, number>;
}

export class LineAccount {
  bytes = 0;
  lines = 0;
  records = 0;
  private blank = new BitSet();
  private covered = new BitSet();
  private warned = new Map<number, string>();
  /** Whether the bytes were counted at all (an importer that never read its stream leaves this false). */
  counted = false;

  /** A record covering physical lines `from`..`to` (1-based). */
  cover(from: number | null | undefined, to?: number | null): void {
    this.records++;
    if (from === null || from === undefined || !Number.isFinite(from) || from < 1) return;
    const end = to !== null && to !== undefined && Number.isFinite(to) && to >= from ? Math.min(to, from + 10_000_000) : from;
    for (let i = from; i <= end; i++) this.covered.set(i);
  }

  /** A record that was counted but no longer stored (a value SQLite cannot hold). */
  uncount(): void {
    this.records = Math.max(0, this.records - 1);
  }

  warn(line: number | null, message: string): void {
    if (line === null || !Number.isFinite(line) || line < 1) return;
    if (!this.warned.has(line)) this.warned.set(line, reasonOf(message));
  }

  markBlank(line: number): void {
    this.blank.set(line);
  }

  result(): FileAccounting {
    let stored = 0;
    const skipped: Record<string, number> = {};
    let reasons = 0;
    for (let i = 1; i <= this.lines; i++) {
      if (this.covered.has(i)) {
        stored++;
        continue;
      }
      let reason = this.warned.get(i) ?? (this.blank.has(i) ? 'blank line' : 'no record');
      if (!(reason in skipped)) {
        if (reasons >= MAX_REASONS) reason = 'other reasons';
        else reasons++;
      }
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    }
    return { bytes: this.bytes, lines: this.lines, records: this.records, lines_stored: stored, lines_skipped: this.lines - stored, skipped };
  }
}

/**
 * The stream an importer reads, counted on the way: bytes, physical lines (LF-separated; a last line without LF
 * counts), and which lines are blank (only spaces, tabs, CR, or a BOM).
 */
export function countLines(src: Readable, account: LineAccount): Readable {
  let lineNo = 1;
  let blankSoFar = true;
  let sawAny = false;
  let pendingBom = 0; // bytes of a UTF-8 BOM seen at a line start
  account.counted = true;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      account.bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (c === 0x0a) {
          if (blankSoFar) account.markBlank(lineNo);
          account.lines = lineNo;
          lineNo++;
          blankSoFar = true;
          sawAny = false;
          pendingBom = 0;
          continue;
        }
        sawAny = true;
        if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
        if (blankSoFar && ((pendingBom === 0 && c === 0xef) || (pendingBom === 1 && c === 0xbb) || (pendingBom === 2 && c === 0xbf))) {
          pendingBom++;
          if (pendingBom === 3) pendingBom = 0;
          continue;
        }
        blankSoFar = false;
      }
      cb(null, chunk);
    },
    flush(cb) {
      if (sawAny) {
        if (blankSoFar) account.markBlank(lineNo);
        account.lines = lineNo;
      }
      cb();
    },
  });
  src.on('error', (e) => t.destroy(e));
  return src.pipe(t);
}
