/**
 * `runlens hunt` over 200 generated runs (real bundles, real importer, cases cached across test runs), checked
 * against the same question asked case by case through `runlens sql`; `runlens export` to Parquet and the same
 * hunts over the Parquet; the read-only guarantees.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/run';
import { CHECKOUT_SHA } from '../../scripts/make-run-bundles';
import { HUNT_ENDPOINT, HUNT_OTHER_SHA, manyRunSpecs, runCases, type RunCase } from '../support/run-cases';
import { buildCli, runlens } from './cli-helpers';

const N = 200;
let runs: RunCase[];
let casesDir: string;
let tmp: string;

/** Runs a runlens command in this process (its real command function) and returns what it printed. */
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout: out };
  } finally {
    spy.mockRestore();
  }
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

beforeAll(async () => {
  await buildCli();
  const built = await runCases(manyRunSpecs(N));
  runs = built.runs;
  casesDir = path.join(built.dir, 'cases');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-hunt-'));
}, 600_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

type Json = { columns: string[]; rows: unknown[][]; cases: number; parquet_files: number };

describe('runlens hunt over 200 runs', () => {
  it('finds the runs that called an endpoint, equal to asking each case through runlens sql', async () => {
    const before = runs.slice(0, 5).map((r) => sha(r.case));
    const r = runlens(['hunt', casesDir, `SELECT DISTINCT run_key FROM network WHERE endpoint = '${HUNT_ENDPOINT}' ORDER BY run_key`, '--json', '--progress']);
    expect(r.code).toBe(0);
    const hunted = JSON.parse(r.stdout) as Json;
    expect(hunted.cases).toBe(N);
    // The progress bar went over every case.
    expect(r.stderr).toContain(`${N}/${N} cases`);
    expect(r.stderr).toContain('done');

    // Case by case: runlens sql on each case file, and its run key from meta.run.
    const expected: string[] = [];
    for (const c of runs) {
      const q = await inProcess(['sql', c.case, `SELECT count(*) AS n, (SELECT value FROM meta WHERE key = 'run') AS run FROM network WHERE endpoint = '${HUNT_ENDPOINT}'`, '--json']);
      expect(q.code).toBe(0);
      const [[n, runJson]] = (JSON.parse(q.stdout) as Json).rows as [[number, string]];
      if (n > 0) {
        const run = JSON.parse(runJson) as { repository: string; run_id: number; run_attempt: number; job: string };
        expected.push(`${run.repository}#${run.run_id}/${run.run_attempt}:${run.job}`);
      }
    }
    expected.sort();
    expect(expected).toHaveLength(Math.floor(N / 7));
    expect(hunted.rows.map((x) => x[0])).toEqual(expected);
    // A hunt reads; it never writes a case.
    expect(runs.slice(0, 5).map((x) => sha(x.case))).toEqual(before);
  });

  it('ready-made hunts: endpoint (with call counts), command, action commit changed', async () => {
    const ep = JSON.parse(runlens(['hunt', casesDir, '--endpoint', 'telemetry.exfil.example', '--json']).stdout) as Json;
    const seeds = runs.filter((c) => c.spec.extraEndpoints?.length).map((c) => c.spec.seed);
    expect(ep.rows.map((x) => x[ep.columns.indexOf('run_id')])).toEqual(seeds.map((s) => 19_000_000_000 + s));
    expect(new Set(ep.rows.map((x) => x[ep.columns.indexOf('calls')]))).toEqual(new Set([1]));
    expect(new Set(ep.rows.map((x) => x[ep.columns.indexOf('processes')]))).toEqual(new Set(['/usr/bin/curl']));

    const cmd = JSON.parse(runlens(['hunt', casesDir, '--command', 'telemetry.exfil.example/v2', '--json']).stdout) as Json;
    expect(cmd.rows.map((x) => x[cmd.columns.indexOf('run_id')])).toEqual(seeds.map((s) => 19_000_000_000 + s));
    expect(new Set(cmd.rows.map((x) => x[cmd.columns.indexOf('steps')]))).toEqual(new Set(['Run npm ci']));

    const act = JSON.parse(runlens(['hunt', casesDir, '--action-changed', 'actions/checkout', '--json']).stdout) as Json;
    const got = act.rows.map((x) => [x[act.columns.indexOf('run_id')], x[act.columns.indexOf('previous_ref')], x[act.columns.indexOf('ref')]]);
    const want: unknown[][] = [];
    for (let i = 50; i <= N; i += 50) {
      want.push([19_000_000_000 + i, CHECKOUT_SHA, HUNT_OTHER_SHA]);
      if (i + 1 <= N) want.push([19_000_000_000 + i + 1, HUNT_OTHER_SHA, CHECKOUT_SHA]);
    }
    expect(got).toEqual(want);
  });

  it('export to Parquet: identity and input hashes on every row; the same hunt over the Parquet gives the same answer', async () => {
    const pq = path.join(tmp, 'parquet');
    const some = runs.slice(0, 8);
    for (const c of some) {
      const e = runlens(['export', c.case, '--parquet', pq, '--json']);
      expect(e.code).toBe(0);
      const s = JSON.parse(e.stdout) as { files: { table: string; rows: number }[]; inputs_sha256: string };
      expect(s.files.find((f) => f.table === 'network')!.rows).toBeGreaterThan(0);
    }
    expect(fs.readdirSync(path.join(pq, 'network'))).toHaveLength(some.length);
    // Every row of every table names its run and its inputs' hashes, as the case's meta says.
    const ids = JSON.parse(
      runlens(['hunt', pq, `SELECT count(*) FILTER (WHERE run_key IS NULL OR inputs_sha256 IS NULL OR inputs IS NULL) AS missing,
        count(DISTINCT run_key) AS runs, min(inputs) AS one FROM (SELECT run_key, inputs_sha256, inputs FROM network UNION ALL BY NAME
        SELECT run_key, inputs_sha256, inputs FROM processes UNION ALL BY NAME SELECT run_key, inputs_sha256, inputs FROM steps)`, '--json']).stdout,
    ) as Json;
    expect(ids.rows[0]![0]).toBe(0);
    expect(ids.rows[0]![1]).toBe(some.length);
    // Every table's every row (all Parquet files under the folder at once), against the case's own meta.inputs.
    const all = JSON.parse(
      runlens(['hunt', pq, `SELECT count(*) AS n, count(*) FILTER (WHERE run_key IS NULL OR inputs_sha256 IS NULL OR inputs IS NULL) AS missing,
        count(DISTINCT regexp_extract(filename, '/([^/]+)/[^/]+$', 1)) AS tables
        FROM read_parquet('${pq}/*/*.parquet', union_by_name = true, filename = true)`, '--json']).stdout,
    ) as Json;
    expect(all.rows[0]![1]).toBe(0);
    // Tables with rows (empty tables are files without rows); and a folder per table of the case, plus runs.
    expect(all.rows[0]![2]).toBeGreaterThanOrEqual(8);
    expect(fs.readdirSync(pq).filter((f) => fs.statSync(path.join(pq, f)).isDirectory()).length).toBeGreaterThanOrEqual(14);
    for (const c of some.slice(0, 3)) {
      const metaInputs = JSON.parse((JSON.parse((await inProcess(['sql', c.case, "SELECT value FROM meta WHERE key = 'inputs'", '--json'])).stdout) as Json).rows[0]![0] as string) as { sha256: string }[];
      const want = createHash('sha256').update(metaInputs.map((x) => x.sha256).join('\n')).digest('hex');
      const got = JSON.parse(runlens(['hunt', pq, `SELECT DISTINCT inputs_sha256, inputs FROM steps WHERE run_id = ${19_000_000_000 + c.spec.seed}`, '--json']).stdout) as Json;
      expect(got.rows).toHaveLength(1);
      expect(got.rows[0]![0]).toBe(want);
      expect((JSON.parse(got.rows[0]![1] as string) as { sha256: string }[]).map((x) => x.sha256)).toEqual(metaInputs.map((x) => x.sha256));
    }

    const q = `SELECT run_key, count(*) AS calls FROM network WHERE endpoint = '${HUNT_ENDPOINT}' GROUP BY run_key ORDER BY run_key`;
    const fromParquet = JSON.parse(runlens(['hunt', pq, q, '--json']).stdout) as Json;
    const subset = path.join(tmp, 'subset');
    fs.mkdirSync(subset);
    for (const c of some) fs.copyFileSync(c.case, path.join(subset, path.basename(c.case)));
    const fromCases = JSON.parse(runlens(['hunt', subset, q, '--json']).stdout) as Json;
    expect(fromParquet.parquet_files).toBeGreaterThan(0);
    expect(fromParquet.rows).toEqual(fromCases.rows);
    expect(fromParquet.rows).toHaveLength(1);
    // Cases and their own exports side by side: each run counted once.
    for (const f of fs.readdirSync(subset)) fs.copyFileSync(path.join(subset, f), path.join(pq, f));
    const both = runlens(['hunt', pq, q, '--json']);
    expect((JSON.parse(both.stdout) as Json).rows).toEqual(fromCases.rows);
    expect(both.stderr).toContain('exported as Parquet');
  });

  it('is read-only: no writes, no files outside the folder, one statement', () => {
    const dir = runs[0]!.case.replace(/[^/]+$/, '');
    const copy = runlens(['hunt', dir, `COPY (SELECT * FROM network) TO '${path.join(tmp, 'x.csv')}'`]);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toMatch(/only a single SELECT|disabled by configuration/);
    expect(fs.existsSync(path.join(tmp, 'x.csv'))).toBe(false);
    const outside = runlens(['hunt', dir, "SELECT * FROM read_csv('/etc/hostname')"]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/disabled by configuration|Permission/);
    expect(runlens(['hunt', dir, 'SELECT 1; SELECT 2']).code).toBe(1);
    expect(runlens(['hunt', dir, 'SET lock_configuration = false']).code).toBe(1);
    expect(runlens(['hunt', path.join(tmp, 'nope'), 'SELECT 1']).code).toBe(1);
    expect(runlens(['hunt', dir]).code).toBe(2);
  });
});
