/**
 * Real GitHub Actions log archives (test/fixtures/SOURCES.md, "Real GitHub Actions log archives"), imported whole:
 * every layout keeps the job-level log, runner lines and preparation logs are placed, step names, actions with
 * commits, failed steps and annotations come from the log, and an archive, its extracted folder and its job .txt
 * give the same answers. The figures asserted were read off the files by hand (`wc -l`, `grep`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipMembers } from '../../scripts/zip-members';
import { afterAll, describe, expect, it } from 'vitest';
import { openCase } from '../../electron/cli/case-arg';
import { runImport, type ImportSummary } from '../../electron/import/run-import';
import { expectAccounted, makeZip, sha256File, tempDir } from './import-helpers';
import { stepsMentioning } from '../../electron/queries/log-mentions';

const GHA = fileURLToPath(new URL('../fixtures/gha/', import.meta.url));
const DEV = path.join(GHA, 'github-dev_logs_4.zip');
const LEWIS = path.join(GHA, 'lewis-dimun_logs_47738665835.zip');
const QUBIT = path.join(GHA, 'qubitquilt_run_logs.zip');
const WISH = path.join(GHA, 'wishapp_run_log_redacted.zip');
const MENUGREEN = path.join(GHA, 'menugreen_composite_job_log.txt');
const CICD = path.join(GHA, 'cicdflask_build');
const LKSAY = path.join(GHA, 'lksay3d_build');
const TOMTOM = path.join(GHA, 'tomtom800_build');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function work(): string {
  const d = tempDir('rl-gha-archives-');
  dirs.push(d);
  return d;
}

/** The members of a zip, as stored. */
async function unzip(file: string): Promise<Map<string, Buffer>> {
  return new Map((await zipMembers(file)).map((m) => [m.name, m.data]));
}

interface Facts {
  summary: ImportSummary;
  jobs: string[];
  kinds: Record<string, number>;
  steps: { job: string; number: number; name: string; uses: string | null; action_sha: string | null; conclusion: string | null; lines: number }[];
  errors: number;
  warnings: number;
  run: Record<string, unknown> | null;
  title: string;
  /** Steps whose lines mention github.com (log_mentions: what the log says, not observed calls). */
  githubSteps: (string | null)[];
  observedCalls: number;
}

async function importFacts(inputs: string[]): Promise<Facts> {
  const casePath = path.join(work(), 'case.runlens');
  const before = inputs.map((i) => (fs.statSync(i).isFile() ? sha256File(i) : null));
  const summary = await runImport({ inputs, casePath });
  expect(inputs.map((i) => (fs.statSync(i).isFile() ? sha256File(i) : null))).toEqual(before);
  const db = openCase(casePath);
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    const jobs = all<{ job: string }>(`SELECT DISTINCT job FROM log_lines ORDER BY job`).map((r) => r.job);
    const kinds = Object.fromEntries(all<{ k: string; n: number }>(`SELECT job || ':' || file_kind AS k, count(*) AS n FROM log_lines GROUP BY 1`).map((r) => [r.k, r.n]));
    const steps = all<Facts['steps'][number]>(
      `SELECT job, number, name, uses, action_sha, conclusion, (SELECT count(*) FROM log_lines l WHERE l.step_id = s.id) AS lines
       FROM steps s ORDER BY job, number`,
    );
    const errors = (db.prepare(`SELECT count(*) AS n FROM log_lines WHERE marker = 'error'`).get() as { n: number }).n;
    const warnings = (db.prepare(`SELECT count(*) AS n FROM log_lines WHERE marker = 'warning'`).get() as { n: number }).n;
    const meta = db.prepare(`SELECT value FROM meta WHERE key = 'run'`).get() as { value: string } | undefined;
    const run = meta ? (JSON.parse(meta.value) as Record<string, unknown> | null) : null;
    const { caseTitle } = await import('../../electron/queries/case-info');
    const githubSteps = stepsMentioning(db, 'github.com').map((m) => m.step);
    const observedCalls = (db.prepare(`SELECT count(*) AS n FROM network`).get() as { n: number }).n;
    return { summary, jobs, kinds, steps, errors, warnings, run, title: caseTitle(run, casePath), githubSteps, observedCalls };
  } finally {
    db.close();
  }
}

