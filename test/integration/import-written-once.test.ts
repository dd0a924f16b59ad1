/**
 * Rows written once. Log lines: the writer assigns each line's step and depth while inserting it
 * (log-precompute.ts) and finalizeLogs skips its read-and-rewrite pass when that still holds. Checked against the
 * full pass: the same case re-finalized without the writer's hints (every line's step and depth recomputed from the stored rows) must
 * hold exactly the same values, for real inputs where the shortcut applies and where it must not. Calls: the writer
 * runs the network analysis on each call as it is written (network-live.ts); compared with the whole analysis run
 * again over the stored rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../bench/gen-data';
import { finalizeCase } from '../../electron/analysis/finalize';
import { createCase, finishBulkLoad } from '../../electron/db/open';
import { finalizeLogs } from '../../electron/import/gha/finalize-logs';
import { CaseWriter } from '../../electron/import/writer';
import { runImport } from '../../electron/import/run-import';
import { FIXTURE_BUNDLE, tempDir } from './import-helpers';

let work: string;
beforeAll(() => {
  work = tempDir('rl-log-precompute-');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

type Row = [number, number | null, number];
const lines = (p: string): Row[] => {
  const db = new Database(p, { readonly: true });
  try {
    return db.prepare('SELECT id, step_id, depth FROM log_lines ORDER BY id').raw(true).all() as Row[];
  } finally {
    db.close();
  }
};

/** The case's lines, and the same after finalizeLogs ran again on a copy without hints (the full pass). */
function fullPassOf(casePath: string): Row[] {
  const copy = `${casePath}.full`;
  fs.copyFileSync(casePath, copy);
  const db = new Database(copy);
  try {
    db.exec('UPDATE log_lines SET step_id = NULL, depth = -1');
    finalizeLogs(db, () => {});
  } finally {
    db.close();
  }
  return lines(copy);
}

/** Spy on the writer: did the lines get their step at insert time? */
function withHintsSpy<T>(fn: () => Promise<T>): Promise<{ value: T; assigned: boolean[] }> {
  const proto = CaseWriter.prototype as unknown as { logHints: unknown };
  const desc = Object.getOwnPropertyDescriptor(CaseWriter.prototype, 'logHints')!;
  const assigned: boolean[] = [];
  Object.defineProperty(proto, 'logHints', {
    configurable: true,
    get(this: CaseWriter) {
      const h = desc.get!.call(this) as { assigned: boolean };
      assigned.push(h.assigned);
      return h;
    },
  });
  return fn()
    .then((value) => ({ value, assigned }))
    .finally(() => Object.defineProperty(proto, 'logHints', desc));
}

