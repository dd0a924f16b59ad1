/** The import job state machine behind import.start/status/cancel, with a runner that really waits and honours abort. */
import { describe, expect, it } from 'vitest';
import { ImportJobs, type ImportRunner } from '../../electron/api/imports';

const until = async (f: () => boolean) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
};

function slowRunner(result: { casePath: string; warnings: number } | Error): ImportRunner & { release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const run: ImportRunner = async ({ signal, onProgress }) => {
    onProgress({ phase: 'reading', fraction: 0.25, message: 'network.jsonl' });
    await Promise.race([
      gate,
      new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('cancelled')))),
    ]);
    if (result instanceof Error) throw result;
    return result;
  };
  return Object.assign(run, { release: () => release() });
}

describe('import jobs', () => {
  it('reports progress, switches the case when done and releases the sources once', async () => {
    const switched: string[] = [];
    let released = 0;
    const runner = slowRunner({ casePath: '/cases/new.runlens', warnings: 2 });
    const jobs = new ImportJobs({ onDone: (p) => void switched.push(p), runner });
    const { job } = jobs.start({ paths: ['/tmp/x'], release: () => released++ });
    await until(() => jobs.status(job).phase === 'reading');
    expect(jobs.status(job)).toMatchObject({
      state: 'running',
      phase: 'reading',
      fraction: 0.25,
      message: 'network.jsonl',
    });
    // One import at a time: a second start is refused, and its sources are left alone (the user's upload stays).
    let released2 = 0;
    expect(jobs.busy).toBe(true);
    expect(() => jobs.start({ paths: ['/tmp/y'], release: () => released2++ })).toThrow(/already running/);
    expect(released2).toBe(0);
    runner.release();
    await until(() => jobs.status(job).state !== 'running');
    expect(jobs.status(job)).toMatchObject({
      state: 'done',
      case_file: '/cases/new.runlens',
      warnings: 2,
      fraction: 1,
    });
    expect(switched).toEqual(['/cases/new.runlens']);
    expect(released).toBe(1);
    expect(jobs.cancel(job)).toEqual({ cancelled: false });
  });

  it('cancels a running import: no switch, sources released', async () => {
    const switched: string[] = [];
    let released = 0;
    const jobs = new ImportJobs({
      onDone: (p) => void switched.push(p),
      runner: slowRunner({ casePath: '/c', warnings: 0 }),
    });
    const { job } = jobs.start({ paths: ['/tmp/x'], release: () => released++ });
    expect(jobs.cancel(job)).toEqual({ cancelled: true });
    await until(() => jobs.status(job).state !== 'running');
    expect(jobs.status(job).state).toBe('cancelled');
    expect(switched).toEqual([]);
    expect(released).toBe(1);
  });

  it('reports a failure as one line and keeps the current case', async () => {
    const switched: string[] = [];
    const runner = slowRunner(new Error('manifest.json line 3: not JSON\n    at parse (x.ts:1:1)'));
    const jobs = new ImportJobs({ onDone: (p) => void switched.push(p), runner });
    const { job } = jobs.start({ paths: ['/tmp/x'], release: () => {} });
    runner.release();
    await until(() => jobs.status(job).state !== 'running');
    expect(jobs.status(job)).toMatchObject({ state: 'failed', error: 'manifest.json line 3: not JSON' });
    expect(switched).toEqual([]);
    expect(() => jobs.status('nope')).toThrow(/no import job/);
  });

  it('names the case from its first screen, advances its state, and says when it was interrupted', async () => {
    const partial = { path: '/cases/new.runlens.partial-1-abcdefabcdef', casePath: '/cases/new.runlens' };
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const runner: ImportRunner = async ({ signal, onProgress }) => {
      onProgress({ phase: 'reading', partial: { ...partial, state: 'loading' } });
      onProgress({ phase: 'reading', partial: { ...partial, state: 'loading' } }); // the same: not opened again
      onProgress({ phase: 'finalizing', partial: { ...partial, state: 'analysing' } });
      await Promise.race([
        gate,
        new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('cancelled')))),
      ]);
      return { casePath: partial.casePath, warnings: 0 };
    };
    const opened: string[] = [];
    const interrupted: string[] = [];
    const jobs = new ImportJobs({
      onDone: () => 'case-id',
      onPartial: (p) => (opened.push(p.state), 'case-id'),
      onInterrupted: (p, why) => void interrupted.push(`${p.casePath} ${why}`),
      runner,
    });
    const { job } = jobs.start({ paths: ['/tmp/x'], release: () => {} });
    await until(() => jobs.status(job).case_state === 'analysing');
    expect(jobs.status(job)).toMatchObject({ state: 'running', case_id: 'case-id', case_state: 'analysing' });
    expect(opened).toEqual(['loading', 'analysing']);
    jobs.cancel(job);
    await until(() => jobs.status(job).state !== 'running');
    expect(jobs.status(job)).toMatchObject({ state: 'cancelled', case_id: 'case-id', case_state: 'interrupted' });
    expect(interrupted).toEqual(['/cases/new.runlens cancelled']);
    release();

    // A job that completes: 'complete', and no interruption said.
    const done = new ImportJobs({
      onDone: () => 'case-id',
      onPartial: () => 'case-id',
      onInterrupted: () => interrupted.push('no'),
      runner: async ({ onProgress }) => {
        onProgress({ phase: 'reading', partial: { ...partial, state: 'loading' } });
        return { casePath: partial.casePath, warnings: 0 };
      },
    });
    const j2 = done.start({ paths: ['/tmp/x'], release: () => {} }).job;
    await until(() => done.status(j2).state !== 'running');
    expect(done.status(j2)).toMatchObject({ state: 'done', case_id: 'case-id', case_state: 'complete' });
    expect(interrupted).toEqual(['/cases/new.runlens cancelled']);
  });
});
