/**
 * The second field test of issue 10: real GitHub log archives and job logs from public repositories the project had
 * never seen (test/fixtures/SOURCES.md, "Field test, second round"), imported whole and checked against what the files
 * say. Every figure asserted here was read off the files by hand (`unzip`, `wc -l`, `grep`), not off Runlens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yauzl from 'yauzl';
import { afterAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/cli/case-arg';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { expectAccounted, sha256File, tempDir } from './import-helpers';

const GHA = fileURLToPath(new URL('../fixtures/gha/', import.meta.url));
const KRISTINA = path.join(GHA, 'kristina157_logs_1.zip');
const SESION5 = path.join(GHA, 'sesion5-integracion-continua_logs_1.zip');
const CALCULATR = path.join(GHA, 'calculatr_logs_1.zip');
const OPENWRT = path.join(GHA, 'openwrt-home_0_build_redacted.txt');
const ANTHROSHIM = path.join(GHA, 'anthroshim_0_build_redacted.txt');
const MIMOS = path.join(GHA, 'mimos_logs_1_redacted.zip');

/** One member of a zip, as stored. */
async function member(file: string, name: string): Promise<Buffer> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  return new Promise<Buffer>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      zip.openReadStream(entry, (e, st) => {
        if (e) return rej(e);
        const parts: Buffer[] = [];
        st!.on('data', (c: Buffer) => parts.push(c));
        st!.on('end', () => {
          zip.close();
          res(Buffer.concat(parts));
        });
      });
    });
    zip.on('end', () => rej(new Error(`${name} not in ${file}`)));
    zip.on('error', rej);
    zip.readEntry();
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Step {
  job: string;
  number: number;
  name: string;
  uses: string | null;
  action_sha: string | null;
  conclusion: string | null;
  lines: number;
}

interface Facts {
  summary: ImportSummary;
  jobs: string[];
  kinds: Record<string, number>;
  steps: Step[];
  errors: number;
  warnings: number;
  logLines: number;
  run: Record<string, unknown> | null;
  ips: string[];
}

async function importFacts(input: string): Promise<Facts> {
  const dir = tempDir('rl-gha-fieldtest-');
  dirs.push(dir);
  const casePath = path.join(dir, 'case.runlens');
  const before = sha256File(input);
  const summary = await runImport({ inputs: [input], casePath });
  expect(sha256File(input)).toBe(before);
  const db = openCase(casePath);
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const meta = db.prepare(`SELECT value FROM meta WHERE key = 'run'`).get() as { value: string } | undefined;
    return {
      summary,
      jobs: all<{ job: string }>(`SELECT DISTINCT job FROM log_lines ORDER BY job`).map((r) => r.job),
      kinds: Object.fromEntries(
        all<{ k: string; n: number }>(`SELECT job || ':' || file_kind AS k, count(*) AS n FROM log_lines GROUP BY 1`).map((r) => [r.k, r.n]),
      ),
      steps: all<Step>(
        `SELECT job, number, name, uses, action_sha, conclusion, (SELECT count(*) FROM log_lines l WHERE l.step_id = s.id) AS lines
         FROM steps s ORDER BY job, number`,
      ),
      errors: one(`SELECT count(*) AS n FROM log_lines WHERE marker = 'error'`),
      warnings: one(`SELECT count(*) AS n FROM log_lines WHERE marker = 'warning'`),
      logLines: one(`SELECT count(*) AS n FROM log_lines`),
      run: meta ? (JSON.parse(meta.value) as Record<string, unknown> | null) : null,
      ips: all<{ value: string }>(`SELECT DISTINCT value FROM log_mentions WHERE kind = 'ip' ORDER BY value`).map((r) => r.value),
    };
  } finally {
    db.close();
  }
}

const short = (steps: Step[], job: string) => steps.filter((s) => s.job === job).map((s) => [s.number, s.name, s.lines, s.conclusion]);

describe('older layout, 2020 (kristina157 logs_1.zip): the preparation log named `<job> (1).txt` is no job of its own', () => {
  it('one job `Hello world action`: its job log whole, the 8 preparation lines placed as its runner lines, its 4 steps', async () => {
    const f = await importFacts(KRISTINA);
    expectAccounted(f.summary);
    // `1_Hello world action (1).txt` begins `##[section]Starting: Prepare job build`: preparation, not a job
    expect(f.jobs).toEqual(['Hello world action']);
    expect(f.kinds).toEqual({ 'Hello world action:job': 142, 'Hello world action:prep': 8 });
    expect(short(f.steps, 'Hello world action')).toEqual([
      [1, 'Set up job', 19, null],
      [2, 'Run actions/checkout@v1', 91, null],
      [3, 'Run ./action-a', 31, null],
      [4, 'Complete job', 1, null],
    ]);
    expect(f.steps.length).toBe(4);
    // 2020: `Download action repository 'actions/checkout@v1'` names no commit
    expect(f.steps.find((s) => s.number === 2)).toMatchObject({ uses: 'actions/checkout@v1', action_sha: null });
    expect(f.errors).toBe(0);
  });
});