describe('log lines assigned at insert time equal the full finalize pass', () => {
  it('a generated bundle (manifest first, one big job log): assigned at insert, identical rows', async () => {
    const b = writeBundle(path.join(work, 'gen'), { calls: 2000, processes: 300, logLines: 20_000 });
    const casePath = path.join(work, 'gen.runlens');
    const { assigned } = await withHintsSpy(() => runImport({ inputs: [b.dir], casePath }));
    expect(assigned.at(-1)).toBe(true); // as finalizeLogs saw them
    const got = lines(casePath);
    expect(got.length).toBe(b.expected.log_lines);
    expect(new Set(got.map((r) => r[1])).size).toBeGreaterThan(5); // many steps
    expect(got.some((r) => r[2] > 0)).toBe(true); // some group depth
    expect(got).toEqual(fullPassOf(casePath));
  });

  it('the fixture bundle (step files and a job file of the same job): identical rows', async () => {
    const casePath = path.join(work, 'fixture.runlens');
    await runImport({ inputs: [FIXTURE_BUNDLE], casePath });
    const got = lines(casePath);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(fullPassOf(casePath));
  });

  // job logs without manifest (steps from their own ##[group] lines, ids predicted at insert: log-precompute.ts
  // predictGroupSteps), composite actions' inner steps, a failed action, a log renamed by its `Complete job name:`
  it.each([
    ['blastradius_agno-agi__agno__job97433407085__log.txt', true],
    ['blastradius_Stirling-Tools__Stirling-PDF__077856960467.txt', true],
    ['menugreen_composite_job_log.txt', true],
    ['openwrt-home_0_build_redacted.txt', true],
    ['anthroshim_0_build_redacted.txt', true],
  ])('a job log without manifest (%s): assigned at insert from its own groups, identical rows', async (f, want) => {
    const log = path.join(__dirname, '../fixtures/gha', f);
    const casePath = path.join(work, `alone-${f}.runlens`);
    const { assigned } = await withHintsSpy(() => runImport({ inputs: [log], casePath }));
    expect(assigned.at(-1)).toBe(want);
    const got = lines(casePath);
    expect(new Set(got.map((r) => r[1])).size).toBeGreaterThan(2);
    expect(got.every((r) => r[1] !== null)).toBe(true);
    expect(got).toEqual(fullPassOf(casePath));
  });

  it('the generated bench log alone (no manifest): assigned at insert, identical rows', async () => {
    const b = writeBundle(path.join(work, 'gen-alone'), { calls: 200, processes: 300, logLines: 20_000 });
    const casePath = path.join(work, 'gen-alone.runlens');
    const { assigned } = await withHintsSpy(() => runImport({ inputs: [path.join(b.dir, 'logs/1_build.txt')], casePath }));
    expect(assigned.at(-1)).toBe(true);
    const got = lines(casePath);
    expect(got.length).toBe(20_000);
    expect(got).toEqual(fullPassOf(casePath));
  });

  it('predicted step ids that the steps written do not have are not used', () => {
    const p = path.join(work, 'predicted.runlens');
    const db = createCase(p, { bulkLoad: true });
    const w = new CaseWriter(db);
    const src = w.addSource({ parentId: null, path: 'x', member: null });
    const sink = w.sinkFor(src, 'x', 0n);
    const line = (seq: number, ts: bigint, plain: string, marker: 'group' | null) =>
      sink.logLine({ job: 'j', step_number: null, seq, ts, text: plain, plain, marker, line: seq + 1, line_end: seq + 1, raw: plain, file_kind: 'single' });
    const step = (n: number, name: string) =>
      sink.step({ job: 'j', number: n, name, uses: null, started_at: null, completed_at: null, conclusion: null, origin: 'groups', line: null, raw: '' });
    line(0, 10n, 'first', null);
    line(1, 20n, '##[group]Run a', 'group');
    line(2, 30n, 'inside', null);
    step(2, 'Run a'); // written out of order: ids no longer base + number
    step(1, 'Set up job');
    w.commit();
    expect(w.logHints.assigned).toBe(true);
    finalizeLogs(db, () => {}, w.logHints);
    const rows = db.prepare('SELECT s.number FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id ORDER BY l.id').pluck().all();
    finishBulkLoad(db);
    db.close();
    expect(rows).toEqual([1, 2, 2]);
  });

  it('writer hints that no longer hold (a step added after the lines) are not used', () => {
    const p = path.join(work, 'manual.runlens');
    const db = createCase(p, { bulkLoad: true });
    const w = new CaseWriter(db);
    const src = w.addSource({ parentId: null, path: 'x', member: null });
    const sink = w.sinkFor(src, 'x', 0n);
    const step = (n: number, a: bigint, b: bigint) =>
      sink.step({ job: 'j', number: n, name: `s${n}`, uses: null, started_at: a, completed_at: b, conclusion: null, origin: 'manifest', line: null, raw: '' });
    step(1, 0n, 100n);
    step(2, 101n, 200n);
    const line = (seq: number, ts: bigint, plain: string, marker: 'group' | 'endgroup' | null) =>
      sink.logLine({ job: 'j', step_number: null, seq, ts, text: plain, plain, marker, line: seq + 1, line_end: seq + 1, raw: plain, file_kind: 'job' });
    line(0, 10n, '##[group]Run a', 'group');
    line(1, 20n, 'inside', null);
    line(2, 30n, '##[endgroup]', 'endgroup');
    line(3, 150n, 'later', null);
    step(3, 140n, 160n); // a manifest step written after the lines: line 3 belongs to it
    w.commit();
    expect(w.logHints.assigned).toBe(true);
    finalizeLogs(db, () => {}, w.logHints);
    const rows = db.prepare('SELECT s.number, l.depth FROM log_lines l LEFT JOIN steps s ON s.id = l.step_id ORDER BY l.id').raw(true).all();
    finishBulkLoad(db);
    db.close();
    expect(rows).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [3, 0],
    ]);
  });
});

/** Every derived table and column, as text rows, for comparing two cases. */
function derived(p: string): Record<string, unknown[]> {
  const db = new Database(p, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).raw(true).safeIntegers(true).all();
    return {
      network: q('SELECT id, process_id, domain, domain_origin, endpoint, verdict, finding_id, step_id, running_step_id FROM network ORDER BY id'),
      processes: q('SELECT * FROM processes ORDER BY id'),
      events: q('SELECT id, process_id FROM process_events ORDER BY id'),
      dns: q('SELECT id, process_id FROM dns ORDER BY id'),
      files: q('SELECT id, process_id FROM file_events ORDER BY id'),
      findings: q('SELECT * FROM findings ORDER BY id'),
      warnings: q('SELECT source_id, file, line, message FROM warnings ORDER BY id'),
    };
  } finally {
    db.close();
  }
}

