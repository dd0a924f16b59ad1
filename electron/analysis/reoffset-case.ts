/**
 * Applying clock offsets to a case that is already imported, without touching it: the case is copied
 * (`VACUUM INTO`, from a read-only connection) to `<to>.partial-<random>`, the chosen sources' times are moved
 * (shift-sources.ts), `meta.reoffset` records what was done and from which case, finalizeCase recomputes processes,
 * attribution and findings from the moved rows, and the copy is renamed to `to`. On failure or cancel the partial
 * file is removed. The new case's name (`reoffsetCasePath`) is derived from the inputs' hashes and the offsets in
 * force, so asking for the same offsets again reuses the case already built.
 */
import { removeCaseFiles } from '../db/case-files';
import { partialPathFor } from '../import/partial-sweep';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportWarning } from '../../shared/model';
import { openCaseForWrite, openCaseReadOnly, type Db } from '../db/open';
import { CASE_EXTENSION } from '../import/case-location';
import { ImportCancelledError } from '../import/errors';
import { finalizeCase } from './finalize';
import {
  OffsetError,
  planOffsets,
  readSources,
  shiftSources,
  type OffsetChange,
  type RequestedOffset,
  type ShiftCounts,
  type SourceOffsetRow,
} from './shift-sources';

export type ReoffsetPhase = 'checking' | 'copying' | 'shifting' | 'finalizing' | 'done';

export interface ReoffsetProgress {
  phase: ReoffsetPhase;
  fraction: number | null;
  message?: string;
}

export interface ReoffsetOptions {
  /** The case to start from: opened read-only, never written. */
  from: string;
  /** The new case file. An existing case there is reused when its offsets are the ones asked for. */
  to: string;
  offsets: RequestedOffset[];
  /** Where the copy is built (default `<to>.partial-<random>`); removed on failure. */
  partialPath?: string;
  signal?: AbortSignal;
  onProgress?: (p: ReoffsetProgress) => void;
}

export interface ReoffsetChangeOut {
  source_id: number;
  path: string;
  format: string | null;
  from_seconds: number;
  to_seconds: number;
}

export interface ReoffsetSummary {
  case: string;
  /** True when an earlier run had built this case already. */
  reused: boolean;
  changes: ReoffsetChangeOut[];
  /** Rows moved per table (0s when reused). */
  shifted: ShiftCounts | null;
  /** New warnings of the analysis (those the case did not hold already). */
  warnings: ImportWarning[];
}

const nsToSeconds = (ns: bigint): number => Number(ns) / 1e9;

/** What `meta.reoffset` holds: every re-offset that led to this case, oldest first. */
export interface ReoffsetRecord {
  applied_at: string;
  from_case: string;
  changes: { path: string; member: string | null; format: string | null; from_seconds: number; to_seconds: number }[];
}

function offsetsKey(sources: SourceOffsetRow[], changes: OffsetChange[]): string[] {
  const changed = new Map(changes.map((c) => [c.source.id, c.to_ns]));
  const lines: string[] = [];
  for (const s of sources) {
    const ns = changed.get(s.id) ?? s.offset_ns;
    if (ns !== 0n) lines.push(`${s.sha256}\t${s.member ?? ''}\t${s.format ?? ''}\t${ns}`);
  }
  return lines.sort();
}

/** The inputs and the offsets in force: equal keys, the same evidence seen with the same clocks. */
function stateKey(sources: SourceOffsetRow[], changes: OffsetChange[]): string {
  const inputs = sources.filter((s) => s.parent_id === null).map((s) => s.sha256);
  return [...inputs, '', ...offsetsKey(sources, changes)].join('\n');
}

function readMetaJson(db: Db, key: string): unknown {
  const r = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (!r) return null;
  try {
    return JSON.parse(r.value) as unknown;
  } catch {
    return null;
  }
}

/**
 * The case file that holds `db`'s case with `changes` applied, in `dir`: named by a hash of the inputs' hashes, the
 * import date and every non-zero offset that will be in force (by source hash and member path).
 */
export function reoffsetCasePath(db: Db, changes: OffsetChange[], dir: string): string {
  const sources = readSources(db);
  const inputs = sources.filter((s) => s.parent_id === null).map((s) => s.sha256);
  const imp = readMetaJson(db, 'import') as { date?: unknown } | null;
  const h = createHash('sha256')
    .update('runlens-reoffset-v1\n')
    .update(inputs.join('\n') + '\n')
    .update(`date=${typeof imp?.date === 'string' ? imp.date : ''}\n`)
    .update(offsetsKey(sources, changes).join('\n'))
    .digest('hex');
  return path.join(dir, `${h.slice(0, 32)}${CASE_EXTENSION}`);
}

/** Open `from` read-only and work out the changes (throws OffsetError when nothing would change). */
export function planReoffset(db: Db, offsets: RequestedOffset[]): OffsetChange[] {
  const changes = planOffsets(readSources(db), offsets);
  if (changes.length === 0) throw new OffsetError('these clock offsets are already in force: nothing to change');
  return changes;
}

function changesOut(changes: OffsetChange[]): ReoffsetChangeOut[] {
  return changes.map((c) => ({
    source_id: c.source.id,
    path: c.source.path,
    format: c.source.format,
    from_seconds: nsToSeconds(c.from_ns),
    to_seconds: nsToSeconds(c.to_ns),
  }));
}

