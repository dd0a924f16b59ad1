/**
 * The per-input budget that stops bombs: total uncompressed bytes and expansion ratio, checked against what archives
 * declare (before reading) and against what is really read (while reading). Over budget: ContainerBombError, fatal.
 */
import { ImportError } from '../types';

export const HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_RATIO = 500;
export const DEFAULT_RATIO_MIN_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 3;

/** A zip/gzip bomb (or simply an input too large to import). Fatal for the import. */
export class ContainerBombError extends ImportError {}

export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 ? 1 : 0)} MiB`;
  return `${n} bytes`;
}

/** Per-input budget: total uncompressed bytes and expansion ratio. */
export class Budget {
  total = 0;
  constructor(
    private readonly inputName: string,
    private readonly diskBytes: number,
    private readonly maxTotal: number,
    private readonly maxRatio: number,
    private readonly ratioMin: number,
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

  add(n: number, name: string): void {
    this.total += n;
    if (this.total > this.maxTotal) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands to more than ${fmtBytes(this.maxTotal)} (possible zip/gzip bomb); import stopped`,
      );
    }
    if (this.total > this.ratioMin && this.total / Math.max(this.diskBytes, 1) > this.maxRatio) {
      throw new ContainerBombError(
        `${name}: ${this.inputName} expands more than ${this.maxRatio}x its ${fmtBytes(this.diskBytes)} (possible zip/gzip bomb); import stopped`,
      );
    }
  }
}