describe('older layout, 2023 (github/dev logs_4.zip): preparation logs, a step file that lost its "/"', () => {
  it('keeps the whole job log, places the preparation logs as runner lines of their jobs, names steps as logged', async () => {
    const f = await importFacts([DEV]);
    expectAccounted(f.summary);
    // no job named after a preparation log: -2147483648_build.txt prepares `build`, -2139095040_deploy.txt `deploy`
    expect(f.jobs).toEqual(['build', 'deploy']);
    expect(f.kinds).toEqual({ 'build:job': 416, 'build:prep': 8, 'deploy:prep': 5 });
    const named = f.steps.filter((s) => s.job === 'build').map((s) => [s.number, s.name, s.uses, s.action_sha]);
    expect(named).toEqual([
      [1, 'Set up job', null, null],
      [2, 'Run actions/checkout@v3', 'actions/checkout@v3', 'f43a0e5ff2bd294095638e18286ca9a3d1956744'],
      [3, 'Set up Node.js', 'actions/setup-node@v3', '1a4442cacd436585916779262731d5b162bc6ec7'],
      [4, 'npm install, build, and test', null, null],
      [5, 'Upload artifact for deployment job', null, null],
      // a post step takes its main step's action: GitHub names it `Post <main step's name>`
      [9, 'Post Set up Node.js', 'actions/setup-node@v3', '1a4442cacd436585916779262731d5b162bc6ec7'],
      [10, 'Post Run actions/checkout@v3', 'actions/checkout@v3', 'f43a0e5ff2bd294095638e18286ca9a3d1956744'],
      [11, 'Complete job', null, null],
    ]);
    // the steps' lines in the job log: as many as their step files hold (Set up job also takes the runner's lines
    // at the head of the 2023 job log, which its step file lacks)
    const lines = Object.fromEntries(f.steps.filter((s) => s.job === 'build').map((s) => [s.number, s.lines]));
    expect([lines[2], lines[3], lines[4], lines[5], lines[9], lines[10]]).toEqual([185, 83, 5, 5, 5, 58]);
    expect(f.steps.filter((s) => s.job === 'build').reduce((n, s) => n + s.lines, 0)).toBe(416);
    expect(f.errors).toBe(1);
    expect(f.run).toMatchObject({ repository: 'rockysosaenterprise/silver-happiness', workflow_path: '.github/workflows/azure-webapps-node.yml', job: 'build' });
    expect(f.title).toContain('rockysosaenterprise/silver-happiness');
    // hosts the log mentions, by step; never counted as observed calls
    expect(f.githubSteps).toEqual(['Set up job', 'Run actions/checkout@v3', 'Set up Node.js', 'Post Run actions/checkout@v3']);
    expect(f.observedCalls).toBe(0);
    // the step files' lines are counted as skipped duplicates, never silently dropped
    const dup = f.summary.files!.filter((x) => x.skipped['duplicate of the job log']);
    expect(dup.map((x) => x.lines).sort((a, b) => a - b)).toEqual([5, 5, 5, 13, 54, 58, 83, 185]);
    // the runner's diagnostic logs (a zip inside) are not a GitHub log format: named in warnings, not lost silently
    expect(f.summary.warnings.filter((w) => /not recognised/.test(w.message)).map((w) => path.basename(w.file!))).toEqual([
      'Worker_20231112-191510-utc.log',
      'Runner_20231112-191507-utc.log',
    ]);
  });
});