/** The same case with the analysis run again from the stored rows (no writer hints: every pass over every row). */
function reanalysed(casePath: string): Record<string, unknown[]> {
  const copy = `${casePath}.again`;
  fs.copyFileSync(casePath, copy);
  const db = new Database(copy);
  const late: unknown[] = [];
  try {
    finalizeCase(db, { warn: (w) => late.push(w) });
  } finally {
    db.close();
  }
  return derived(copy);
}

describe('calls analysed as they are written equal the network pass', () => {
  it('a generated bundle: calls written once with their process, endpoint, verdict and steps', async () => {
    const b = writeBundle(path.join(work, 'gen-net'), { calls: 3000, processes: 400, logLines: 2000 });
    const casePath = path.join(work, 'gen-net.runlens');
    const live: boolean[] = [];
    const desc = Object.getOwnPropertyDescriptor(CaseWriter.prototype, 'networkLive')!;
    Object.defineProperty(CaseWriter.prototype, 'networkLive', {
      configurable: true,
      get(this: CaseWriter) {
        const v = desc.get!.call(this) as unknown;
        live.push(v !== null);
        return v;
      },
    });
    try {
      await runImport({ inputs: [b.dir], casePath });
    } finally {
      Object.defineProperty(CaseWriter.prototype, 'networkLive', desc);
    }
    // the import's writer (and, its calls taken from it, the calls worker's writer when it runs on this thread)
    expect(live.length).toBeGreaterThan(0);
    expect(live.every(Boolean)).toBe(true);
    const got = derived(casePath);
    expect(got.network!.length).toBe(3000);
    expect(got.network!.every((r) => (r as unknown[])[1] !== null && (r as unknown[])[7] !== null)).toBe(true);
    expect(got.findings!.length).toBeGreaterThan(0);
    const again = reanalysed(casePath);
    expect(got.network).toEqual(again.network);
    expect(got.processes).toEqual(again.processes);
    expect(got.events).toEqual(again.events);
    expect(got.findings).toEqual(again.findings);
  });

  it('the fixture bundle (DNS fill, a process table, detections, files): identical derived rows', async () => {
    const casePath = path.join(work, 'fixture-net.runlens');
    await runImport({ inputs: [FIXTURE_BUNDLE], casePath });
    const got = derived(casePath);
    const again = reanalysed(casePath);
    for (const t of ['network', 'processes', 'events', 'dns', 'files', 'findings'] as const) expect(got[t]).toEqual(again[t]);
    expect(got.network!.some((r) => (r as unknown[])[3] === 'dns')).toBe(true); // a domain filled from DNS
  });

  it('two inputs, the second adding process events after the calls: the pass runs, same as a fresh analysis', async () => {
    const a = path.join(work, 'two-a');
    const bdir = path.join(work, 'two-b');
    fs.mkdirSync(a, { recursive: true });
    fs.mkdirSync(bdir, { recursive: true });
    for (const f of ['manifest.json', 'network.jsonl']) fs.copyFileSync(path.join(FIXTURE_BUNDLE, f), path.join(a, f));
    fs.copyFileSync(path.join(FIXTURE_BUNDLE, 'processes.jsonl'), path.join(bdir, 'processes.jsonl'));
    const casePath = path.join(work, 'two.runlens');
    await runImport({ inputs: [a, bdir], casePath });
    const got = derived(casePath);
    expect(got.network!.some((r) => (r as unknown[])[1] !== null)).toBe(true); // calls found their processes
    const again = reanalysed(casePath);
    expect(got.network).toEqual(again.network);
    expect(got.findings).toEqual(again.findings);
  });
});

describe('multi-row inserts (row-batch.ts)', () => {
  it('a value SQLite cannot store refuses only its record, with a warning naming its line; the rest of the batch is stored', () => {
    const p = path.join(work, 'batch.runlens');
    const db = createCase(p, { bulkLoad: true });
    const w = new CaseWriter(db);
    const src = w.addSource({ parentId: null, path: 'x.log', member: null });
    const sink = w.sinkFor(src, 'x.log', 0n);
    const tooLate = 1n << 70n; // beyond SQLite's 64-bit integers
    for (let i = 0; i < 150; i++) {
      const text = `line ${i}`;
      sink.logLine({ job: 'j', step_number: null, seq: i, ts: i === 70 ? tooLate : BigInt(i), text, plain: text, marker: null, line: i + 1, line_end: i + 1, raw: text, file_kind: 'single' });
      sink.network({ line: i + 1, raw: '{}', ts: i === 10 ? tooLate : BigInt(i), pid: 1, process: null, domain: 'a.example', ip: null, port: 443, protocol: 'tcp', status: 'allowed', http: null, policy: null, tool: null });
    }
    sink.finish();
    w.commit();
    const lines = db.prepare('SELECT line FROM log_lines ORDER BY id').pluck().all() as number[];
    const calls = db.prepare('SELECT line FROM network ORDER BY id').pluck().all() as number[];
    const warnings = db.prepare('SELECT file, line FROM warnings ORDER BY line').raw(true).all();
    db.close();
    expect(lines).toHaveLength(149);
    expect(lines).not.toContain(71);
    expect(lines).toEqual([...lines].sort((a, b) => a - b)); // stored in order around the refused one
    expect(calls).toHaveLength(149);
    expect(calls).not.toContain(11);
    expect(sink.counts.log_lines).toBe(149);
    expect(sink.counts.network).toBe(149);
    expect(warnings).toEqual([
      ['x.log', 11],
      ['x.log', 71],
    ]);
    expect(w.logHints.assigned).toBe(false);
  });
});

