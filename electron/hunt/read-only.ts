/**
 * A hunt's SQL is read-only twice over: it must be exactly one statement that DuckDB itself classifies as a query
 * (SELECT, which includes WITH … SELECT, or EXPLAIN), and it runs on a database whose configuration is locked with
 * external access off, so that even a query cannot read a file outside the hunted folder (read_csv('/etc/…')) or
 * write one (COPY is refused by the first check, and by the second).
 */
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';

export class HuntSqlError extends Error {}

export async function checkReadOnly(conn: DuckDBConnection, sql: string): Promise<void> {
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw new HuntSqlError((e as Error).message.split('\n')[0] ?? 'cannot parse the SQL');
  }
  if (extracted.count !== 1) throw new HuntSqlError(`give exactly one statement (got ${extracted.count})`);
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (e) {
    throw new HuntSqlError((e as Error).message.split('\n')[0] ?? 'cannot prepare the SQL');
  }
  const t = prepared.statementType;
  if (t !== StatementType.SELECT && t !== StatementType.EXPLAIN) {
    throw new HuntSqlError(`only a single SELECT, WITH or EXPLAIN statement is allowed (got ${StatementType[t] ?? t})`);
  }
}

/** Lets DuckDB read files only under `dir`, then locks the configuration so no statement can change that. */
export async function lockDown(conn: DuckDBConnection, dir: string): Promise<void> {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await conn.run(`SET allowed_directories = [${lit(dir)}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run("SET autoinstall_known_extensions = false");
  await conn.run("SET autoload_known_extensions = false");
  await conn.run('SET lock_configuration = true');
}