describe('older layout, 2025 (lewis-dimun logs_47738665835.zip): BOM, system.txt, microsecond stamps', () => {
  it('keeps all 1 103 job-log lines and the runner lines; each step gets exactly its step file’s lines', async () => {
    const f = await importFacts([LEWIS]);
    expectAccounted(f.summary);
    expect(f.jobs).toEqual(['test']);
    expect(f.kinds).toEqual({ 'test:job': 1103, 'test:system': 5 });
    expect(f.steps.map((s) => [s.number, s.name, s.lines])).toEqual([
      [1, 'Set up job', 30],
      [2, 'Run actions/checkout@v4', 69],
      [3, 'Setup Node.js', 17],
      [4, 'Install dependencies', 31],
      [5, 'Run ESLint', 109],
      [6, 'Run Jest tests', 834],
      [24, 'Post Run actions/checkout@v4', 12],
      [25, 'Complete job', 1],
    ]);
    expect(f.steps.filter((s) => s.uses).map((s) => [s.number, s.uses, s.action_sha])).toEqual([
      [2, 'actions/checkout@v4', '08eba0b27e820071cde6df949e0beb9ba4906955'],
      [3, 'actions/setup-node@v4', '49933ea5288caeca8642d1e84afbd3f7d6820020'],
      [24, 'actions/checkout@v4', '08eba0b27e820071cde6df949e0beb9ba4906955'],
    ]);
    expect(f.steps.filter((s) => s.conclusion === 'failure').map((s) => s.number)).toEqual([6]);
    expect([f.errors, f.warnings]).toEqual([1, 64]);
    expect(f.run).toMatchObject({ repository: 'lewis-Dimun/greenfashionscore-v2', job: 'test' });
  });

  it('the archive, its extracted folder and its job .txt give the same job lines, actions, failure and annotations', async () => {
    const members = await unzip(LEWIS);
    const folder = path.join(work(), 'logs_47738665835');
    for (const [name, data] of members) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), data);
    }
    const txt = path.join(work(), '0_test.txt');
    fs.writeFileSync(txt, members.get('0_test.txt')!);
    const [zip, dir, one] = [await importFacts([LEWIS]), await importFacts([folder]), await importFacts([txt])];
    for (const f of [zip, dir, one]) {
      expect(f.kinds['test:job']).toBe(1103);
      expect([f.errors, f.warnings]).toEqual([1, 64]);
      // (a post step is `Post job cleanup.` in the job log: only a step file names its action)
      expect([...new Set(f.steps.filter((s) => s.uses).map((s) => `${s.uses} ${s.action_sha}`))]).toEqual([
        'actions/checkout@v4 08eba0b27e820071cde6df949e0beb9ba4906955',
        'actions/setup-node@v4 49933ea5288caeca8642d1e84afbd3f7d6820020',
      ]);
      expect(f.steps.filter((s) => s.conclusion === 'failure')).toHaveLength(1);
      expect(f.steps.reduce((n, s) => n + s.lines, 0)).toBe(1103);
      expect(f.run).toMatchObject({ job: 'test' });
    }
    expect(dir.steps).toEqual(zip.steps);
    expect(dir.kinds).toEqual(zip.kinds);
    // the job .txt alone has no step files: its steps are the log's own `##[group]Run` headers
    expect(one.steps.map((s) => s.name)).toEqual([
      'Set up job',
      'Run actions/checkout@v4',
      'Run actions/setup-node@v4',
      'Run npm ci',
      'Run npm run lint',
      'Run npm run test',
      'Post job cleanup.',
      'Complete job',
    ]);
    expect(one.steps.find((s) => s.conclusion === 'failure')!.name).toBe('Run npm run test');
    // over the same lines as the archive's steps (its step files)
    expect(one.steps.map((s) => s.lines)).toEqual(zip.steps.map((s) => s.lines));
  });

  it('current layout (root job log + a job folder holding only system.txt): nothing dropped', async () => {
    const members = await unzip(LEWIS);
    const zip = path.join(work(), 'current.zip');
    await makeZip(zip, [
      { name: '0_test.txt', data: members.get('0_test.txt')! },
      { name: 'test/system.txt', data: members.get('test/system.txt')! },
    ]);
    const f = await importFacts([zip]);
    expectAccounted(f.summary);
    expect(f.jobs).toEqual(['test']);
    expect(f.kinds).toEqual({ 'test:job': 1103, 'test:system': 5 });
    expect(f.errors).toBe(1);
    expect(f.steps.map((s) => s.name)).toContain('Run actions/checkout@v4');
    expect(f.summary.files!.every((x) => x.lines_skipped === 0)).toBe(true);
  });

  it('single-job archive (one top folder, step files only, with or without system.txt): one job, its steps', async () => {
    const members = await unzip(LEWIS);
    const stepFiles = [...members].filter(([n]) => /^test\/\d+_/.test(n));
    for (const withSystem of [true, false]) {
      const zip = path.join(work(), `single-${withSystem}.zip`);
      const entries = stepFiles.map(([name, data]) => ({ name, data }));
      if (withSystem) entries.push({ name: 'test/system.txt', data: members.get('test/system.txt')! });
      await makeZip(zip, entries);
      const f = await importFacts([zip]);
      expectAccounted(f.summary);
      expect(f.jobs).toEqual(['test']);
      expect(f.kinds).toEqual(withSystem ? { 'test:step': 1103, 'test:system': 5 } : { 'test:step': 1103 });
      expect(f.steps.map((s) => [s.number, s.name, s.lines])).toEqual([
        [1, 'Set up job', 30],
        [2, 'Run actions/checkout@v4', 69],
        [3, 'Setup Node.js', 17],
        [4, 'Install dependencies', 31],
        [5, 'Run ESLint', 109],
        [6, 'Run Jest tests', 834],
        [24, 'Post Run actions/checkout@v4', 12],
        [25, 'Complete job', 1],
      ]);
      expect(f.steps.find((s) => s.number === 2)!.action_sha).toBe('08eba0b27e820071cde6df949e0beb9ba4906955');
      expect(f.steps.filter((s) => s.conclusion === 'failure').map((s) => s.number)).toEqual([6]);
    }
  });
});