describe('older layout, 2023 (sesion5-integracion-continua logs_1.zip): `1_build (1).txt` prepares `build`', () => {
  it('one job `build` (174 job-log lines, 8 preparation lines), its steps from the step files, repository from the log', async () => {
    const f = await importFacts(SESION5);
    expectAccounted(f.summary);
    expect(f.jobs).toEqual(['build']);
    expect(f.kinds).toEqual({ 'build:job': 174, 'build:prep': 8 });
    expect(f.steps.map((s) => [s.number, s.name, s.uses, s.action_sha])).toEqual([
      [1, 'Set up job', null, null],
      [2, 'Run actions/checkout@v2', 'actions/checkout@v2', 'ee0669bd1cc54295c223e0bb666b733df41de1c5'],
      [3, 'Use Node.js', 'actions/setup-node@v2', '7c12f8017d5436eb855f1ed4399f037a36fbd9e8'],
      [4, 'Install dependencies', null, null],
      [5, 'Run tests', null, null],
      [9, 'Post Use Node.js', 'actions/setup-node@v2', '7c12f8017d5436eb855f1ed4399f037a36fbd9e8'],
      [10, 'Post Run actions/checkout@v2', 'actions/checkout@v2', 'ee0669bd1cc54295c223e0bb666b733df41de1c5'],
      [11, 'Complete job', null, null],
    ]);
    // the job log's lines, each in its step (Set up job also holds the 5 runner lines heading the 2023 job log)
    expect(f.steps.map((s) => s.lines)).toEqual([32, 85, 8, 17, 18, 1, 12, 1]);
    expect(f.run).toMatchObject({
      repository: 'organizacion-sesion-3-javiermartingomez/sesion5-integracion-continua',
      workflow_path: '.github/workflows/main.yml',
      ref: 'refs/heads/main',
      job: 'build',
    });
  });
});

describe('a matrix job, 2023 (CalculatR logs_1.zip): two jobs, the matrix’s preparation log `1_build.txt`', () => {
  it('jobs `build (Debug)` and `build (Release)` whole; `1_build.txt` is preparation (no steps); failed and cancelled steps as logged', async () => {
    const f = await importFacts(CALCULATR);
    expectAccounted(f.summary);
    expect(f.kinds).toEqual({ 'build:prep': 13, 'build (Debug):job': 389, 'build (Release):job': 338 });
    expect(f.steps.filter((s) => s.job === 'build')).toEqual([]);
    expect(short(f.steps, 'build (Debug)')).toEqual([
      [1, 'Set up job', 44, null],
      [2, 'Checkout', 251, null],
      [3, 'Install .NET Core', 20, null],
      [4, 'CalculatR', 12, null],
      [5, 'Execute unit tests', 34, null],
      [6, 'Restore the application', 15, 'failure'],
      [20, 'Post Checkout', 12, null],
      [21, 'Complete job', 1, null],
    ]);
    // Release was cancelled by fail-fast: `##[error]The operation was canceled.` ends its step 4
    expect(short(f.steps, 'build (Release)')).toEqual([
      [1, 'Set up job', 44, null],
      [2, 'Checkout', 251, null],
      [3, 'Install .NET Core', 20, null],
      [4, 'CalculatR', 10, 'cancelled'],
      [20, 'Post Checkout', 12, null],
      [21, 'Complete job', 1, null],
    ]);
    expect(f.steps.find((s) => s.job === 'build (Debug)' && s.number === 4)).toMatchObject({
      uses: 'microsoft/setup-msbuild@v1.0.2',
      action_sha: 'c26a08ba26249b81327e26f6ef381897b6a8754d',
    });
    expect([f.errors, f.warnings]).toEqual([2, 1]);
  });
});

describe('a 2026 job log alone (OPENWRT-HOME 0_build.txt): Debian package versions are not IP addresses', () => {
  it('mentions the one address the log writes (192.168.0.133), not `6.12.0.200-0xamarin2`, `0ubuntu1.17.10.1`, `8.0+4.0.5.2+…`', async () => {
    const f = await importFacts(OPENWRT);
    expectAccounted(f.summary);
    expect(f.logLines).toBe(7126);
    expect(f.steps.length).toBe(16);
    expect(f.steps.filter((s) => s.conclusion === 'failure').map((s) => s.number)).toEqual([12]);
    expect([f.errors, f.warnings]).toEqual([1, 2]);
    expect(f.ips).toEqual(['192.168.0.133']);
  });
});

