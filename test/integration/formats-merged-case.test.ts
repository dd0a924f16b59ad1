/**
 * One coherent case from three real-world sources imported together: a GitHub job log whose post step printed
 * Harden-Runner agent lines, a process table exported by an agent (CSV with header aliases), and the Harden-Runner
 * config. Real SQLite file in a temp dir, real importers, real analysis: every call lands on its process, its step
 * (the step whose process tree made it) and its running step (the step on screen when it happened).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { parseRfc3339 } from '../../shared/time';

const F = path.join('test', 'fixtures', 'formats', 'merged');
let dir: string;
let summary: ImportSummary;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-formats-'));
  summary = await runImport({
    inputs: [path.join(F, 'job-log.txt'), path.join(F, 'processes.csv'), path.join(F, 'agent.json')],
    casePath: path.join(dir, 'merged.runlens'),
  });
  db = new Database(summary.case, { readonly: true });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface CallRow {
  ts: bigint;
  ip: string;
  port: bigint;
  domain: string | null;
  domain_origin: string | null;
  pid: bigint | null;
  status: string;
  verdict: string;
  endpoint: string;
  proc_pid: bigint | null;
  proc_exe: string | null;
  step: bigint | null;
  running: bigint | null;
  line: bigint;
  source_format: string;
}

describe('merged case: job log with Harden-Runner output + process table + agent config', () => {
  it('each file was recognised by content', () => {
    const src = db.prepare('SELECT path, format FROM sources ORDER BY id').all() as { path: string; format: string }[];
    expect(src.map((s) => [path.basename(s.path), s.format])).toEqual([
      ['job-log.txt', 'gha-log'],
      ['processes.csv', 'process-table'],
      ['agent.json', 'harden-runner-config'],
    ]);
    expect(summary.counts).toMatchObject({ network: 4, dns: 2, processes: 8, steps: 7 });
  });

  it('calls carry the agent time, their process, step and running step', () => {
    const rows = db
      .prepare(
        `SELECT n.ts, n.ip, n.port, n.domain, n.domain_origin, n.pid, n.status, n.verdict, n.endpoint, n.line,
                p.pid AS proc_pid, p.exe AS proc_exe, s.number AS step, r.number AS running, src.format AS source_format
           FROM network n
           LEFT JOIN processes p ON p.id = n.process_id
           LEFT JOIN steps s ON s.id = n.step_id
           LEFT JOIN steps r ON r.id = n.running_step_id
           JOIN sources src ON src.id = n.source_id
          ORDER BY n.ts`,
      )
      .safeIntegers(true)
      .all() as CallRow[];
    expect(rows.map((r) => [r.ts, r.endpoint, r.proc_pid, r.step, r.running, r.line, r.source_format])).toEqual([
      // node (npm ci) -> registry: step 4 "Run npm ci"
      [parseRfc3339('2026-06-17T08:40:35Z'), 'registry.example.com:443', 2401n, 4n, 4n, 30n, 'gha-log'],
      // the background telemetry agent started by step 3 calls out while step 4 runs; its domain comes from DNS
      [parseRfc3339('2026-06-17T08:40:37Z'), 'collector.example.org:443', 2150n, 3n, 4n, 32n, 'gha-log'],
      // curl in step 5
      [parseRfc3339('2026-06-17T08:40:51Z'), '198.51.100.23:8443', 2460n, 5n, 5n, 33n, 'gha-log'],
      // a drop without a pid: only its running step is known
      [parseRfc3339('2026-06-17T08:40:52Z'), '192.0.2.66:0', null, 5n, 5n, 34n, 'gha-log'],
    ]);
    expect(rows[1]).toMatchObject({ domain: 'collector.example.org', domain_origin: 'dns', proc_exe: '/home/runner/work/app/app/scripts/telemetry-agent' });
    expect(rows.map((r) => r.verdict)).toEqual(['allowed', 'outside-policy', 'outside-policy', 'blocked']);
    expect(rows[3]!.status).toBe('blocked');
  });

  it('process chains reach the runner worker; entry processes map to their steps', () => {
    const chain = (pid: number): number[] => {
      const out: number[] = [];
      let row = db.prepare('SELECT id, pid, parent_id FROM processes WHERE pid = ?').get(pid) as { id: number; pid: number; parent_id: number | null } | undefined;
      while (row) {
        out.push(row.pid);
        row = row.parent_id === null ? undefined : (db.prepare('SELECT id, pid, parent_id FROM processes WHERE id = ?').get(row.parent_id) as typeof row);
      }
      return out;
    };
    expect(chain(2150)).toEqual([2150, 2100, 1800, 1700]);
    expect(chain(2401)).toEqual([2401, 2300, 1800, 1700]);
    expect(chain(2460)).toEqual([2460, 2450, 1800, 1700]);
    const steps = db.prepare('SELECT p.pid, s.number FROM processes p JOIN steps s ON s.id = p.step_id ORDER BY p.pid').all() as { pid: number; number: number }[];
    expect(steps.map((s) => [s.pid, s.number])).toEqual([[2100, 3], [2150, 3], [2300, 4], [2401, 4], [2450, 5], [2460, 5]]);
  });

  it('the policy is the Harden-Runner config; DNS from the agent lines; steps from the log', () => {
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value)]),
    );
    expect(meta.policy).toEqual({ egress_policy: 'audit', allowed_endpoints: ['registry.example.com:443', 'github.com:443'], origin: 'harden-runner' });
    expect(meta.run).toMatchObject({ repository: 'acme/app', run_id: '18311492377' });
    const dns = db.prepare('SELECT domain, answers FROM dns ORDER BY ts').all() as { domain: string; answers: string }[];
    expect(dns.map((d) => [d.domain, JSON.parse(d.answers)])).toEqual([
      ['registry.example.com', ['203.0.113.10']],
      ['collector.example.org', ['198.51.100.77']],
    ]);
    const names = (db.prepare('SELECT number, name FROM steps ORDER BY number').all() as { number: number; name: string }[]).map((s) => s.name);
    expect(names.slice(1, 5)).toEqual(['Run step-security/harden-runner@v2', 'Run ./scripts/start-telemetry.sh &', 'Run npm ci', 'Run curl -sS https://198.51.100.23:8443/ping']);
  });
});
