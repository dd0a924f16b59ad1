/**
 * The workbench's lists beside the calls and the log: a flat, sortable process list with lifetimes and steps
 * (`process.list`), DNS resolutions with the calls each one named (`dns.list`), file events (`files.list`), and a
 * read-only SQL console over the case with a row cap (`sql.query`). Windows by offset/limit, like the calls table.
 */
import type { Db } from '../db/open';
import type { ParsedParams, Result } from '../../shared/api';
import { jsonOf, num, numOr0, QueryError, str, time, type Row } from './values';
import { parseRfc3339, TimeError } from '../../shared/time';

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

const PROC_SORT: Record<ParsedParams<'process.list'>['sort'], string> = {
  start: 'p.start IS NULL, p.start',
  pid: 'p.pid',
  name: "lower(coalesce(replace(p.exe, rtrim(p.exe, replace(p.exe, '/', '')), ''), '')) ",
  lifetime: '(p.end - p.start) IS NULL, (p.end - p.start)',
  step: 's.number IS NULL, s.number',
  calls: 'calls',
};

export function processList(db: Db, p: ParsedParams<'process.list'>): Result<'process.list'> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const q = p.search?.trim();
  if (q) {
    if (/^\d+$/.test(q)) {
      where.push('(p.pid = ? OR p.ppid = ? OR p.exe LIKE ? ESCAPE \'\\\' OR p.args LIKE ? ESCAPE \'\\\')');
      args.push(Number(q), Number(q), like(q), like(q));
    } else {
      where.push("(p.exe LIKE ? ESCAPE '\\' OR p.args LIKE ? ESCAPE '\\')");
      args.push(like(q), like(q));
    }
  }
  for (const [k, op] of [['from', '>='], ['to', '<=']] as const) {
    const v = p[k];
    if (v === undefined) continue;
    try {
      args.push(parseRfc3339(v) as unknown as number);
    } catch (e) {
      throw new QueryError(`${k}: ${e instanceof TimeError ? e.message : String(e)}`);
    }
    where.push(`p.start ${op} ?`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = numOr0((db.prepare(`SELECT count(*) AS n FROM processes p ${w}`).get(...args) as Row).n);
  const d = p.dir === 'desc' ? 'DESC' : 'ASC';
  const order = PROC_SORT[p.sort].split(',').map((k) => (k.trim().endsWith('IS NULL') ? k : `${k} ${d}`)).join(', ');
  const rows = db
    .prepare(
      `SELECT p.id, p.pid, p.ppid, p.parent_id, p.exe, p.args, p.start, p.end, p.exit_code, s.number AS step_number, s.name AS step_name,
         (SELECT count(*) FROM network n WHERE n.process_id = p.id) AS calls,
         (SELECT count(*) FROM network n WHERE n.process_id = p.id AND n.finding_id IS NOT NULL) AS findings
       FROM processes p LEFT JOIN steps s ON s.id = p.step_id ${w}
       ORDER BY ${order}, p.id ${d} LIMIT ? OFFSET ?`,
    )
    .safeIntegers(true)
    .all(...args, p.limit, p.offset) as Row[];
  return {
    total,
    rows: rows.map((r) => {
      const exe = str(r.exe);
      const argv = jsonOf<string[]>(r.args, []);
      const start = r.start as bigint | null, end = r.end as bigint | null;
      return {
        id: numOr0(r.id),
        pid: numOr0(r.pid),
        ppid: num(r.ppid),
        parent_id: num(r.parent_id),
        name: (exe ? exe.split('/').pop() : argv[0]) || '?',
        exe,
        args: argv,
        start: time(r.start),
        end: time(r.end),
        lifetime_ms: start !== null && end !== null ? Number((end - start) / 1_000_000n) : null,
        exit_code: num(r.exit_code),
        step_number: num(r.step_number),
        step_name: str(r.step_name),
        calls: numOr0(r.calls),
        findings: numOr0(r.findings),
      };
    }),
  };
}

export function dnsList(db: Db, p: ParsedParams<'dns.list'>): Result<'dns.list'> {
  const q = p.search?.trim();
  const w = q ? "WHERE (d.domain LIKE ? ESCAPE '\\' OR d.answers LIKE ? ESCAPE '\\')" : '';
  const args = q ? [like(q), like(q)] : [];
  const total = numOr0((db.prepare(`SELECT count(*) AS n FROM dns d ${w}`).get(...args) as Row).n);
  const rows = db
    .prepare(
      `SELECT d.id, d.ts, d.domain, d.type, d.answers, d.pid, d.process_id,
         (SELECT count(*) FROM network n WHERE n.domain = d.domain AND n.domain_origin = 'dns'
            AND n.ip IN (SELECT a.ip FROM dns_answers a WHERE a.dns_id = d.id)) AS named_calls,
         (SELECT count(*) FROM network n WHERE n.domain = d.domain) AS calls
       FROM dns d ${w} ORDER BY d.ts, d.id LIMIT ? OFFSET ?`,
    )
    .safeIntegers(true)
    .all(...args, p.limit, p.offset) as Row[];
  return {
    total,
    rows: rows.map((r) => ({
      id: numOr0(r.id),
      ts: time(r.ts) ?? '',
      domain: str(r.domain) ?? '',
      type: str(r.type),
      answers: jsonOf<unknown[]>(r.answers, []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))),
      pid: num(r.pid),
      process_id: num(r.process_id),
      calls: numOr0(r.calls),
      named_calls: numOr0(r.named_calls),
    })),
  };
}

