/**
 * Updating an indexed column of every row of a big table (1M calls) costs far more than rebuilding the index
 * afterwards. `withIndexesSuspended` drops the indexes of `table` that cover any of `columns`, runs `fn`, and
 * recreates them from their own stored SQL (so their definitions stay those of the migrations). Run it inside a
 * transaction: a failure rolls the drop back too.
 */
import type { Db } from './open';

export function withIndexesSuspended<T>(db: Db, table: string, columns: readonly string[], fn: () => T): T {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { name: string; sql: string }[];
  const covers = (sql: string) => {
    const open = sql.indexOf('(');
    const cols = open >= 0 ? sql.slice(open) : '';
    return columns.some((c) => new RegExp(`\\b${c}\\b`, 'i').test(cols));
  };
  const suspended = rows.filter((r) => covers(r.sql));
  for (const r of suspended) db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
  const out = fn();
  for (const r of suspended) db.exec(r.sql);
  return out;
}
