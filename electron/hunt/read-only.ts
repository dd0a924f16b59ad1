/**
 * A hunt's SQL is read-only twice over: it must be exactly one statement that DuckDB itself classifies as a query
 * (SELECT, which includes WITH … SELECT, or EXPLAIN), and it runs on a database whose configuration is locked with
 * external access off, so that even a query cannot read a file outside the hunted folder (read_csv('/etc/…')) or
 * write one (COPY is refused by the first check, and by the second).
 */
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';

export class HuntSqlError extends Error {}

/** Prepares the one statement of `sql` and returns it, or throws HuntSqlError when it is not a query. */
export async function prepareReadOnly(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
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
  return prepared;
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

/**
 * The same question asked before any run is loaded (parsing only, no table needed), so a statement that is not a
 * query is refused at once instead of after minutes of loading: one statement, and DuckDB's own serializer
 * (json_serialize_sql) accepts only SELECT statements. EXPLAIN is left to the full check.
 */
export async function precheckReadOnly(conn: DuckDBConnection, sql: string): Promise<void> {
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (e) {
    throw new HuntSqlError(((e as Error).message.split('\n')[0] ?? 'cannot parse the SQL').replace(/^Failed to extract statements: /, ''));
  }
  if (extracted.count !== 1) throw new HuntSqlError(`give exactly one statement (got ${extracted.count})`);
  if (/^\s*explain\b/i.test(sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''))) return;
  const r = await conn.runAndReadAll(`SELECT json_serialize_sql('${sql.replace(/'/g, "''")}')`);
  const parsed = JSON.parse(String(r.getRows()[0]?.[0] ?? '{}')) as { error?: boolean; error_message?: string };
  if (parsed.error) throw new HuntSqlError('only a single SELECT, WITH or EXPLAIN statement is allowed');
}
