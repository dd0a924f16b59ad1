/**
 * The per-input budget that stops bombs: total uncompressed bytes and expansion ratio, checked against what archives
 * declare (before reading) and against what is really read (while reading). Over budget: ContainerBombError, fatal.
 *
 * Bytes alone do not measure an importer's work: 61 KB of gzip inflates to 63 M empty lines (60 MB, under every byte
 * limit) and each line costs a record. So a line read out of an archive also weighs LINE_COST bytes against the
 * expansion ratio (the total stays bytes), and members are counted too: an archive may hold at most `maxEntries` members (all nesting
 * levels together), checked from a zip's directory record before any member is listed.
 */
import { ImportError } from '../types';

export const HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_RATIO = 500;
export const DEFAULT_RATIO_MIN_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 3;
/** Members of one input, all archives in it together. A bundle holds dozens; a job's log archive, hundreds. */
export const DEFAULT_MAX_ENTRIES = 100_000;
/**
 * What one line read out of an archive weighs against the expansion ratio: an importer's cost of a line is about
 * that of a few hundred bytes of text. (Real logs stay far below the ratio: 1 GB of 20-byte lines zipped to
 * 100 MB weighs 138x.)
 */
export const LINE_COST = 256;

/** A zip/gzip bomb (or simply an input too large to import). Fatal for the import. */
export class ContainerBombError extends ImportError {}

export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 ? 1 : 0)} MiB`;
  return `${n} bytes`;
}

/** Per-input budget: total uncompressed bytes, expansion ratio (lines weigh LINE_COST each), members. */
export class Budget {
  /** Uncompressed bytes read out of archives. */
  total = 0;
  /** Line breaks among them. */
  lines = 0;
  /** Archive members met so far (declared by a zip's directory, or read from a tar). */
  entries = 0;
  constructor(
    private readonly inputName: string,
    private readonly diskBytes: number,
    private readonly maxTotal: number,
    private readonly maxRatio: number,
    private readonly ratioMin: number,
    private readonly maxEntries: number = DEFAULT_MAX_ENTRIES,
  ) {}

  /** Check before reading: declared sizes of a zip's members. */
  declare(member: string, uncompressed: number, compressed: number): void {
    if (this.total + uncompressed > this.maxTotal) {
      throw new ContainerBombError(
        `${member}: declares ${fmtBytes(uncompressed)} uncompressed, over the ${fmtBytes(this.maxTotal)} limit for ${this.inputName} (possible zip bomb); import stopped`,
      );
    }
    if (uncompressed > this.ratioMin && uncompressed / Math.max(compressed, 1) > this.maxRatio) {
      throw new ContainerBombError(
        `${member}: expands ${Math.round(uncompressed / Math.max(compressed, 1))}x (${fmtBytes(compressed)} -> ${fmtBytes(uncompressed)}), over the ${this.maxRatio}x limit (possible zip bomb); import stopped`,
      );
    }
  }

  /** Check before listing: `n` more members (a zip's declared count, or one tar header). */
  members(n: number, archive: string, declared: boolean): void {
    this.entries += n;
    if (this.entries <= this.maxEntries) return;
    throw new ContainerBombError(
      declared
        ? `${archive}: declares ${n} members, over the limit of ${this.maxEntries} for ${this.inputName} (possible zip bomb); import stopped`
        : `${archive}: holds more than ${this.maxEntries} members, the limit for ${this.inputName} (possible archive bomb); import stopped`,
    );
  }

  /** What importers will pay for, for the ratio: bytes plus LINE_COST per line. */
  private get weight(): number {
    return this.total + this.lines * LINE_COST;
  }

  /** `n` bytes holding `lines` line breaks read out of an archive member. */
  add(n: number, name: string, lines = 0): void {
    this.total += n;
    this.lines += lines;
    const w = this.weight;
    const what = () =>
      this.lines * LINE_COST > this.total ? `${this.lines} lines in ${fmtBytes(this.total)} (a line weighs ${LINE_COST} bytes)` : fmtBytes(this.total);
    if (this.total > this.maxTotal) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands to more than ${fmtBytes(this.maxTotal)} (possible zip/gzip bomb); import stopped`,
      );
    }
    if (w > this.ratioMin && w / Math.max(this.diskBytes, 1) > this.maxRatio) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands more than ${this.maxRatio}x its ${fmtBytes(this.diskBytes)}: ${what()} (possible zip/gzip bomb); import stopped`,
      );
    }
  }
}

/**
 * Line breaks in a chunk, as the line reader will split it: LFs, or in a file without LFs its CRs (a CRLF counts
 * once: the larger of the two counts). Linear: indexOf over the chunk, no per-byte JavaScript loop.
 */
export function countLineBreaks(chunk: Buffer): number {
  let lf = 0;
  for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lf++;
  let cr = 0;
  for (let i = chunk.indexOf(0x0d); i !== -1; i = chunk.indexOf(0x0d, i + 1)) cr++;
  return Math.max(lf, cr);
}