describe('two jobs (qubitquilt run_logs.zip)', () => {
  it('both job logs whole, each job its own steps', async () => {
    const f = await importFacts([QUBIT]);
    expectAccounted(f.summary);
    expect(f.jobs).toEqual(['build', 'test']);
    expect(f.kinds).toMatchObject({ 'test:job': 319, 'build:job': 200 });
    expect(f.errors).toBe(2);
    for (const job of ['build', 'test']) {
      const st = f.steps.filter((s) => s.job === job);
      expect(st.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 10, 11]);
      expect(st.reduce((n, s) => n + s.lines, 0)).toBe(job === 'test' ? 319 : 200);
    }
  });
});

describe('current layout, real (morgaesis/wishapp run_log.zip, one host name redacted): root job log + system.txt only', () => {
  // read off the file by hand: 0_test.txt has 1 483 lines (BOM), test/system.txt 5; the steps start at the lines of
  // `Complete job name:` + 1 (38), `##[group]Run actions/cache@v3` (121), `…actions-rs/toolchain@v1` (144),
  // `Run cargo clean` (207), `Run actions-rs/cargo@v1` (212), `Post job cleanup.` (1471), `Cleaning up orphan
  // processes` (1483); 29 `##[error]` lines, all in the cargo step, 7 `##[warning]`. Six lines have no timestamp
  // (124-128 and 131: the cache step's multi-line `path:` input): each continues the log line before it, so the
  // job has 1 477 log lines over its 1 483 physical lines, the cache step 17 over 23.
  const STEPS = [
    [1, 'Set up job', 37],
    [2, 'Run actions/checkout@v4', 83],
    [3, 'Run actions/cache@v3', 17],
    [4, 'Run actions-rs/toolchain@v1', 63],
    [5, 'Run cargo clean', 5],
    [6, 'Run actions-rs/cargo@v1', 1259],
    [7, 'Post job cleanup.', 12],
    [8, 'Complete job', 1],
  ];
  const ACTIONS = [
    ['actions/checkout@v4', '11bd71901bbe5b1630ceea73d27597364c9af683'],
    ['actions/cache@v3', '2f8e54208210a422b2efd51efaa6bd6d7ca8920f'],
    ['actions-rs/toolchain@v1', '16499b5e05bf2e26879000db0c1d13f7e13fa3af'],
    ['actions-rs/cargo@v1', '844f36862e911db73fe0815f00a4a2602c279505'],
  ];

  it('keeps all 1 483 job-log lines (1 477 log lines) and the 5 runner lines; steps, actions with commits and errors from the log', async () => {
    const f = await importFacts([WISH]);
    expectAccounted(f.summary);
    expect(f.summary.files!.map((x) => [x.path.split('!').pop()!.replace(/^\//, ''), x.lines, x.lines_skipped])).toEqual([
      ['0_test.txt', 1483, 0],
      ['test/system.txt', 5, 0],
    ]);
    expect(f.jobs).toEqual(['test']);
    expect(f.kinds).toEqual({ 'test:job': 1477, 'test:system': 5 });
    expect(f.steps.map((s) => [s.number, s.name, s.lines])).toEqual(STEPS);
    expect(f.steps.filter((s) => s.uses).map((s) => [s.uses, s.action_sha])).toEqual(ACTIONS);
    expect([f.errors, f.warnings]).toEqual([29, 7]);
    // the cargo action failed its step: `##[error]The process '…/cargo' failed with exit code 101` (@actions/exec's
    // error, reported by core.setFailed), the step's last error
    expect(f.steps.filter((s) => s.conclusion === 'failure').map((s) => s.name)).toEqual(['Run actions-rs/cargo@v1']);
    expect(f.run).toMatchObject({ repository: 'morgaesis/wishapp', workflow_path: '.github/workflows/ci.yml', ref: 'refs/pull/29/merge', job: 'test' });
    expect(f.title).toContain('morgaesis/wishapp');
  });

  it('the archive, its extracted folder and its job .txt give the same steps, actions, line counts and errors', async () => {
    const members = await unzip(WISH);
    expect([...members.keys()]).toEqual(['0_test.txt', 'test/system.txt']);
    const folder = path.join(work(), 'run_log');
    for (const [name, data] of members) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), data);
    }
    const txt = path.join(work(), '0_test.txt');
    fs.writeFileSync(txt, members.get('0_test.txt')!);
    const [zip, dir, one] = [await importFacts([WISH]), await importFacts([folder]), await importFacts([txt])];
    for (const f of [zip, dir, one]) {
      expectAccounted(f.summary);
      expect(f.steps.map((s) => [s.number, s.name, s.lines])).toEqual(STEPS);
      expect(f.steps.filter((s) => s.uses).map((s) => [s.uses, s.action_sha])).toEqual(ACTIONS);
      expect([f.errors, f.warnings]).toEqual([29, 7]);
      expect(f.steps.filter((s) => s.conclusion === 'failure').map((s) => s.number)).toEqual([6]);
      expect(f.jobs).toEqual(['test']);
      expect(f.run).toMatchObject({ job: 'test' });
    }
    expect(dir.steps).toEqual(zip.steps);
    expect(dir.kinds).toEqual(zip.kinds);
    expect(dir.run).toEqual(zip.run);
    // the job .txt alone has no system.txt: the job's lines without the runner's (nor the repository system.txt says)
    expect(one.kinds).toEqual({ 'test:job': 1477 });
    expect(one.run).not.toHaveProperty('repository');
    expect(zip.kinds).toEqual({ 'test:job': 1477, 'test:system': 5 });
    expect(one.summary.files!.map((x) => x.lines)).toEqual([1483]);
  });
});

