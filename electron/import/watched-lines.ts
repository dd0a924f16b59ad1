/**
 * Log lines picked out while the writer stores them, so a pass after the load reads those few lines by id instead
 * of scanning the whole log again: the lines the detection rules read (analysis/detections/log-scan.ts) and the
 * lines that may mention a host (gha/mentions.ts). The writer learns each line's id as its batch is written
 * (row-batch.ts); the log finalize may still renumber or drop lines, so `heldRows` checks every id still holds the
 * same line (its source file and sequence number) and that no line was dropped, and otherwise says no: the caller
 * then scans as before. Collecting stops beyond `MAX_WATCHED_LINES` (a log where most lines pass gains nothing).
 */
import type { Db } from '../db/open';

export const MAX_WATCHED_LINES = 200_000;
/** Characters of watched lines' texts kept in memory (`keepTexts`); beyond it the texts are read back instead. */
export const MAX_KEPT_CHARS = 8 * 1024 * 1024;

export interface WatchedLines {
  /** False when collecting stopped (more than MAX_WATCHED_LINES passed). */
  readonly complete: boolean;
  /** Log lines the writer stored in all (passed or not). */
  readonly lines: number;
  readonly ids: readonly number[];
  readonly sources: readonly number[];
  readonly seqs: readonly number[];
  /** The lines' plain texts as written (`keepTexts`, within MAX_KEPT_CHARS), else null. */
  readonly texts: readonly string[] | null;
}

export class WatchedIds {
  complete = true;
  ids: number[] = [];
  sources: number[] = [];
  seqs: number[] = [];
  /**
   * `keepTexts`: the texts too (passed to `note`), so a pass that reads only them need not look every line up again
   * (1M-line bench log: 50 000 mention lines, ~0.25 s of lookups).
   */
  texts: string[] | null;
  private chars = 0;

  constructor(keepTexts = false) {
    this.texts = keepTexts ? [] : null;
  }

  note(id: number, sourceId: number, seq: number, text?: string): void {
    if (!this.complete) return;
    if (this.ids.length >= MAX_WATCHED_LINES) {
      this.complete = false;
      this.ids = [];
      this.sources = [];
      this.seqs = [];
      this.texts = null;
      return;
    }
    this.ids.push(id);
    this.sources.push(sourceId);
    this.seqs.push(seq);
    if (this.texts) {
      this.chars += text?.length ?? 0;
      if (text === undefined || this.chars > MAX_KEPT_CHARS) this.texts = null;
      // A line is a slice of the chunk it was decoded from (lines.ts splits a chunk's text): V8 keeps the whole chunk
      // alive for as long as the slice lives. Kept lines come from all over the log, so their own copies are kept
      // (the concatenation is flattened by the slice: a copy of the line only), not every chunk they came from.
      else this.texts.push((' ' + text).slice(1));
    }
  }

  /** What was collected, with the number of lines stored. */
  result(lines: number): WatchedLines {
    return { complete: this.complete, lines, ids: this.ids, sources: this.sources, seqs: this.seqs, texts: this.texts };
  }
}

/**
 * The watched lines' rows (`columns` of log_lines after the id; raw rows, in id order), or null when the ids may no
 * longer name the lines the writer saw. `safeIntegers`: integers as BigInt (as the caller's own scan would read).
 */
export function heldRows(db: Db, w: WatchedLines, columns: string, safeIntegers = false): unknown[][] | null {
  if (!w.complete) return null;
  const count = Number((db.prepare('SELECT count(*) AS n FROM log_lines').get() as { n: number }).n);
  if (count !== w.lines) return null;
  // ids in batches through json_each (one statement per batch, the lookups inside SQLite: ~5x fewer calls than one
  // `WHERE id = ?` per line); ids come back in id order, checked against what the writer saw for each
  const get = db
    .prepare(`SELECT id, source_id, seq, ${columns} FROM log_lines WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .safeIntegers(safeIntegers)
    .raw(true);
  const order = w.ids.map((_, i) => i).sort((x, y) => w.ids[x]! - w.ids[y]!);
  const out: unknown[][] = [];
  for (let from = 0; from < order.length; from += HELD_BATCH) {
    const part = order.slice(from, from + HELD_BATCH);
    const rows = get.all(JSON.stringify(part.map((i) => w.ids[i]))) as unknown[][];
    if (rows.length !== part.length) return null; // a line gone
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      const i = part[k]!;
      if (Number(r[0]) !== w.ids[i] || r[1] === null || Number(r[1]) !== w.sources[i] || Number(r[2]) !== w.seqs[i]) return null;
      out.push([r[0], ...r.slice(3)]);
    }
  }
  return out;
}

const HELD_BATCH = 2000;
