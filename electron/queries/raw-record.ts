/** `raw.get`: the evidence as it was — a record's source file (display name), line and original text. */
import type { Db } from '../db/open';
import { num, QueryError, str, type Row } from './values';

export const RAW_TABLES = ['network', 'dns', 'processes', 'process_events', 'file_events', 'log_lines', 'detections', 'steps'] as const;
export type RawTable = (typeof RAW_TABLES)[number];

export function rawRecord(db: Db, table: RawTable, id: number): { file: string; line: number | null; raw: string } {
  // The table name goes into SQL: only names from the fixed list get there.
  if (!(RAW_TABLES as readonly string[]).includes(table)) throw new QueryError(`no raw records in table ${String(table)}`);
  const r = db
    .prepare(`SELECT t.line, t.raw, s.path FROM ${table} t LEFT JOIN sources s ON s.id = t.source_id WHERE t.id = ?`)
    .safeIntegers(true)
    .get(id) as Row | undefined;
  if (!r) throw new QueryError(`no ${table} record with id ${id}`);
  return { file: str(r.path) ?? '', line: num(r.line), raw: str(r.raw) ?? '' };
}