describe('a composite action in a job log read alone (MenuGreen log.txt tail, runner 2.335.1, 2026)', () => {
  // read off the file by hand: 307 physical lines, 11 without a timestamp (the two multi-line `script` inputs, 3 lines
  // each, and 5 lines of web-page text pasted after the log): 296 log lines. Line 1 `##[group]Run
  // appleboy/ssh-action@v1.1.0` (a composite action); its inner steps are wrapped by the runner's markers, lines 24/35
  // (`##[start-action display=Set GitHub Path;…]` … `##[end-action …]`, the inner `##[group]Run echo …` at 25) and
  // 36/287 (`Run entrypoint.sh`, inner group at 37, `##[error]Process completed with exit code 1.` at 286); then
  // `Post job cleanup.` (288) and `Cleaning up orphan processes` (302).
  it('keeps the inner `##[group]Run …` blocks inside the composite step, one level deeper; the failure is the composite’s', async () => {
    const f = await importFacts([MENUGREEN]);
    expectAccounted(f.summary);
    expect(f.summary.files!.map((x) => [x.lines, x.lines_skipped])).toEqual([[307, 0]]);
    expect(f.steps.map((s) => [s.number, s.name, s.uses, s.conclusion, s.lines])).toEqual([
      [1, 'Run appleboy/ssh-action@v1.1.0', 'appleboy/ssh-action@v1.1.0', 'failure', 281],
      [2, 'Post job cleanup.', null, null, 14],
      [3, 'Complete job', null, null, 1],
    ]);
    expect(f.errors).toBe(1);
    const casePath = path.join(work(), 'depth.runlens');
    await runImport({ inputs: [MENUGREEN], casePath });
    const db = openCase(casePath);
    try {
      const depth = (line: number) =>
        (db.prepare(`SELECT depth FROM log_lines WHERE line = ?`).get(line) as { depth: number }).depth;
      // the composite's own header group, then each inner step drawn one level deeper than the markers around it
      expect([1, 2, 23, 24, 25, 26, 34, 35, 36, 37, 38, 100, 286, 287, 288].map(depth)).toEqual([0, 1, 0, 0, 1, 2, 1, 0, 0, 1, 2, 1, 1, 0, 0]);
    } finally {
      db.close();
    }
  });
});

