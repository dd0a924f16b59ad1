/**
 * Scale: many processes with heavy PID reuse and many calls, through finalizeCase on a real case file. Each call is
 * checked against the instance it must belong to. Default 10k processes / 100k calls; the full target
 * (100k / 1M) with `RUNLENS_SCALE_PROCESSES=100000 RUNLENS_SCALE_CALLS=1000000`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { at, meta, newCase, step, type TestCase } from '../unit/analysis-case';

const P = Number(process.env.RUNLENS_SCALE_PROCESSES ?? 10_000);
const M = Number(process.env.RUNLENS_SCALE_CALLS ?? 100_000);
const PIDS = 4000; // pid space: every pid is reused P / PIDS times
const SLOT_US = 10; // a process starts every 10 µs and lives 30 ms (< PIDS * SLOT_US = 40 ms: no overlap per pid)
const CHAIN = 100; // every 100th process is a step entry (child of the worker); the others chain below it

let c: TestCase;
afterAll(() => c?.close());

describe('analysis at scale', () => {
  it(`${P} processes with PID reuse and ${M} calls: every call on its own instance and step`, () => {
    c = newCase();
    const { db } = c;
    const steps = 20;
    const span = P * SLOT_US * 1e-6 + 1; // seconds
    const stepIds: number[] = [];
    for (let s = 0; s < steps; s++) {
      stepIds.push(step(db, { number: s + 1, name: `Run step ${s + 1}`, start: at(0.5 + (s * span) / steps), end: at(0.5 + ((s + 1) * span) / steps) }));
    }
    meta(db, 'policy', { egress_policy: 'audit', allowed_endpoints: ['*.example.org'] });
    const startOf = (i: number) => at(1) + BigInt(i * SLOT_US) * 1000n;
    const pidOf = (i: number) => 1000 + (i % PIDS);
    const execStmt = db.prepare(
      `INSERT INTO process_events (ts, event, pid, ppid, exe, args, origin, raw) VALUES (?, 'exec', ?, ?, ?, ?, 'events', '{}')`,
    );
    const exitStmt = db.prepare(`INSERT INTO process_events (ts, event, pid, exit_code, origin, raw) VALUES (?, 'exit', ?, 0, 'events', '{}')`);
    const callStmt = db.prepare(
      `INSERT INTO network (ts, pid, process_name, domain, domain_origin, ip, port, raw) VALUES (?, ?, ?, ?, 'record', '192.0.2.1', 443, '{}')`,
    );
    const t0 = Date.now();
    db.transaction(() => {
      execStmt.run(at(0), 1, 0, '/home/runner/actions-runner/cached/bin/Runner.Worker', null);
      for (let i = 0; i < P; i++) {
        const entry = i % CHAIN === 0;
        execStmt.run(startOf(i), pidOf(i), entry ? 1 : pidOf(i - 1), '/usr/bin/node', `["node","p${i}"]`);
        exitStmt.run(startOf(i) + 30_000_000n, pidOf(i));
      }
      for (let j = 0; j < M; j++) {
        const i = (j * 7919) % P;
        const domain = j % 1000 === 0 ? `c${j % 7}.exfil.example` : `r${j % 13}.example.org`;
        // expected instance id: worker is 1, process i is i + 2 (created in exec order)
        callStmt.run(startOf(i) + 5_000_000n + BigInt(j % 1000), pidOf(i), String(i + 2), domain);
      }
    })();
    const loaded = Date.now();
    c.finalize();
    const done = Date.now();
    console.log(`scale: ${P} processes, ${M} calls: load ${loaded - t0} ms, finalizeCase ${done - loaded} ms`);

    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM processes')).toBe(P + 1);
    expect(count('SELECT count(*) AS n FROM network WHERE process_id IS NULL OR process_id != CAST(process_name AS INTEGER)')).toBe(0);
    expect(count('SELECT count(*) AS n FROM processes WHERE root_reason IS NOT NULL')).toBe(0);
    expect(count(`SELECT max(depth) AS n FROM processes`)).toBe(CHAIN);
    // Each process's entry is the chain's first process, and its step the one holding that entry's start.
    expect(
      count(`SELECT count(*) AS n FROM processes p WHERE p.id > 1 AND p.entry_id != (((p.id - 2) / ${CHAIN}) * ${CHAIN} + 2)`),
    ).toBe(0);
    expect(
      count(`SELECT count(*) AS n FROM network n JOIN processes p ON p.id = n.process_id WHERE n.step_id IS NOT p.step_id`),
    ).toBe(0);
    expect(count(`SELECT count(*) AS n FROM network WHERE verdict = 'outside-policy'`)).toBe(Math.ceil(M / 1000));
    expect(count(`SELECT count(*) AS n FROM findings`)).toBe(Math.min(7, Math.ceil(M / 1000)));
    expect(count(`SELECT count(*) AS n FROM network WHERE finding_id IS NOT NULL`)).toBe(Math.ceil(M / 1000));
  });
});
