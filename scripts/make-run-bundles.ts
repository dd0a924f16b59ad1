/**
 * Writes small run bundles (FOLDER bundles, format v1) of one job, `build` of `acme/api`, run after run: the data
 * of the compare and hunt tests and of the hunt benchmark. Deterministic per seed (run it twice, same bytes);
 * documentation domains and addresses only. Each run varies what really varies between runs of one job: run id,
 * start time, pids, the runner's temporary script names, how many calls each step makes. A run can be told to
 * call extra endpoints, run an extra process, or use another commit of an action: the "bad run" of a test.
 *
 *   npx tsx scripts/make-run-bundles.ts OUT_DIR [COUNT]     # COUNT good runs: OUT_DIR/run-0001 …
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatNanos, parseRfc3339 } from '../shared/time';
import { rng } from './seeded-random';

export const CHECKOUT = 'actions/checkout';
export const CHECKOUT_SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
export const SETUP_NODE = 'actions/setup-node';
export const SETUP_NODE_SHA = '49933ea5288caeca8642d1e84afbd3f7d6820020';
/** The endpoints every good run calls. */
export const GOOD_ENDPOINTS = ['api.github.com:443', 'codeload.github.com:443', 'registry.example.org:443', 'objects.githubusercontent.com:443'];

export interface RunSpec {
  /** Seeds pids, times, counts and temporary names. */
  seed: number;
  runId?: number;
  /** Extra calls made by the extra process (or by npm when there is none): `host:port`. */
  extraEndpoints?: string[];
  /** An extra process in "Run npm ci" (a dependency's postinstall): exe and argv. */
  extraProcess?: { exe: string; args: string[] };
  /** Commit of actions/checkout (default CHECKOUT_SHA). */
  checkoutSha?: string;
  /** Extra calls made by the test runner in "Run npm test" (`host:port`): a known endpoint from a new step. */
  testStepEndpoints?: string[];
}

export interface WrittenRun {
  dir: string;
  runId: number;
  /** Endpoints this run called, sorted. */
  endpoints: string[];
}

const WORK = '/home/runner/work/api/api';
const WORKER = '/home/runner/actions-runner/cached/bin/Runner.Worker';
const NODE20 = '/home/runner/actions-runner/cached/externals/node20/bin/node';
const NODE = '/opt/hostedtoolcache/node/22.20.0/x64/bin/node';
const NPM = '/opt/hostedtoolcache/node/22.20.0/x64/bin/npm';