/** Whether the case at `p` already has exactly the offsets `changes` would leave in force on `sources`. */
function hasOffsets(p: string, sources: SourceOffsetRow[], changes: OffsetChange[]): boolean {
  let db: Db | null = null;
  try {
    db = openCaseReadOnly(p);
    return stateKey(readSources(db), []) === stateKey(sources, changes);
  } catch {
    return false;
  } finally {
    db?.close();
  }
}


const turn = () => new Promise<void>((r) => setImmediate(r));

/** Fractions of the whole job at each finalize phase (the analysis is most of the work). */
const FINALIZE_AT: Record<string, number> = {
  indexes: 0.35,
  logs: 0.4,
  processes: 0.55,
  network: 0.75,
  findings: 0.9,
  done: 0.97,
};

export async function reoffsetCase(opts: ReoffsetOptions): Promise<ReoffsetSummary> {
  const signal = opts.signal ?? new AbortController().signal;
  const progress = (phase: ReoffsetPhase, fraction: number | null, message?: string) =>
    opts.onProgress?.({ phase, fraction, ...(message ? { message } : {}) });
  const checkCancel = async () => {
    await turn(); // let a cancel message in
    if (signal.aborted) throw new ImportCancelledError('re-offset cancelled');
  };
  const from = path.resolve(opts.from);
  const to = path.resolve(opts.to);
  if (from === to) throw new OffsetError('the new case cannot replace the case it is made from');

  progress('checking', 0);
  const src = openCaseReadOnly(from);
  let sources: SourceOffsetRow[];
  let changes: OffsetChange[];
  try {
    sources = readSources(src);
    changes = planReoffset(src, opts.offsets);
    if (fs.existsSync(to) && hasOffsets(to, sources, changes)) {
      progress('done', 1);
      return { case: to, reused: true, changes: changesOut(changes), shifted: null, warnings: [] };
    }
    await checkCancel();
    fs.mkdirSync(path.dirname(to), { recursive: true });
    progress('copying', 0.05);
    const partial = opts.partialPath ?? partialPathFor(to);
    removeCaseFiles(partial);
    try {
      // The connection stays read-only (SQLITE_OPEN_READONLY): VACUUM INTO writes only the new private file, which
      // query_only (set by openCaseReadOnly as a second lock) would refuse.
      src.pragma('query_only = OFF');
      src.prepare('VACUUM INTO ?').run(partial);
      src.close();
      return await finishCopy(partial);
    } catch (e) {
      removeCaseFiles(partial);
      if (signal.aborted && !(e instanceof ImportCancelledError)) throw new ImportCancelledError('re-offset cancelled');
      throw e;
    }
  } finally {
    if (src.open) src.close();
  }

  async function finishCopy(partial: string): Promise<ReoffsetSummary> {
    await checkCancel();
    const db = openCaseForWrite(partial);
    try {
      progress('shifting', 0.2);
      // Planned again on the copy: the same rows, so the same changes.
      const onCopy = planOffsets(readSources(db), opts.offsets);
      const shifted = shiftSources(db, onCopy);
      const history = readMetaJson(db, 'reoffset');
      const record: ReoffsetRecord = {
        applied_at: new Date().toISOString(),
        from_case: from,
        changes: onCopy.map((c) => ({
          path: c.source.path,
          member: c.source.member,
          format: c.source.format,
          from_seconds: nsToSeconds(c.from_ns),
          to_seconds: nsToSeconds(c.to_ns),
        })),
      };
      db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run('reoffset', JSON.stringify([...(Array.isArray(history) ? history : []), record]));
      await checkCancel();

      const late: ImportWarning[] = [];
      finalizeCase(db, {
        warn: (w) => late.push(w),
        onProgress: (phase) => progress('finalizing', FINALIZE_AT[phase] ?? null, phase),
      });
      const warnings = storeNewWarnings(db, late);
      await checkCancel();
      db.pragma('journal_mode = DELETE'); // one self-contained file, readable read-only
      db.close();
      if (fs.existsSync(to)) removeCaseFiles(to); // a case of that name without these offsets: rebuilt
      fs.renameSync(partial, to);
      progress('done', 1);
      return { case: to, reused: false, changes: changesOut(onCopy), shifted, warnings };
    } finally {
      if (db.open) db.close();
    }
  }
}

/** Store the analysis's warnings the case does not hold already (the first import stored the same ones). */
function storeNewWarnings(db: Db, late: ImportWarning[]): ImportWarning[] {
  const has = db.prepare('SELECT 1 FROM warnings WHERE file IS ? AND line IS ? AND message = ? LIMIT 1');
  const idOf = db.prepare('SELECT id FROM sources WHERE path = ? ORDER BY id LIMIT 1');
  const add = db.prepare('INSERT INTO warnings (source_id, file, line, message) VALUES (?, ?, ?, ?)');
  const out: ImportWarning[] = [];
  db.transaction(() => {
    for (const w of late) {
      if (has.get(w.file, w.line, w.message)) continue;
      const r = w.file === null ? undefined : (idOf.get(w.file) as { id: number } | undefined);
      add.run(r ? Number(r.id) : null, w.file, w.line, w.message);
      out.push(w);
    }
  })();
  return out;
}
