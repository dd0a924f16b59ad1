/**
 * The query pool's first-screen order (benchmark 7): with `prestart` its processes start with the pool, before any
 * query; the first screen's queries (log.window, steps.list, case.info, case.status) go ahead of heavier ones that
 * were asked before them, and each lane keeps its order. Driven through a scripted query process (the pool's
 * `spawn` hook) over a real case file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWorkerPool, type QueryProcess } from '../../electron/api/query-worker-pool';
import { answerQuery } from '../../electron/api/dispatch';
import { openCaseReadOnly } from '../../electron/db/open';
import type { QueryAnswer, QueryRequest } from '../../electron/api/query-worker';
import { makeStoryCase } from '../e2e/support/story-case';

let dir: string;
let casePath: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-pool-lanes-'));
  casePath = path.join(dir, 'story.runlens');
  makeStoryCase(casePath);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Scripted extends QueryProcess {
  sent: QueryRequest[];
  answer(m: QueryAnswer): void;
}

function scripted(): { procs: Scripted[]; spawn: () => QueryProcess } {
  const procs: Scripted[] = [];
  return {
    procs,
    spawn: () => {
      let onMsg: (m: QueryAnswer) => void = () => {};
      const p: Scripted = {
        sent: [],
        send: (m) => void p.sent.push(m),
        onMessage: (cb) => void (onMsg = cb),
        onExit: () => {},
        kill: () => {},
        answer: (m) => onMsg(m),
      };
      procs.push(p);
      return p;
    },
  };
}

const runs = (p: Scripted) => p.sent.filter((m): m is Extract<QueryRequest, { op: 'run' }> => m.op === 'run');

describe('query pool: first screen first', () => {
  it('starts its processes with the pool when asked to, not at the first query', () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 2, workerPath: 'unused', spawn: s.spawn, prestart: true });
    expect(s.procs).toHaveLength(2);
    pool.dispose();
    const lazy = scripted();
    const pool2 = queryWorkerPool({ size: 2, workerPath: 'unused', spawn: lazy.spawn });
    expect(lazy.procs).toHaveLength(0);
    pool2.dispose();
  });

  it("staged ('on-open', serve): nothing before a case is coming, then the first-screen lane alone, the others once it answered a log window", async () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 2, workerPath: 'unused', spawn: s.spawn, prestart: 'on-open', firstScreenLane: true });
    expect(s.procs).toHaveLength(0); // the import's start has the CPU
    pool.prepare!();
    expect(s.procs).toHaveLength(1);
    const lane = s.procs[0]!;
    pool.open(casePath);
    const first = [pool.run(casePath, 'log.outline', {}), pool.run(casePath, 'case.info', {})];
    expect(s.procs).toHaveLength(1); // the first screen's queries wait for the lane, not for more processes
    lane.answer({ id: 0, ready: true });
    for (let i = 0; i < 2; i++) {
      const m = runs(lane)[i]!;
      lane.answer({ id: m.id, ok: true, value: m.method });
    }
    expect(await Promise.all(first)).toEqual(['log.outline', 'case.info']);
    expect(s.procs).toHaveLength(1);
    const win = pool.run(casePath, 'log.window', {});
    lane.answer({ id: runs(lane)[2]!.id, ok: true, value: 'rows' });
    expect(await win).toBe('rows');
    expect(s.procs).toHaveLength(3); // now the others
    pool.dispose();

    // A heavier query asked before that starts its process at once.
    const t = scripted();
    const pool2 = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: t.spawn, prestart: 'on-open', firstScreenLane: true });
    pool2.open(casePath);
    expect(t.procs).toHaveLength(1);
    void pool2.run(casePath, 'network.query', {}).catch(() => {});
    expect(t.procs).toHaveLength(2);
    pool2.dispose();
  });

  it('runs the log window, steps and case state ahead of heavier queries asked earlier, each lane in order', async () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: s.spawn, prestart: true });
    pool.open(casePath);
    const asked = ['timeline.density', 'network.query', 'log.window', 'process.tree', 'steps.list', 'case.info'];
    const answers = asked.map((m) => pool.run(casePath, m, {}));
    const proc = s.procs[0]!;
    expect(runs(proc)).toHaveLength(0); // not ready yet: all wait in line
    proc.answer({ id: 0, ready: true });
    const order: string[] = [];
    for (let i = 0; i < asked.length; i++) {
      const m = runs(proc)[i]!;
      order.push(m.method);
      proc.answer({ id: m.id, ok: true, value: m.method });
    }
    expect(order).toEqual(['log.window', 'steps.list', 'case.info', 'timeline.density', 'network.query', 'process.tree']);
    expect(await Promise.all(answers)).toEqual(asked);
    pool.dispose();
  });

  it('with a first-screen lane, the log window runs while heavier queries hold the other process; heavy ones never take the lane', async () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: s.spawn, prestart: true, firstScreenLane: true });
    expect(s.procs).toHaveLength(2);
    pool.open(casePath);
    const [lane, other] = s.procs as [Scripted, Scripted];
    lane.answer({ id: 0, ready: true });
    other.answer({ id: 0, ready: true });
    const heavy = [pool.run(casePath, 'timeline.density', {}), pool.run(casePath, 'network.query', {})];
    const win = pool.run(casePath, 'log.window', {});
    expect(runs(other).map((m) => m.method)).toEqual(['timeline.density']);
    expect(runs(lane).map((m) => m.method)).toEqual(['log.window']); // not behind the density scan
    lane.answer({ id: runs(lane)[0]!.id, ok: true, value: 'rows' });
    expect(await win).toBe('rows');
    expect(runs(lane)).toHaveLength(1); // network.query waits for the other process, not the idle lane
    other.answer({ id: runs(other)[0]!.id, ok: true, value: 1 });
    await Promise.resolve();
    expect(runs(other).map((m) => m.method)).toEqual(['timeline.density', 'network.query']);
    other.answer({ id: runs(other)[1]!.id, ok: true, value: 2 });
    expect(await Promise.all(heavy)).toEqual([1, 2]);
    pool.dispose();
  });

  it("serve's first screen of its own partial case is read in this thread while small: no query process starts for it", async () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: s.spawn, prestart: 'on-open', firstScreenLane: true, firstScreenHere: true });
    pool.prepare!(); // an import's case is coming
    pool.open(casePath, { partial: true });
    expect(s.procs).toHaveLength(0);
    const db = openCaseReadOnly(casePath);
    try {
      for (const [m, p] of [['log.outline', {}], ['log.window', { offset: 0, limit: 50 }], ['steps.list', {}], ['case.info', {}], ['case.status', {}]] as const) {
        expect(await pool.run(casePath, m, p)).toEqual(answerQuery(db, m, p)); // the same answer as a query process gives
      }
    } finally {
      db.close();
    }
    expect(s.procs).toHaveLength(0);
    // Anything else goes to the pool, which starts for it.
    void pool.run(casePath, 'timeline.density', {}).catch(() => {});
    expect(s.procs.length).toBeGreaterThan(0);
    pool.dispose();
  });

  it('past its first screen (more rows than allowed here) or complete, a case is read by the pool', async () => {
    const s = scripted();
    const pool = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: s.spawn, prestart: 'on-open', firstScreenLane: true, firstScreenHere: { maxRows: 3 } });
    pool.open(casePath, { partial: true });
    const win = pool.run(casePath, 'log.window', { offset: 0, limit: 5 });
    expect(s.procs).toHaveLength(1); // the lane, for the window the story case is too big to read here
    const lane = s.procs[0]!;
    lane.answer({ id: 0, ready: true });
    expect(runs(lane).map((m) => [m.method, m.partial])).toEqual([['log.window', true]]);
    lane.answer({ id: runs(lane)[0]!.id, ok: true, value: 'from the pool' });
    expect(await win).toBe('from the pool');
    pool.dispose();

    const t = scripted();
    const pool2 = queryWorkerPool({ size: 1, workerPath: 'unused', spawn: t.spawn, firstScreenHere: true });
    pool2.open(casePath); // complete: never read here
    void pool2.run(casePath, 'log.outline', {}).catch(() => {});
    expect(t.procs.length).toBeGreaterThan(0);
    pool2.dispose();
  });
});
