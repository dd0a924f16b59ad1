/**
 * Clock offsets after the import: which sources get which offset in force (`planOffsets`, pure), and moving every
 * stored time of those sources' rows by the difference (`shiftSources`, SQL). Used by reoffset-case.ts, which works
 * on a copy of the case: the open case is never modified.
 *
 * An offset given for a source applies to it and to every source below it (`sources.parent_id`: an input folder or
 * archive and its members, nested archives too); an offset given for a member wins over its container's. Offsets are
 * totals in force (what `sources.offset_ns` records), not increments: each source's rows move by
 * `target - offset_ns`, so applying the same offsets twice changes nothing.
 */
import type { Db } from '../db/open';

export class OffsetError extends Error {}

export interface SourceOffsetRow {
  id: number;
  parent_id: number | null;
  path: string;
  member: string | null;
  format: string | null;
  sha256: string;
  offset_ns: bigint;
}

export interface RequestedOffset {
  source_id: number;
  seconds: number;
}

/** One source whose offset in force changes. */
export interface OffsetChange {
  source: SourceOffsetRow;
  from_ns: bigint;
  to_ns: bigint;
  delta_ns: bigint;
}

/** Largest offset accepted: a week either way (clocks are seconds or hours apart, not years). */
export const MAX_OFFSET_SECONDS = 7 * 86_400;

export function secondsToNs(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}

export function readSources(db: Db): SourceOffsetRow[] {
  return (
    db
      .prepare('SELECT id, parent_id, path, member, format, sha256, offset_ns FROM sources ORDER BY id')
      .safeIntegers(true)
      .all() as {
      id: bigint;
      parent_id: bigint | null;
      path: string;
      member: string | null;
      format: string | null;
      sha256: string;
      offset_ns: bigint;
    }[]
  ).map((r) => ({
    id: Number(r.id),
    parent_id: r.parent_id === null ? null : Number(r.parent_id),
    path: r.path,
    member: r.member,
    format: r.format,
    sha256: r.sha256,
    offset_ns: r.offset_ns,
  }));
}

/**
 * The sources whose offset in force changes when `requested` is applied (each source takes the value given for it,
 * else for its nearest ancestor that was given one). Unknown ids, duplicates and values that are not finite or too
 * large are refused with a readable OffsetError. An empty result means the offsets are already in force.
 */
export function planOffsets(sources: SourceOffsetRow[], requested: RequestedOffset[]): OffsetChange[] {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const given = new Map<number, bigint>();
  for (const r of requested) {
    if (!byId.has(r.source_id)) throw new OffsetError(`no source ${r.source_id} in this case`);
    if (given.has(r.source_id)) throw new OffsetError(`source ${r.source_id} is given twice`);
    if (!Number.isFinite(r.seconds) || Math.abs(r.seconds) > MAX_OFFSET_SECONDS) {
      throw new OffsetError(
        `offset for ${byId.get(r.source_id)!.path} must be a number of seconds within ±${MAX_OFFSET_SECONDS}`,
      );
    }
    given.set(r.source_id, secondsToNs(r.seconds));
  }
  const targetOf = (s: SourceOffsetRow): bigint | null => {
    const seen = new Set<number>();
    for (
      let cur: SourceOffsetRow | undefined = s;
      cur && !seen.has(cur.id);
      cur = cur.parent_id === null ? undefined : byId.get(cur.parent_id)
    ) {
      seen.add(cur.id);
      const v = given.get(cur.id);
      if (v !== undefined) return v;
    }
    return null;
  };
  const changes: OffsetChange[] = [];
  for (const s of sources) {
    const to = targetOf(s);
    if (to === null || to === s.offset_ns) continue;
    changes.push({ source: s, from_ns: s.offset_ns, to_ns: to, delta_ns: to - s.offset_ns });
  }
  return changes;
}

/** Every stored time column of evidence rows, by table (dns_answers follows its dns row). */
export const TIME_COLUMNS: Record<string, string[]> = {
  network: ['ts'],
  dns: ['ts'],
  process_events: ['ts'],
  file_events: ['ts'],
  detections: ['ts'],
  log_lines: ['ts'],
  steps: ['started_at', 'completed_at'],
};

export type ShiftCounts = Record<keyof typeof TIME_COLUMNS | 'dns_answers', number>;

/**
 * Move the times of the changed sources' rows by their delta and record the new offsets in `sources.offset_ns`,
 * in one transaction. Derived state (processes, attribution, findings, log order) is left for finalizeCase.
 */
export function shiftSources(db: Db, changes: OffsetChange[]): ShiftCounts {
  const counts = { dns_answers: 0 } as ShiftCounts;
  for (const t of Object.keys(TIME_COLUMNS)) counts[t] = 0;
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS temp.reoffset_shift;
      CREATE TEMP TABLE reoffset_shift (source_id INTEGER PRIMARY KEY, delta INTEGER NOT NULL)`);
    const add = db.prepare('INSERT INTO temp.reoffset_shift (source_id, delta) VALUES (?, ?)');
    const setOffset = db.prepare('UPDATE sources SET offset_ns = ? WHERE id = ?');
    for (const c of changes) {
      setOffset.run(c.to_ns, c.source.id);
      if (c.delta_ns !== 0n) add.run(c.source.id, c.delta_ns);
    }
    const delta = (t: string) => `(SELECT delta FROM temp.reoffset_shift d WHERE d.source_id = ${t}.source_id)`;
    // dns_answers first: it finds its rows through dns.source_id, whose times are not yet moved (not that it matters).
    counts.dns_answers = db
      .prepare(
        `UPDATE dns_answers SET ts = ts + (SELECT d.delta FROM dns JOIN temp.reoffset_shift d ON d.source_id = dns.source_id WHERE dns.id = dns_answers.dns_id)
         WHERE dns_id IN (SELECT dns.id FROM dns JOIN temp.reoffset_shift d ON d.source_id = dns.source_id)`,
      )
      .run().changes;
    for (const [table, cols] of Object.entries(TIME_COLUMNS)) {
      const set = cols.map((c) => `${c} = ${c} + ${delta(table)}`).join(', ');
      counts[table] = db
        .prepare(`UPDATE ${table} SET ${set} WHERE source_id IN (SELECT source_id FROM temp.reoffset_shift)`)
        .run().changes;
    }
    db.exec('DROP TABLE temp.reoffset_shift');
  })();
  return counts;
}