function uuid(r: () => number): string {
  const h = createHash('sha256').update(String(r())).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const IPS: Record<string, string> = {
  'api.github.com': '192.0.2.20',
  'codeload.github.com': '192.0.2.21',
  'registry.example.org': '198.51.100.10',
  'objects.githubusercontent.com': '192.0.2.30',
};

/** Writes one run bundle into `dir` (created; must not hold another bundle). */
export function writeRunBundle(dir: string, spec: RunSpec): WrittenRun {
  const r = rng(spec.seed * 7919 + 17);
  const runId = spec.runId ?? 19_000_000_000 + spec.seed;
  const checkoutSha = spec.checkoutSha ?? CHECKOUT_SHA;
  // Runs a few minutes apart, starting 2026-10-14T09:00Z.
  const base = parseRfc3339('2026-10-14T09:00:00Z') + BigInt(spec.seed) * 300_000_000_000n;
  const at = (sec: number) => formatNanos(base + BigInt(Math.round(sec * 1e6)) * 1000n + BigInt(Math.floor(r() * 1000)));
  const steps = [
    { number: 1, name: 'Set up job', start: 1, end: 3 },
    { number: 2, name: `Run ${CHECKOUT}@${checkoutSha}`, uses: `${CHECKOUT}@${checkoutSha}`, start: 3, end: 6 },
    { number: 3, name: `Run ${SETUP_NODE}@${SETUP_NODE_SHA}`, uses: `${SETUP_NODE}@${SETUP_NODE_SHA}`, start: 6, end: 9 },
    { number: 4, name: 'Run npm ci', start: 9, end: 30 },
    { number: 5, name: 'Run npm test', start: 30, end: 60 },
    { number: 6, name: `Post Run ${CHECKOUT}@${checkoutSha}`, uses: `${CHECKOUT}@${checkoutSha}`, start: 60, end: 61 },
    { number: 7, name: 'Complete job', start: 61, end: 62 },
  ];
  const manifest = {
    format: 'ci-run-bundle',
    version: 1,
    producer: { name: 'runlens-test-runs', version: '1.0.0' },
    run: {
      repository: 'acme/api',
      workflow: 'CI',
      workflow_path: '.github/workflows/ci.yml',
      run_id: runId,
      run_attempt: 1,
      job: 'build',
      head_sha: createHash('sha1').update(`head ${spec.seed}`).digest('hex'),
      ref: 'refs/heads/main',
      event: 'push',
      runner: { os: 'Linux', image: 'ubuntu-24.04', name: `GitHub Actions ${1000 + (spec.seed % 97)}` },
      started_at: at(0),
      completed_at: at(62),
    },
    policy: { egress_policy: 'audit', allowed_endpoints: ['*.github.com:443', 'registry.example.org:443', 'objects.githubusercontent.com:443'] },
    steps: steps.map((s) => ({
      number: s.number,
      name: s.name,
      ...(s.uses ? { uses: s.uses } : {}),
      started_at: at(s.start),
      completed_at: at(s.end),
      conclusion: 'success',
    })),
  };

  const procs: object[] = [];
  const net: object[] = [];
  let pid = 1600 + Math.floor(r() * 2000);
  const exec = (sec: number, ppid: number, exe: string, args: string[], dur: number | null): number => {
    const p = ++pid;
    procs.push({ ts: at(sec), event: 'exec', pid: p, ppid, exe, args, cwd: WORK, uid: 1001 });
    if (dur !== null) procs.push({ ts: at(sec + dur), event: 'exit', pid: p, exit_code: 0 });
    pid += Math.floor(r() * 5);
    return p;
  };
  const call = (sec: number, p: number, endpoint: string, http?: object) => {
    const [host, port] = endpoint.split(':') as [string, string];
    const ip = IPS[host] ?? `203.0.113.${1 + (createHash('sha1').update(host).digest()[0]! % 250)}`;
    net.push({ ts: at(sec), pid: p, domain: host, ip, port: Number(port), protocol: 'tcp', status: 'allowed', ...(http ? { http } : {}) });
  };

  const worker = exec(0.5, 1500, WORKER, [WORKER, 'spawnclient', String(100 + Math.floor(r() * 50)), String(150 + Math.floor(r() * 50))], 61.8);
  call(1.2, worker, 'api.github.com:443', { method: 'GET', host: 'api.github.com', path: `/repos/${CHECKOUT}/tarball/${checkoutSha}`, status_code: 302 });
  call(1.4, worker, 'codeload.github.com:443');
  // Checkout: the action's node, then git.
  const co = exec(3.1, worker, NODE20, [NODE20, `/home/runner/work/_actions/${CHECKOUT}/${checkoutSha}/dist/index.js`], 2.8);
  exec(3.3, co, '/usr/bin/git', ['git', 'version'], 0.05);
  const fetch = exec(3.6, co, '/usr/bin/git', ['git', '-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', '--depth=1', 'origin', `+${manifest.run.head_sha}:refs/remotes/origin/main`], 1.5);
  call(3.7, fetch, 'api.github.com:443');
  exec(5.2, co, '/usr/bin/git', ['git', 'checkout', '--progress', '--force', '-B', 'main', 'refs/remotes/origin/main'], 0.3);
  // setup-node
  const sn = exec(6.1, worker, NODE20, [NODE20, `/home/runner/work/_actions/${SETUP_NODE}/${SETUP_NODE_SHA}/dist/setup/index.js`], 2.5);
  call(6.5, sn, 'objects.githubusercontent.com:443');
  // npm ci: bash runs the step's script, npm fetches packages.
  const ciSh = exec(9.1, worker, '/usr/bin/bash', ['/usr/bin/bash', '-e', `/home/runner/work/_temp/${uuid(r)}.sh`], 20.5);
  const npmCi = exec(9.2, ciSh, NODE, [NODE, NPM, 'ci'], 20.2);
  const fetches = 3 + Math.floor(r() * 6);
  for (let i = 0; i < fetches; i++) call(9.5 + i * 0.7, npmCi, 'registry.example.org:443', { method: 'GET', host: 'registry.example.org', path: `/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz`, status_code: 200 });
  const post = exec(18.0, npmCi, '/usr/bin/sh', ['sh', '-c', 'node scripts/postinstall.js'], 0.8);
  exec(18.05, post, NODE, ['node', 'scripts/postinstall.js'], 0.7);
  let extraPid = npmCi;
  if (spec.extraProcess) extraPid = exec(20.0, post, spec.extraProcess.exe, spec.extraProcess.args, 0.9);
  (spec.extraEndpoints ?? []).forEach((ep, i) => call(20.3 + i * 0.1, extraPid, ep, { method: 'POST', host: ep.split(':')[0], path: '/v2/collect', status_code: 202 }));
  // npm test
  const testSh = exec(30.1, worker, '/usr/bin/bash', ['/usr/bin/bash', '-e', `/home/runner/work/_temp/${uuid(r)}.sh`], 29.5);
  const npmTest = exec(30.2, testSh, NODE, [NODE, NPM, 'test'], 29.2);
  const jest = exec(31.0, npmTest, NODE, [NODE, `${WORK}/node_modules/.bin/jest`, '--ci', `--maxWorkers=${2 + Math.floor(r() * 3)}`], 28);
  const reports = 1 + Math.floor(r() * 3);
  (spec.testStepEndpoints ?? []).forEach((ep, i) => call(35 + i * 0.2, jest, ep));
  for (let i = 0; i < reports; i++) call(40 + i * 5, jest, 'api.github.com:443', { method: 'POST', host: 'api.github.com', path: `/repos/acme/api/check-runs`, status_code: 201 });
  // Post checkout
  const pc = exec(60.1, worker, NODE20, [NODE20, `/home/runner/work/_actions/${CHECKOUT}/${checkoutSha}/dist/index.js`], 0.6);
  exec(60.2, pc, '/usr/bin/git', ['git', 'config', '--local', '--unset-all', 'http.https://github.com/.extraheader'], 0.05);

  const byTs = (a: object, b: object) => ((a as { ts: string }).ts < (b as { ts: string }).ts ? -1 : 1);
  const jl = (rows: object[]) => rows.sort(byTs).map((x) => JSON.stringify(x)).join('\n') + '\n';
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'processes.jsonl'), jl(procs));
  fs.writeFileSync(path.join(dir, 'network.jsonl'), jl(net));
  const endpoints = [...new Set(net.map((n) => `${(n as { domain: string }).domain}:${(n as { port: number }).port}`))].sort();
  return { dir, runId, endpoints };
}

/** `count` good runs, seeds 1…count, some with an extra endpoint when `extraEvery` is given (every Nth run). */
export function writeRunBundles(outDir: string, count: number, opts: { extraEvery?: number; extraEndpoint?: string } = {}): WrittenRun[] {
  const out: WrittenRun[] = [];
  for (let i = 1; i <= count; i++) {
    const extra = opts.extraEvery && i % opts.extraEvery === 0 ? [opts.extraEndpoint ?? 'telemetry.exfil.example:443'] : [];
    out.push(writeRunBundle(path.join(outDir, `run-${String(i).padStart(4, '0')}`), { seed: i, extraEndpoints: extra }));
  }
  return out;
}

if (process.argv[1] && /make-run-bundles\.ts$/.test(process.argv[1])) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: npx tsx scripts/make-run-bundles.ts OUT_DIR [COUNT]\n');
    process.exit(2);
  }
  const runs = writeRunBundles(path.resolve(out), Number(process.argv[3] ?? 3));
  process.stdout.write(`${runs.length} run bundles in ${out}\n`);
}