describe('an archive’s files in one folder (illurukarthik8688/CICDFlask build/, 2026): job log, step files, system.txt', () => {
  // read off the files by hand: 0_build.txt 457 lines (BOM; `Complete job name: build`), the 11 step files' lines sum
  // to 457, system.txt 8 lines (`Job defined at: illurukarthik8688/AI-Driven-anomaly-detection-/…`); two
  // `##[error]Process completed with exit code 1.` (steps 7 and 8, lines 393 and 421 of the job log)
  const STEPS = [
    [1, 'Set up job', null, null, 32],
    [2, 'Checkout Code', 'actions/checkout@v3', null, 115],
    [3, 'Set up Python', 'actions/setup-python@v4', null, 36],
    [4, 'Install Dependencies', null, null, 154],
    [5, 'AI Failure Prediction', null, null, 23],
    [6, 'Measure Build Time', null, null, 18],
    [7, 'Detect Build Time Anomaly', null, 'failure', 15],
    [8, 'Run Tests', null, 'failure', 28],
    [10, 'LLM Self Healing', null, null, 23],
    [20, 'Post Checkout Code', 'actions/checkout@v3', null, 12],
    [21, 'Complete job', null, null, 1],
  ];
  it('one job: the job log whole, the step files its steps (their lines counted as duplicates), system.txt the runner’s', async () => {
    const f = await importFacts([CICD]);
    expectAccounted(f.summary);
    expect(f.jobs).toEqual(['build']);
    expect(f.kinds).toEqual({ 'build:job': 457, 'build:system': 8 });
    expect(f.steps.map((s) => [s.number, s.name, s.uses, s.conclusion, s.lines])).toEqual(STEPS);
    expect(f.steps.filter((s) => s.uses).map((s) => s.action_sha)).toEqual([
      'f43a0e5ff2bd294095638e18286ca9a3d1956744',
      '7f4fc3e22c37d6ff65e88745f38bd3157c663f7c',
      'f43a0e5ff2bd294095638e18286ca9a3d1956744',
    ]);
    expect(f.errors).toBe(2);
    expect(f.run).toMatchObject({ repository: 'illurukarthik8688/AI-Driven-anomaly-detection-', job: 'build' });
    const dup = f.summary.files!.filter((x) => x.skipped['duplicate of the job log'] === x.lines);
    expect(dup.map((x) => x.lines).reduce((a, b) => a + b, 0)).toBe(457);
  });

  it('the same folder zipped, and its job log alone, give the same job lines, actions and failures', async () => {
    const zip = path.join(work(), 'build.zip');
    await makeZip(zip, fs.readdirSync(CICD).map((n) => ({ name: `build/${n}`, data: fs.readFileSync(path.join(CICD, n)) })));
    const [dir, z, one] = [await importFacts([CICD]), await importFacts([zip]), await importFacts([path.join(CICD, '0_build.txt')])];
    expect(z.steps).toEqual(dir.steps);
    expect(one.steps.map((s) => s.lines)).toEqual(dir.steps.map((s) => s.lines));
    expect(z.kinds).toEqual(dir.kinds);
    for (const f of [dir, z, one]) {
      expect(f.kinds['build:job']).toBe(457);
      expect(f.errors).toBe(2);
      expect(f.steps.filter((s) => s.conclusion === 'failure')).toHaveLength(2);
      expect(f.steps.reduce((n, s) => n + s.lines, 0)).toBe(457);
      expect([...new Set(f.steps.filter((s) => s.uses).map((s) => `${s.uses} ${s.action_sha}`))]).toEqual([
        'actions/checkout@v3 f43a0e5ff2bd294095638e18286ca9a3d1956744',
        'actions/setup-python@v4 7f4fc3e22c37d6ff65e88745f38bd3157c663f7c',
      ]);
    }
  });
});

