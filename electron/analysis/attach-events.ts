/** Link DNS resolutions and file events to the process instance of their pid alive at their time. */
import type { Db } from '../db/open';
import type { PidIndex } from './process-model';

const CHUNK = 50_000;

export function attachEvents(db: Db, pids: PidIndex, table: 'dns' | 'file_events'): void {
  const sel = db
    .prepare(`SELECT id, ts, pid FROM ${table} WHERE id > ? ORDER BY id LIMIT ${CHUNK}`)
    .safeIntegers(true);
  const upd = db.prepare(`UPDATE ${table} SET process_id = ? WHERE id = ?`);
  let after = 0n;
  for (;;) {
    const rows = sel.all(after) as { id: bigint; ts: bigint; pid: bigint | null }[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const p = r.pid === null ? null : pids.lookup(Number(r.pid), r.ts);
      upd.run(p?.id ?? null, r.id);
    }
    after = rows[rows.length - 1]!.id;
  }
}
