/**
 * The log lines the rules read, decided in ONE test per line. Every rule declares the `logLinesWith` calls it makes
 * (`logNeedles`, `logScans`); their union is a `LogScanSet`:
 * - at import the writer tests each line's plain text with `test()` as it stores it (a regular expression of all
 *   the needles, compiled once: one pass, ~0.15 µs per line) and keeps the ids of the few lines that pass
 *   (`LogCandidates`), so the analysis never reads the log again for the rules;
 * - without that (a re-analysis, a case finalized outside an import) the same union is one pass of SQL `instr()`.
 * `covers()` says whether a rule's `logLinesWith(needles, keep)` can be answered from the lines the set selected:
 * its needles must be in one declared scan, and that scan's `keep` (if any) must be the very function passed.
 */
import type { WatchedLines } from '../../import/watched-lines';
import type { LogScan } from './types';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class LogScanSet {
  /** Needles whose lines are all selected (scans without `keep`). */
  readonly plain: ReadonlySet<string>;
  /** Scans with a `keep`: their lines are selected only when `keep` passes. */
  readonly kept: readonly { needles: ReadonlySet<string>; keep: (text: string) => boolean }[];
  private readonly re: RegExp | null;

  constructor(scans: readonly LogScan[]) {
    const plain = new Set<string>();
    const kept: { needles: Set<string>; keep: (text: string) => boolean }[] = [];
    for (const s of scans) {
      // '' (every line) cannot be picked out: such a call is not covered and reads the log by a scan
      if (s.needles.includes('')) continue;
      const needles = [...s.needles];
      if (s.keep) kept.push({ needles: new Set(needles), keep: s.keep });
      else for (const x of needles) plain.add(x);
    }
    this.plain = plain;
    this.kept = kept;
    // one alternation of literals: V8 tests it in one pass over the line (measured 3x faster than a loop of includes)
    this.re = plain.size ? new RegExp([...plain].map(escapeRe).join('|')) : null;
  }

  get empty(): boolean {
    return this.plain.size === 0 && this.kept.length === 0;
  }

  /** Every needle of the set (for a SQL pre-filter: a line the set selects contains at least one). */
  get needles(): string[] {
    return [...new Set([...this.plain, ...this.kept.flatMap((k) => [...k.needles])])];
  }

  /** Whether a line with this plain text is one some rule may read. */
  test(text: string): boolean {
    if (this.re !== null && this.re.test(text)) return true;
    for (const k of this.kept) {
      let has = false;
      for (const x of k.needles) if (text.includes(x)) { has = true; break; }
      if (has && k.keep(text)) return true;
    }
    return false;
  }

  /** Can `logLinesWith(needles, keep)` be answered exactly from the lines this set selected? */
  covers(needles: readonly string[], keep: ((text: string) => boolean) | undefined): boolean {
    if (needles.length === 0) return true;
    if (needles.every((x) => this.plain.has(x))) return true;
    return this.kept.some((k) => k.keep === keep && needles.every((x) => k.needles.has(x) || this.plain.has(x)));
  }
}

/** Every scan a rule declares: its `logNeedles` (lines kept whatever their text) and its `logScans`. */
export function scansOf(rule: { logNeedles?: readonly string[]; logScans?: readonly LogScan[] }): LogScan[] {
  return [...(rule.logNeedles?.length ? [{ needles: rule.logNeedles }] : []), ...(rule.logScans ?? [])];
}

/**
 * What the writer collected at import (import/watched-lines.ts): the ids of the lines `set.test` passed, each with
 * what identifies the line, so the analysis can check the ids still name the same lines after the log finalize
 * (which may renumber or drop lines): if any does not, the rules read the log the ordinary way.
 */
export interface LogCandidates extends WatchedLines {
  readonly set: LogScanSet;
}