describe('single-job archive, real (lksay3d/testci-common-email build/, 2024): one folder of step files, no system.txt', () => {
  // read off the files by hand: 7 step files {1,2,3,4,7,8,9} of 27+394+27+3411+1+12+1 = 3 873 lines, every one
  // timestamped, each beginning with a BOM; `Complete job name: build`; actions/checkout@v3 f43a0e5f…, actions/setup-java@v3
  // 0ab45967…; no `##[error]`
  it('one job `build` (its own `Complete job name:`), its steps with their lines, actions and commits', async () => {
    for (const input of [LKSAY, path.join(work(), 'build.zip')]) {
      if (input !== LKSAY) {
        await makeZip(input, fs.readdirSync(LKSAY).map((n) => ({ name: `build/${n}`, data: fs.readFileSync(path.join(LKSAY, n)) })));
      }
      const f = await importFacts([input]);
      expectAccounted(f.summary);
      expect(f.summary.files!.every((x) => x.lines_skipped === 0)).toBe(true);
      expect(f.jobs).toEqual(['build']);
      expect(f.kinds).toEqual({ 'build:step': 3873 });
      expect(f.steps.map((s) => [s.number, s.name, s.uses, s.action_sha, s.lines])).toEqual([
        [1, 'Set up job', null, null, 27],
        [2, 'Run actions/checkout@v3', 'actions/checkout@v3', 'f43a0e5ff2bd294095638e18286ca9a3d1956744', 394],
        [3, 'Set up JDK 11', 'actions/setup-java@v3', '0ab4596768b603586c0de567f2430c30f5b0d2b0', 27],
        [4, 'Build with Maven', null, null, 3411],
        [7, 'Post Set up JDK 11', 'actions/setup-java@v3', '0ab4596768b603586c0de567f2430c30f5b0d2b0', 1],
        [8, 'Post Run actions/checkout@v3', 'actions/checkout@v3', 'f43a0e5ff2bd294095638e18286ca9a3d1956744', 12],
        [9, 'Complete job', null, null, 1],
      ]);
      expect([f.errors, f.steps.filter((s) => s.conclusion === 'failure').length]).toEqual([0, 0]);
    }
  });
});

