/**
 * No silent loss: per input file, what was read and what became of it (docs/formats.md, "Accounting").
 * The bytes an importer reads pass through `countLines`, which counts bytes and physical lines and notes the blank
 * ones; the file's sink notes the lines its records cover (`line`..`line_end`) and the lines its warnings name.
 * At the end every physical line is either stored (covered by a record) or skipped, with a reason: the first
 * warning about that line, `blank line`, or `no record` (a line no importer rule turned into a record). So
 * lines = lines_stored + lines_skipped holds for every file by construction, and the reasons say where the loss is.
 * Memory: three bitsets of one bit per physical line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Transform, type Readable } from 'node:stream';
import { CR_DECIDE_BYTES } from './lines';

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

/** The account of the file an importer is reading (set around `Importer.read` by run-import). */
const current = new AsyncLocalStorage<LineAccount>();

export function withAccount<T>(account: LineAccount, fn: () => Promise<T>): Promise<T> {
  return current.run(account, fn);
}

/**
 * A multi-line unit of the file (a pretty-printed JSON document): a record whose `line` is `start` covers the
 * whole unit; a warning about `start` makes the whole unit skipped for that reason. Called by shared readers.
 */
export function noteSpan(start: number, end: number): void {
  current.getStore()?.span(start, end);
}

/** Lines an importer read on purpose without a record (a CSV header, a comment): skipped with this reason. */
export function noteLines(from: number, to: number, reason: string): void {
  const a = current.getStore();
  if (!a) return;
  for (let i = from; i <= Math.min(to, from + 10_000); i++) a.warn(i, reason);
}

/** Lines a stored record was built from beyond its own `line` (an auditd event's other records): stored too. */
export function noteStored(lines: readonly number[]): void {
  const a = current.getStore();
  if (!a) return;
  for (const l of lines) a.coverLine(l);
}

/** Records stored so far for the file being read (lets a reader tell whether a unit it emitted was stored). */
export function recordsSoFar(): number {
  return current.getStore()?.records ?? 0;
}

export class LineAccount {
  bytes = 0;
  lines = 0;
  records = 0;
  private blank = new BitSet();
  private punct = new BitSet();
  private covered = new BitSet();
  private warned = new Map<number, string>();
  private spans = new Map<number, number>();
  /** The file gave run or policy information (a manifest, an agent config): its other lines went into the case too. */
  meta = false;
  /** Whether the bytes were counted at all (an importer that never read its stream leaves this false). */
  counted = false;

  /** A record covering physical lines `from`..`to` (1-based). */
  cover(from: number | null | undefined, to?: number | null): void {
    this.records++;
    if (from === null || from === undefined || !Number.isFinite(from) || from < 1) return;
    const end =
      to !== null && to !== undefined && Number.isFinite(to) && to >= from ? Math.min(to, from + 10_000_000) : (this.spans.get(from) ?? from);
    for (let i = from; i <= end; i++) this.covered.set(i);
  }

  coverLine(line: number): void {
    if (Number.isFinite(line) && line >= 1) this.covered.set(line);
  }

  /** A record that was counted but no longer stored (a value SQLite cannot hold). */
  uncount(): void {
    this.records = Math.max(0, this.records - 1);
  }

  warn(line: number | null, message: string): void {
    if (line === null || !Number.isFinite(line) || line < 1) return;
    if (!this.warned.has(line)) this.warned.set(line, reasonOf(message));
  }

  span(start: number, end: number): void {
    if (Number.isFinite(start) && Number.isFinite(end) && end > start && start >= 1) this.spans.set(start, end);
  }

  markBlank(line: number): void {
    this.blank.set(line);
  }

  /** A line holding only JSON punctuation (`[`, `],`, `}`): structure around records, not a record of its own. */
  markPunctuation(line: number): void {
    this.punct.set(line);
  }