describe('a 2026 job log alone (anthroshim 0_build.txt): a JavaScript action that fails says so only in its last `##[error]`', () => {
  it('marks `Run docker/build-push-action@v5` failed (its last line `##[error]buildx failed with: …`), no other step', async () => {
    const f = await importFacts(ANTHROSHIM);
    expectAccounted(f.summary);
    expect(f.logLines).toBe(1105);
    expect(f.steps.map((s) => [s.number, s.name, s.uses, s.action_sha, s.conclusion])).toEqual([
      [1, 'Set up job', null, null, null],
      [2, 'Run actions/checkout@v4', 'actions/checkout@v4', '34e114876b0b11c390a56381ad16ebd13914f8d5', null],
      [3, 'Run docker/setup-qemu-action@v3', 'docker/setup-qemu-action@v3', 'c7c53464625b32c7a7e944ae62b3e17d2b600130', null],
      [4, 'Run docker/setup-buildx-action@v3', 'docker/setup-buildx-action@v3', '8d2750c68a42422c14e847fe6c8ac0403b4cbd6f', null],
      [5, 'Run docker/login-action@v3', 'docker/login-action@v3', 'c94ce9fb468520275223c153574b00df6fe4bcc9', null],
      [6, 'Run docker/metadata-action@v5', 'docker/metadata-action@v5', 'c299e40c65443455700f0fdfc63efafe5b349051', null],
      [7, 'Run docker/build-push-action@v5', 'docker/build-push-action@v5', 'ca052bb54ab0790a636c9b5f226502c73d547a25', 'failure'],
      [8, 'Post job cleanup.', null, null, null],
      [9, 'Post job cleanup.', null, null, null],
      [10, 'Post job cleanup.', null, null, null],
      [11, 'Post job cleanup.', null, null, null],
      [12, 'Post job cleanup.', null, null, null],
      [13, 'Complete job', null, null, null],
    ]);
    expect(f.errors).toBe(1);
  });
});

describe('a Docker action’s image build, 2026 (MIMOS logs_1.zip, two host names redacted): a step of its own', () => {
  const BUILD = ['Build appleboy/scp-action@v0.1.7', 'appleboy/scp-action@v0.1.7', '917f8b81dfc1ccd331fef9e2d61bdc6c8be94634'];
  it('the archive names step 2 as GitHub does (`2_Build appleboy_scp-action@v0.1.7.txt` lost its `/`), with its action and commit', async () => {
    const f = await importFacts(MIMOS);
    expectAccounted(f.summary);
    expect(f.kinds).toEqual({ 'Build and Deploy:job': 449, 'Build and Deploy:system': 8 });
    const two = f.steps.find((s) => s.number === 2)!;
    expect([two.name, two.uses, two.action_sha]).toEqual(BUILD);
    expect(f.steps.filter((s) => s.conclusion !== null).map((s) => [s.number, s.name, s.conclusion])).toEqual([[10, 'Deploy on VPS', 'failure']]);
    expect(f.steps.find((s) => s.number === 9)).toMatchObject({ uses: 'appleboy/scp-action@v0.1.7', action_sha: '917f8b81dfc1ccd331fef9e2d61bdc6c8be94634' });
    expect([f.errors, f.warnings]).toEqual([1, 1]);
  });
  it('its job log alone opens the same step at `##[group]Build container for action use: …` (line 35), with the same lines', async () => {
    const dir = tempDir('rl-gha-fieldtest-');
    dirs.push(dir);
    const txt = path.join(dir, '0_Build and Deploy.txt');
    fs.writeFileSync(txt, await member(MIMOS, '0_Build and Deploy.txt'));
    const alone = await importFacts(txt);
    const archive = await importFacts(MIMOS);
    const a = alone.steps.find((s) => s.number === 2)!;
    expect([a.name, a.uses, a.action_sha]).toEqual(BUILD);
    // Set up job: the job log's lines 1-34 either way
    expect(alone.steps.find((s) => s.number === 1)!.lines).toBe(34);
    expect(archive.steps.find((s) => s.number === 1)!.lines).toBe(34);
    // the build: lines 35-82 in the archive (its step file's 48 lines); read alone also line 83, `Node 20 is being
    // deprecated…`, which the runner wrote before `##[group]Run actions/checkout@v4` and GitHub files with the checkout
    // step (its `3_Checkout code.txt` begins with it): nothing in the job log says so
    expect(archive.steps.find((s) => s.number === 2)!.lines).toBe(48);
    expect(a.lines).toBe(49);
  });
});