describe('single-job archive with system.txt, real (tomtom800/Text-to-Speech build/, 2026)', () => {
  // read off the files by hand: step files {1,2,3,4,5,6,7,13,14,15} of 31+76+21+40+28+21+25+2+14+2 = 260 lines, all
  // timestamped; system.txt 8 lines (`Job defined at: tomtom800/Text-to-Speech/.github/workflows/build.yml@refs/heads/master`);
  // `Complete job name: build`; actions/checkout@v4 34e11487…, actions/setup-python@v5 a26af69b…; one `##[warning]` (Complete job)
  it('one job `build`: its steps with their lines, actions and commits (post steps too), the runner’s lines', async () => {
    for (const input of [TOMTOM, path.join(work(), 'build.zip')]) {
      if (input !== TOMTOM) {
        await makeZip(input, fs.readdirSync(TOMTOM).map((n) => ({ name: `build/${n}`, data: fs.readFileSync(path.join(TOMTOM, n)) })));
      }
      const f = await importFacts([input]);
      expectAccounted(f.summary);
      expect(f.summary.files!.every((x) => x.lines_skipped === 0)).toBe(true);
      expect(f.jobs).toEqual(['build']);
      expect(f.kinds).toEqual({ 'build:step': 260, 'build:system': 8 });
      const checkout = ['actions/checkout@v4', '34e114876b0b11c390a56381ad16ebd13914f8d5'];
      const python = ['actions/setup-python@v5', 'a26af69be951a213d495a4c3e4e4022e16d87065'];
      expect(f.steps.map((s) => [s.number, s.name, s.uses, s.action_sha, s.lines])).toEqual([
        [1, 'Set up job', null, null, 31],
        [2, 'Check out repo', ...checkout, 76],
        [3, 'Set up Python', ...python, 21],
        [4, 'Install dependencies', null, null, 40],
        [5, 'Build feed', null, null, 28],
        [6, 'Commit changes', null, null, 21],
        [7, 'Push changes with retry', null, null, 25],
        [13, 'Post Set up Python', ...python, 2],
        [14, 'Post Check out repo', ...checkout, 14],
        [15, 'Complete job', null, null, 2],
      ]);
      expect([f.errors, f.warnings]).toEqual([0, 1]);
      expect(f.run).toMatchObject({ repository: 'tomtom800/Text-to-Speech', workflow_path: '.github/workflows/build.yml', job: 'build' });
    }
  });
});

describe('`gh run view --log` output (GitHub CLI): every line `<job>\\t<step>\\t<log line>`, jobs one after the other', () => {
  // DERIVED in the test from the real qubitquilt archive: its two job logs as gh prints them (each line prefixed with
  // the job's name and `UNKNOWN STEP`, the BOM of each log kept after the prefix)
  it('reads each job as its job log alone would be read: same steps, lines, actions, failures', async () => {
    const members = await unzip(QUBIT);
    const jobs: [string, Buffer][] = [
      ['test', members.get('0_test.txt')!],
      ['build', members.get('1_build.txt')!],
    ];
    const gh = jobs
      .map(([job, data]) => data.toString('utf8').replace(/\n$/, '').split('\n').map((l) => `${job}\tUNKNOWN STEP\t${l}`).join('\n'))
      .join('\n') + '\n';
    const ghFile = path.join(work(), 'run-log.txt');
    fs.writeFileSync(ghFile, gh);
    const f = await importFacts([ghFile]);
    expectAccounted(f.summary);
    expect(f.summary.files!.map((x) => [x.lines, x.lines_stored])).toEqual([[519, 519]]);
    expect(f.jobs).toEqual(['build', 'test']);
    expect(f.kinds).toEqual({ 'test:single': 319, 'build:single': 200 });
    let errors = 0;
    for (const [job, data] of jobs) {
      const one = path.join(work(), `${job}.txt`);
      fs.writeFileSync(one, data);
      const alone = await importFacts([one]);
      errors += alone.errors;
      const pick = (x: Facts) => x.steps.filter((s) => s.job === job).map((s) => [s.number, s.name, s.uses, s.action_sha, s.conclusion, s.lines]);
      expect(pick(f)).toEqual(pick(alone));
      expect(pick(f).length).toBeGreaterThan(3);
    }
    expect(f.errors).toBe(errors);
    expect(f.errors).toBe(2);
  });
});
