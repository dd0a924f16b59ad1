/**
 * Is this file's schema one Runlens made? A case may come from anyone (a colleague, a ticket, an attacker), and
 * SQLite runs the SQL stored in a file's schema when a query touches it: a view (`steps` as a recursive view hangs
 * every reader), a trigger, a generated column, a different virtual table. So before any query reads a case, its
 * `sqlite_schema` must hold exactly the objects the migrations create at its version — same type, name, table and
 * definition (compared without comments and whitespace) — and nothing else. The expected schema is not a copy kept
 * by hand: it is read from an in-memory database the migrations themselves build, so a new migration is covered.
 */
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index';
import { nativeBinding } from './native-binding';

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Tables SQLite itself creates (ANALYZE statistics); data only, never code, so they may be present. */
const OPTIONAL: readonly SchemaRow[] = [
  { type: 'table', name: 'sqlite_stat1', tbl_name: 'sqlite_stat1', sql: 'CREATE TABLE sqlite_stat1(tbl,idx,stat)' },
  { type: 'table', name: 'sqlite_stat4', tbl_name: 'sqlite_stat4', sql: 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)' },
];

/**
 * A definition without comments, with runs of whitespace made one space (quote-aware: nothing inside '…', "…",
 * `…` or […] changes), so that two texts of the same statement compare equal and nothing executable can hide.
 */
export function normalizeSql(sql: string | null): string | null {
  if (sql === null) return null;
  let out = '';
  let i = 0;
  const n = sql.length;
  let space = false;
  const put = (s: string) => {
    if (space && out !== '') out += ' ';
    space = false;
    out += s;
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        if (j >= n) break;
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      put(sql.slice(i, Math.min(j + 1, n)));
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
      space = true;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      space = true;
    } else if (/\s/.test(c)) {
      space = true;
      i++;
    } else {
      put(c);
      i++;
    }
  }
  return out;
}

const key = (r: SchemaRow) => `${r.type} ${r.name}`;

const expectedByVersion = new Map<number, Map<string, SchemaRow>>();

/** The schema the migrations build up to `version`, from a scratch in-memory database. */
export function expectedSchema(version: number): Map<string, SchemaRow> {
  let m = expectedByVersion.get(version);
  if (m) return m;
  const mem = new Database(':memory:', { nativeBinding: nativeBinding() });
  try {
    for (const mig of MIGRATIONS) if (mig.version <= version) mem.exec(mig.sql);
    m = new Map();
    for (const r of readSchema(mem)) m.set(key(r), r);
  } finally {
    mem.close();
  }
  expectedByVersion.set(version, m);
  return m;
}

function readSchema(db: Database.Database): SchemaRow[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').all() as SchemaRow[];
}

/**
 * What differs from the migrations' schema at `version` (empty: the schema can be trusted). At most 20 lines.
 * `ahead`: a later version whose objects may be there already, each exactly as defined (a partial case being
 * built: its importer creates the calls' indexes before the load, where their migration's version comes after it).
 */
export function schemaProblems(db: Database.Database, version: number, ahead?: number): string[] {
  const expected = expectedSchema(version);
  const later = ahead !== undefined && ahead > version ? expectedSchema(ahead) : null;
  const problems: string[] = [];
  const seen = new Set<string>();
  let rows: SchemaRow[];
  try {
    rows = readSchema(db);
  } catch (e) {
    return [`unreadable schema: ${(e as Error).message}`];
  }
  for (const r of rows) {
    if (problems.length >= 20) break;
    const k = key(r);
    const label = `${r.type} ${JSON.stringify(r.name)}`;
    if (seen.has(k)) {
      problems.push(`${label} twice`);
      continue;
    }
    seen.add(k);
    const want = expected.get(k) ?? later?.get(k) ?? OPTIONAL.find((o) => key(o) === k);
    if (!want) {
      problems.push(r.type === 'view' || r.type === 'trigger' ? `has a ${r.type} ${JSON.stringify(r.name)} (a case has none)` : `unexpected ${label}`);
      continue;
    }
    if (r.tbl_name !== want.tbl_name || normalizeSql(r.sql) !== normalizeSql(want.sql)) problems.push(`${label} is not defined as Runlens defines it`);
  }
  for (const k of expected.keys()) if (!seen.has(k) && problems.length < 20) problems.push(`missing ${k}`);
  return problems;
}