  result(): FileAccounting {
    let stored = 0;
    const skipped: Record<string, number> = {};
    let reasons = 0;
    let spanEnd = 0;
    let spanReason = '';
    for (let i = 1; i <= this.lines; i++) {
      if (this.covered.has(i)) {
        stored++;
        continue;
      }
      const w = this.warned.get(i);
      const se = this.spans.get(i);
      if (w !== undefined && se !== undefined) {
        spanEnd = se;
        spanReason = w;
      }
      if (w === undefined && this.meta && !this.blank.has(i) && i > spanEnd) {
        stored++;
        continue;
      }
      let reason =
        w ?? (i <= spanEnd ? spanReason : this.blank.has(i) ? 'blank line' : this.punct.has(i) ? 'JSON punctuation' : 'no record');
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
export function countLines(src: Readable, account: LineAccount): Transform {
  let lineNo = 1;
  let blankSoFar = true;
  let punctOnly = true;
  let sawAny = false;
  let pendingBom = 0; // bytes of a UTF-8 BOM seen at a line start
  account.counted = true;
  // Lines end where lines.ts ends them: at LF, or in a CR-only file (CRs but no LF in the first CR_DECIDE_BYTES) at
  // CR, CRLF or LF. Until that is known the bytes are held (counted later; they pass on at once).
  let mode: 'undecided' | 'lf' | 'cr' = 'undecided';
  let held: Buffer[] = [];
  let heldBytes = 0;
  let prevCr = false;
  const scan = (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (mode === 'cr' && c === 0x0a && prevCr) {
        prevCr = false; // the LF of a CRLF: its line already ended
        continue;
      }
      prevCr = c === 0x0d;
      if (c === 0x0a || (mode === 'cr' && c === 0x0d)) {
        if (blankSoFar) account.markBlank(lineNo);
        else if (punctOnly) account.markPunctuation(lineNo);
        account.lines = lineNo;
        lineNo++;
        blankSoFar = true;
        punctOnly = true;
        sawAny = false;
        pendingBom = 0;
        continue;
      }
      sawAny = true;
      if (mode === 'lf' && !blankSoFar && !punctOnly) {
        // the line's kind is settled: jump to its end (one native search instead of a loop per byte)
        const nl = chunk.indexOf(0x0a, i);
        if (nl === -1) break;
        i = nl - 1;
        continue;
      }
      if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
      if (blankSoFar && ((pendingBom === 0 && c === 0xef) || (pendingBom === 1 && c === 0xbb) || (pendingBom === 2 && c === 0xbf))) {
        pendingBom++;
        if (pendingBom === 3) pendingBom = 0;
        continue;
      }
      blankSoFar = false;
      if (c !== 0x5b && c !== 0x5d && c !== 0x7b && c !== 0x7d && c !== 0x2c) punctOnly = false;
    }
  };
  const decide = (m: 'lf' | 'cr') => {
    mode = m;
    const all = held;
    held = [];
    heldBytes = 0;
    for (const b of all) scan(b);
  };
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      account.bytes += chunk.length;
      if (mode !== 'undecided') scan(chunk);
      else if (chunk.includes(0x0a)) {
        decide('lf');
        scan(chunk);
      } else {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= CR_DECIDE_BYTES) decide(held.some((b) => b.includes(0x0d)) ? 'cr' : 'lf');
      }
      cb(null, chunk);
    },
    flush(cb) {
      if (mode === 'undecided') {
        const all = Buffer.concat(held, heldBytes);
        const cr = all.indexOf(0x0d);
        decide(cr !== -1 && cr < all.length - 1 ? 'cr' : 'lf');
      }
      if (sawAny) {
        if (blankSoFar) account.markBlank(lineNo);
        else if (punctOnly) account.markPunctuation(lineNo);
        account.lines = lineNo;
      }
      cb();
    },
  });
  src.on('error', (e) => t.destroy(e));
  return src.pipe(t);
}
