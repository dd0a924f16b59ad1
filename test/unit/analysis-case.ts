/**
 * Test helper for the analysis tests: a real case file in a temp dir, with rows inserted the way the importer's
 * writer would (migration 1 tables, analysis columns NULL), before `finalizeCase` runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCase, type Db } from '../../electron/db/open';
import { finalizeCase } from '../../electron/analysis/finalize';
import type { ImportWarning } from '../../shared/model';
import { parseRfc3339 } from '../../shared/time';

export const BASE = parseRfc3339('2026-10-14T09:12:00Z');
/** BASE + seconds (fractional seconds to the nanosecond). */
export const at = (seconds: number): bigint => BASE + BigInt(Math.round(seconds * 1e9));
export const MS = 1_000_000n;

export interface TestCase {
  db: Db;
  warnings: ImportWarning[];
  finalize(opts?: { contextSeconds?: number }): void;
  close(): void;
}

export function newCase(): TestCase {
  const dir = mkdtempSync(path.join(tmpdir(), 'runlens-analysis-'));
  const db = createCase(path.join(dir, 'case.runlens'));
  const warnings: ImportWarning[] = [];
  return {
    db,
    warnings,
    finalize: (opts = {}) => finalizeCase(db, { ...opts, warn: (w) => warnings.push(w) }),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function source(db: Db, p: string): number {
  return Number(db.prepare("INSERT INTO sources (path, member, format, sha256, bytes) VALUES (?, ?, 'test', 'x', 0)").run(p, p).lastInsertRowid);
}

export function meta(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, JSON.stringify(value));
}

export interface ExecOpts {
  ts: bigint;
  pid: number;
  ppid?: number | null;
  exe?: string | null;
  args?: string[] | null;
  cwd?: string | null;
  key?: string | null;
  parent_key?: string | null;
  origin?: 'events' | 'table';
  source_id?: number | null;
  line?: number | null;
}

export function exec(db: Db, o: ExecOpts): number {
  return Number(
    db
      .prepare(
        `INSERT INTO process_events (ts, event, pid, ppid, exe, args, cwd, key, parent_key, origin, source_id, line, raw)
         VALUES (?, 'exec', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        o.ts, o.pid, o.ppid ?? null, o.exe ?? null, o.args ? JSON.stringify(o.args) : null, o.cwd ?? null, o.key ?? null,
        o.parent_key ?? null, o.origin ?? 'events', o.source_id ?? null, o.line ?? null,
        JSON.stringify({ event: 'exec', pid: o.pid, exe: o.exe ?? null }),
      ).lastInsertRowid,
  );
}

export function exit(db: Db, o: { ts: bigint; pid: number; exit_code?: number; key?: string; origin?: 'events' | 'table'; source_id?: number | null }): number {
  return Number(
    db
      .prepare(
        `INSERT INTO process_events (ts, event, pid, exit_code, key, origin, source_id, raw) VALUES (?, 'exit', ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.ts, o.pid, o.exit_code ?? 0, o.key ?? null, o.origin ?? 'events', o.source_id ?? null, '{"event":"exit"}').lastInsertRowid,
  );
}

export function step(db: Db, o: { job?: string; number: number; name: string; uses?: string; start: bigint | null; end: bigint | null }): number {
  return Number(
    db
      .prepare(`INSERT INTO steps (job, number, name, uses, started_at, completed_at, origin) VALUES (?, ?, ?, ?, ?, ?, 'manifest')`)
      .run(o.job ?? 'test', o.number, o.name, o.uses ?? null, o.start, o.end).lastInsertRowid,
  );
}

export function call(
  db: Db,
  o: { ts: bigint; pid?: number | null; domain?: string | null; ip?: string | null; port?: number; status?: string; http_host?: string | null },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO network (ts, pid, domain, domain_origin, ip, port, status, http_host, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}')`,
      )
      .run(
        o.ts, o.pid ?? null, o.domain ?? null, o.domain ? 'record' : null, o.ip ?? null, o.port ?? 443, o.status ?? 'allowed',
        o.http_host ?? null,
      ).lastInsertRowid,
  );
}

export function resolution(db: Db, o: { ts: bigint; domain: string; answers: string[]; pid?: number | null }): number {
  const id = Number(
    db
      .prepare(`INSERT INTO dns (ts, domain, type, answers, pid, raw) VALUES (?, ?, 'A', ?, ?, '{}')`)
      .run(o.ts, o.domain, JSON.stringify(o.answers), o.pid ?? null).lastInsertRowid,
  );
  for (const ip of o.answers) db.prepare('INSERT INTO dns_answers (dns_id, ip, ts, domain) VALUES (?, ?, ?, ?)').run(id, ip, o.ts, o.domain);
  return id;
}

export interface ProcRow {
  id: number;
  pid: number;
  ppid: number | null;
  parent_id: number | null;
  start: bigint | null;
  end: bigint | null;
  exe: string | null;
  args: string | null;
  depth: number;
  root_reason: string | null;
  step_id: number | null;
  entry_id: number | null;
  exit_code: number | null;
  key: string | null;
}

export function processes(db: Db): ProcRow[] {
  const rows = db.prepare('SELECT * FROM processes ORDER BY id').safeIntegers(true).all() as Record<string, unknown>[];
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v as bigint));
  return rows.map((r) => ({
    id: Number(r.id as bigint),
    pid: Number(r.pid as bigint),
    ppid: num(r.ppid),
    parent_id: num(r.parent_id),
    start: (r.start as bigint | null) ?? null,
    end: (r.end as bigint | null) ?? null,
    exe: (r.exe as string | null) ?? null,
    args: (r.args as string | null) ?? null,
    depth: Number(r.depth as bigint),
    root_reason: (r.root_reason as string | null) ?? null,
    step_id: num(r.step_id),
    entry_id: num(r.entry_id),
    exit_code: num(r.exit_code),
    key: (r.key as string | null) ?? null,
  }));
}

export function procByExe(db: Db, exe: string): ProcRow[] {
  return processes(db).filter((p) => p.exe === exe);
}

export interface CallRow {
  id: number;
  process_id: number | null;
  domain: string | null;
  domain_origin: string | null;
  endpoint: string | null;
  verdict: string | null;
  finding_id: number | null;
  step_id: number | null;
  running_step_id: number | null;
}

export function callRow(db: Db, id: number): CallRow {
  const r = db
    .prepare('SELECT id, process_id, domain, domain_origin, endpoint, verdict, finding_id, step_id, running_step_id FROM network WHERE id = ?')
    .get(id) as CallRow;
  return r;
}
