/**
 * `runlens sql <case|bundle> "<SELECT …>" [--json]` — the one place raw SQL is allowed: a single SELECT / WITH /
 * EXPLAIN statement on a read-only connection (`query_only` on too), refused unless SQLite itself says the
 * prepared statement is read-only and returns rows.
 */
import { parseArgs } from './args';
import { openCaseOrBundle } from './case-arg';
import { escapeText } from './escape';
import { InputError, UsageError } from './errors';
import { jsonBigint, plural, showHelp, writeJson, writeText } from './output';
import { renderTable } from './table';

export const SQL_HELP = `Usage: runlens sql <case|bundle> "<SELECT …>" [--json]

Run one read-only SELECT (or WITH … SELECT, or EXPLAIN …) on the case. Times are INTEGER nanoseconds since the
Unix epoch, UTC (see docs/schema.md). In --json output, integers beyond ±2^53 are strings (exact), BLOBs hex.
  --json   {"columns": [...], "rows": [[...], ...]}
`;

/** The statement's first keyword after comments and whitespace, upper-cased. */
export function firstKeyword(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) s = t.slice(t.indexOf('\n') < 0 ? t.length : t.indexOf('\n'));
    else if (t.startsWith('/*')) s = t.indexOf('*/') < 0 ? '' : t.slice(t.indexOf('*/') + 2);
    else return (/^[A-Za-z]+/.exec(t)?.[0] ?? '').toUpperCase();
  }
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return jsonBigint(v);
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v;
}

export async function sqlCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { json: {}, help: {} }, 'sql');
  if (a.has('help')) return showHelp(SQL_HELP);
  if (a.positionals.length !== 2) throw new UsageError('sql: give a case file and one quoted SELECT statement');
  const [target, sql] = a.positionals as [string, string];
  const kw = firstKeyword(sql);
  if (!['SELECT', 'WITH', 'EXPLAIN'].includes(kw)) {
    throw new InputError(`sql: only a single SELECT, WITH or EXPLAIN statement is allowed (got ${kw || 'nothing'})`);
  }
  const db = await openCaseOrBundle(target, a.has('json'));
  try {
    db.pragma('query_only = ON');
    let stmt;
    try {
      stmt = db.prepare(sql);
    } catch (e) {
      throw new InputError(`sql: ${(e as Error).message}`);
    }
    if (!stmt.readonly || !stmt.reader) throw new InputError('sql: the statement is not read-only; only queries are allowed');
    stmt.safeIntegers(true).raw(true);
    const columns = stmt.columns().map((c) => c.name);
    let rows: unknown[][];
    try {
      rows = stmt.all() as unknown[][];
    } catch (e) {
      throw new InputError(`sql: ${(e as Error).message}`);
    }
    if (a.has('json')) {
      writeJson({ columns, rows: rows.map((r) => r.map(jsonValue)) });
      return 0;
    }
    const cols = columns.map((h, i) => ({ header: escapeText(h), get: (r: unknown[]) => r[i], right: false }));
    writeText(renderTable(rows, cols) + `(${plural(rows.length, 'row')})`);
    return 0;
  } finally {
    db.close();
  }
}