/** Everything finalizeLogs derives from the lines, as rows (ids included), for comparing two imports. */
function logTables(p: string): Record<string, unknown[]> {
  const db = new Database(p, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).raw(true).safeIntegers(true).all();
    return {
      lines: q('SELECT * FROM log_lines ORDER BY id'),
      steps: q('SELECT * FROM steps ORDER BY id'),
      mentions: q('SELECT * FROM log_mentions ORDER BY rowid'),
      warnings: q('SELECT source_id, file, line, message FROM warnings ORDER BY id'),
      accounting: q('SELECT id, lines, records, lines_stored, lines_skipped, skipped FROM sources ORDER BY id'),
    };
  } finally {
    db.close();
  }
}

/**
 * runImport with the writer's finds withheld from finalizeLogs (the needle lines, the job logs' sources, the mention
 * lines' texts): its passes scan or read back the stored lines instead.
 */
async function importWithoutHints(input: string, casePath: string): Promise<void> {
  const desc = Object.getOwnPropertyDescriptor(CaseWriter.prototype, 'logHints')!;
  const withheld = (h: object) =>
    new Proxy(h, {
      get(t, k) {
        if (k === 'needleLines' || k === 'jobLogSources') return null;
        const v = Reflect.get(t, k, t) as unknown;
        return k === 'mentionLines' && v ? { ...(v as object), texts: null } : v;
      },
    });
  Object.defineProperty(CaseWriter.prototype, 'logHints', {
    configurable: true,
    get(this: CaseWriter) {
      return withheld(desc.get!.call(this) as object);
    },
  });
  try {
    await runImport({ inputs: [input], casePath });
  } finally {
    Object.defineProperty(CaseWriter.prototype, 'logHints', desc);
  }
}

describe("finalizeLogs' lines found by the writer equal its scans of every line", () => {
  // real inputs: single logs with `Complete job name:` (renamed) and `Download action repository` (action SHAs), a
  // one-job archive folder (re-laid out as steps), step files beside a job log, a whole-run zip, the fixture bundle
  const fixtures = [
    'gha/anthroshim_0_build_redacted.txt',
    'gha/openwrt-home_0_build_redacted.txt',
    'gha/lksay3d_build',
    'gha/cicdflask_build',
    'gha/kristina157_logs_1.zip',
    'bundle/small-bundle',
  ];
  it.each(fixtures)('%s: identical lines, steps (names, action SHAs), mentions, warnings and accounting', async (f) => {
    const input = path.join(__dirname, '../fixtures', f);
    const a = path.join(work, `hints-${path.basename(f)}.runlens`);
    const b = path.join(work, `scans-${path.basename(f)}.runlens`);
    await runImport({ inputs: [input], casePath: a });
    await importWithoutHints(input, b);
    const got = logTables(a);
    expect(got.lines!.length).toBeGreaterThan(0);
    expect(got).toEqual(logTables(b));
  });

  it('the action SHAs and the job name come from the lines the writer found', async () => {
    const input = path.join(__dirname, '../fixtures/gha/anthroshim_0_build_redacted.txt');
    const casePath = path.join(work, 'anthroshim-needles.runlens');
    await runImport({ inputs: [input], casePath });
    const db = new Database(casePath, { readonly: true });
    try {
      expect((db.prepare(`SELECT count(*) FROM steps WHERE action_sha IS NOT NULL`).pluck().get() as number) > 0).toBe(true);
      expect(db.prepare(`SELECT DISTINCT job FROM log_lines`).pluck().all()).toEqual([
        (db.prepare(`SELECT substr(text, 20) FROM log_lines WHERE text LIKE 'Complete job name: %' LIMIT 1`).pluck().get() as string).trim(),
      ]);
    } finally {
      db.close();
    }
  });
});