export function filesList(db: Db, p: ParsedParams<'files.list'>): Result<'files.list'> {
  const q = p.search?.trim();
  const w = q ? "WHERE (f.path LIKE ? ESCAPE '\\' OR f.op LIKE ? ESCAPE '\\' OR f.exe LIKE ? ESCAPE '\\')" : '';
  const args = q ? [like(q), like(q), like(q)] : [];
  const total = numOr0((db.prepare(`SELECT count(*) AS n FROM file_events f ${w}`).get(...args) as Row).n);
  const rows = db
    .prepare(`SELECT f.id, f.ts, f.pid, f.process_id, f.exe, f.path, f.op, f.sha256 FROM file_events f ${w} ORDER BY f.ts, f.id LIMIT ? OFFSET ?`)
    .safeIntegers(true)
    .all(...args, p.limit, p.offset) as Row[];
  return {
    total,
    rows: rows.map((r) => ({
      id: numOr0(r.id),
      ts: time(r.ts) ?? '',
      pid: num(r.pid),
      process_id: num(r.process_id),
      exe: str(r.exe),
      path: str(r.path) ?? '',
      op: str(r.op) ?? '',
      sha256: str(r.sha256),
    })),
  };
}

/**
 * A read-only SQL statement over the case: one statement, a reader (SELECT / WITH / read-only PRAGMA … the case
 * is opened read-only as well), at most `limit` rows returned (`truncated` says when there were more).
 */
export function sqlQuery(db: Db, p: ParsedParams<'sql.query'>): Result<'sql.query'> {
  let stmt;
  try {
    stmt = db.prepare(p.sql);
  } catch (e) {
    throw new QueryError(`sql: ${(e as Error).message}`);
  }
  if (!stmt.reader || !stmt.readonly) throw new QueryError('sql: only read-only statements that return rows (SELECT, WITH …)');
  stmt.safeIntegers(true).raw(true);
  const columns = stmt.columns().map((c) => c.name);
  const rows: (string | number | null)[][] = [];
  let truncated = false;
  try {
    for (const r of stmt.iterate() as IterableIterator<unknown[]>) {
      if (rows.length >= p.limit) {
        truncated = true;
        break;
      }
      rows.push(
        r.map((v) =>
          v === null || v === undefined
            ? null
            : typeof v === 'bigint'
              ? v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
                ? Number(v)
                : v.toString()
              : typeof v === 'number' || typeof v === 'string'
                ? v
                : Buffer.isBuffer(v)
                  ? `<${v.length} bytes>`
                  : String(v),
        ),
      );
    }
  } catch (e) {
    throw new QueryError(`sql: ${(e as Error).message}`);
  }
  return { columns, rows, truncated };
}
