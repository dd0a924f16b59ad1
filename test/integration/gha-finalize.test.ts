import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { migrate } from '../../electron/db/open';
import { finalizeLogs } from '../../electron/import/gha/finalize-logs';
import type { ImportWarning } from '../../shared/model';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { importPath, importText, importZip } from '../unit/gha-sink';
import { allLines, allSteps, insertStep, storeSink, tempCase } from './gha-case';

const FIX = path.join(__dirname, '../fixtures/gha');
const STIRLING = path.join(FIX, 'blastradius_Stirling-Tools__Stirling-PDF__077856960467.txt');
const CLI_ZIP = path.join(FIX, 'cli-cli_run_log.zip');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function newCase() {
  const c = tempCase();
  cleanups.push(c.done);
  return c;
}

function finalize(db: ReturnType<typeof newCase>['db']): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  migrate(db); // migration 2 (indexes), as after a real load
  finalizeLogs(db, (w) => warnings.push(w));
  return warnings;
}

interface YazlZip {
  addBuffer(buf: Buffer, name: string): void;
  end(): void;
  outputStream: NodeJS.ReadableStream;
}
const yazl = createRequire(import.meta.url)('yazl') as { ZipFile: new () => YazlZip };

const T = (s: string) => `2026-10-14T10:00:${s}Z`;
const lines = (...ls: string[]) => ls.join('\n') + '\n';

async function writeZip(file: string, members: [string, string | Buffer][]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, body] of members) zip.addBuffer(typeof body === 'string' ? Buffer.from(body) : body, name);
  zip.end();
  await new Promise<void>((res, rej) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', res).on('error', rej);
  });
}

describe('finalizeLogs on a lone job log (Stirling-PDF)', () => {
  it('keeps 66 lines in reading order, assigns group-derived steps and group depth, rebuilds FTS', async () => {
    const { db } = newCase();
    storeSink(db, await importPath(STIRLING, path.basename(STIRLING)), STIRLING, null);
    expect(finalize(db)).toEqual([]);

    const ls = allLines(db);
    expect(ls).toHaveLength(66);
    expect(ls.map((l) => l.id)).toEqual([...Array(66).keys()].map((i) => i + 1));
    expect(ls.map((l) => l.line)).toEqual([...ls.map((l) => l.line)].sort((a, b) => a - b));

    const steps = allSteps(db);
    expect(steps.map((s) => [s.number, s.name, s.origin])).toEqual([
      [1, 'Set up job', 'groups'],
      [2, 'Run ok=true', 'groups'],
      [3, 'Complete job', 'groups'],
    ]);
    const stepOf = (line: number) => steps.find((s) => s.id === ls.find((l) => l.line === line)!.step_id)?.number;
    expect(stepOf(1)).toBe(1);
    expect(stepOf(28)).toBe(1);
    expect(stepOf(29)).toBe(2);
    expect(stepOf(47)).toBe(2);
    expect(stepOf(79)).toBe(2);
    expect(stepOf(80)).toBe(3);
    expect(ls.filter((l) => l.step_id === null)).toEqual([]);

    const depthOf = (line: number) => ls.find((l) => l.line === line)!.depth;
    expect([
      depthOf(2),
      depthOf(3),
      depthOf(9),
      depthOf(10),
      depthOf(29),
      depthOf(30),
      depthOf(47),
      depthOf(62),
      depthOf(63),
      depthOf(79),
    ]).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0, 0]);

    const hit = db.prepare(`SELECT rowid AS id FROM log_fts WHERE log_fts MATCH '"results:"'`).all() as {
      id: number;
    }[];
    expect(hit.map((h) => h.id)).toEqual([ls.find((l) => l.line === 47)!.id]);
    const err = db.prepare(`SELECT rowid AS id FROM log_fts WHERE log_fts MATCH 'completed AND exit'`).all() as {
      id: number;
    }[];
    expect(err.map((h) => ls.find((l) => l.id === h.id)!.marker)).toEqual(['error']);
  });

  it('takes the manifest job name and manifest steps; lines placed by step windows; missing times filled', async () => {
    const { db } = newCase();
    db.prepare(`INSERT INTO meta (key, value) VALUES ('run', ?)`).run(JSON.stringify({ job: 'all-checks' }));
    const t = (s: string) => parseRfc3339(`2026-05-26T10:38:${s}Z`);
    const manifest = (number: number, name: string, a: bigint | null, b: bigint | null) =>
      insertStep(
        db,
        {
          job: 'all-checks',
          number,
          name,
          uses: null,
          started_at: a,
          completed_at: b,
          conclusion: 'success',
          origin: 'manifest',
          line: null,
          raw: '',
        },
        null,
      );
    manifest(1, 'Set up job', t('25.80'), t('25.95'));
    manifest(2, 'Run ok=true', t('25.95'), null);
    manifest(3, 'Complete job', t('26.455'), t('26.50'));
    storeSink(db, await importPath(STIRLING, path.basename(STIRLING)), STIRLING, null);
    expect(finalize(db)).toEqual([]);

    const steps = allSteps(db);
    expect(steps.map((s) => [s.job, s.number, s.origin])).toEqual([
      ['all-checks', 1, 'manifest'],
      ['all-checks', 2, 'manifest'],
      ['all-checks', 3, 'manifest'],
    ]);
    const ls = allLines(db);
    expect(new Set(ls.map((l) => l.job))).toEqual(new Set(['all-checks']));
    const num = (line: number) => steps.find((s) => s.id === ls.find((l) => l.line === line)!.step_id)!.number;
    expect([num(1), num(28), num(29), num(79), num(80)]).toEqual([1, 1, 2, 2, 3]);
    // step 2 had no end: it ends at its last line
    expect(formatNanos(steps[1]!.completed_at!)).toBe('2026-05-26T10:38:26.448082000Z');
  });
});

describe('finalizeLogs on a whole-run archive (real zip written with yazl)', () => {
  const setup = lines(
    `${T('00.0000000')} Current runner version: '2.330.0'`,
    `${T('00.1000000')} ##[group]Operating System`,
    `${T('00.2000000')} Ubuntu`,
    `${T('00.3000000')} ##[endgroup]`,
  );
  const checkout = lines(
    `${T('01.0000000')} ##[group]Run actions/checkout@v4`,
    `${T('01.1000000')} with:`,
    `${T('01.2000000')} ##[endgroup]`,
    `${T('01.3000000')} [command]/usr/bin/git version`,
  );
  const npmTest = lines(
    `${T('02.0000000')} ##[group]Run npm test`,
    `${T('02.1000000')} \x1b[36;1mnpm test\x1b[0m`,
    `${T('02.2000000')} ##[endgroup]`,
    `${T('02.3000000')} ##[group]outer`,
    `${T('02.4000000')} ##[group]inner`,
    `${T('02.5000000')} deep`,
    `deep-continued`,
    `${T('02.6000000')} ##[endgroup]`,
    `${T('02.7000000')} ##[endgroup]`,
    `${T('03.0000000')} ##[error]Process completed with exit code 1.`,
  );
  const lint = lines(
    `${T('05.0000000')} Current runner version: '2.330.0'`,
    `${T('05.5000000')} ##[group]Run actions/setup-node@v4`,
    `${T('05.6000000')} ##[endgroup]`,
    `${T('06.0000000')} ##[group]Run npm run lint`,
    `${T('06.5000000')} ok`,
    `${T('07.0000000')} Post job cleanup.`,
    `${T('07.5000000')} Cleaning up orphan processes`,
  );

  it('imports each line once, orders jobs and lines by time, steps by precedence, depth by nesting', async () => {
    const { db, dir } = newCase();
    const zipPath = path.join(dir, 'logs.zip');
    await writeZip(zipPath, [
      ['2_lint.txt', lint],
      ['1_test.txt', setup + checkout + npmTest],
      ['test/3_Run npm test.txt', npmTest],
      ['test/1_Set up job.txt', setup],
      ['__MACOSX/test/._1_Set up job.txt', Buffer.from([0, 5, 22, 7, 0, 2, 0, 0])],
      ['test/2_Run actionscheckout@v4.txt', checkout],
    ]);
    const { taken, refused } = await importZip(zipPath);
    expect(refused).toEqual(['__MACOSX/test/._1_Set up job.txt']);
    for (const t of taken) storeSink(db, t.sink, `${zipPath}!/${t.name}`, t.name);
    expect(allLines(db)).toHaveLength(7 + 17 + 17);
    expect(finalize(db)).toEqual([]);

    const ls = allLines(db);
    expect(ls).toHaveLength(24);
    expect(ls.map((l) => l.id)).toEqual([...Array(24).keys()].map((i) => i + 1));
    // the job-level log is kept whole; the step files' lines (its duplicates) are dropped, their steps kept
    expect(ls.slice(0, 17).every((l) => l.job === 'test' && l.file_kind === 'job')).toBe(true);
    expect(ls.slice(17).every((l) => l.job === 'lint' && l.file_kind === 'job')).toBe(true);
    const stepsNow = new Map(allSteps(db).map((s) => [s.id, s]));
    expect(ls.slice(0, 17).map((l) => `${stepsNow.get(l.step_id!)!.number}:${l.line}`)).toEqual([
      '1:1',
      '1:2',
      '1:3',
      '1:4',
      '2:5',
      '2:6',
      '2:7',
      '2:8',
      '3:9',
      '3:10',
      '3:11',
      '3:12',
      '3:13',
      '3:14',
      '3:16',
      '3:17',
      '3:18',
    ]);
    const deep = ls.find((l) => l.text.startsWith('deep'))!;
    expect(deep).toMatchObject({ text: 'deep\ndeep-continued', line: 14, line_end: 15, depth: 2 });
    expect(ls.filter((l) => stepsNow.get(l.step_id!)!.number === 3 && l.job === 'test').map((l) => l.depth)).toEqual([0, 1, 0, 0, 1, 2, 1, 0, 0]);
    // the unclosed `Run npm run lint` group ends where the next step (Post job cleanup.) begins
    expect(ls.slice(17).map((l) => l.depth)).toEqual([0, 0, 0, 0, 1, 0, 0]);

    const steps = allSteps(db);
    expect(steps.map((s) => `${s.job}#${s.number} ${s.name} [${s.origin}] ${s.uses ?? ''}`.trim())).toEqual([
      'lint#1 Set up job [groups]',
      'lint#2 Run actions/setup-node@v4 [groups] actions/setup-node@v4',
      'lint#3 Run npm run lint [groups]',
      'lint#4 Post job cleanup. [groups]',
      'lint#5 Complete job [groups]',
      'test#1 Set up job [files]',
      'test#2 Run actions/checkout@v4 [files] actions/checkout@v4',
      'test#3 Run npm test [files]',
    ]);
    expect(steps.find((s) => s.job === 'test' && s.number === 3)!.conclusion).toBe('failure');
    const byId = new Map(steps.map((s) => [s.id, s]));
    for (const l of ls.slice(0, 17)) expect(byId.get(l.step_id!)).toMatchObject({ job: 'test' });
    expect(ls.slice(17).map((l) => byId.get(l.step_id!)!.number)).toEqual([1, 2, 2, 3, 3, 4, 5]);
    expect(formatNanos(steps.find((s) => s.job === 'test' && s.number === 3)!.completed_at!)).toBe(
      '2026-10-14T10:00:03.000000000Z',
    );

    const fts = db.prepare(`SELECT rowid AS id FROM log_fts WHERE log_fts MATCH 'deep'`).all() as { id: number }[];
    expect(fts.map((r) => r.id)).toEqual([deep.id]);
    expect(
      (db.prepare(`SELECT count(*) AS n FROM log_fts WHERE log_fts MATCH 'runner'`).get() as { n: number }).n,
    ).toBe(2);

    // running it again changes nothing
    const before = [allLines(db), allSteps(db)];
    finalizeLogs(db, () => {});
    expect([allLines(db), allSteps(db)]).toEqual(before);
  });

  it('keeps the cli/cli untimed archive in file order, steps by file number', async () => {
    const { db } = newCase();
    const { taken } = await importZip(CLI_ZIP);
    for (const t of taken) storeSink(db, t.sink, `run_log.zip!/${t.name}`, t.name);
    expect(finalize(db)).toEqual([]);
    const ls = allLines(db);
    expect(ls).toHaveLength(25);
    const cool = ls.filter((l) => l.job === 'cool job');
    expect(cool.map((l) => `${l.step_number}:${l.text}`)).toEqual([
      '1:log line 1',
      '1:log line 2',
      '1:log line 3',
      '2:log line 1',
      '2:log line 2',
      '2:log line 3',
    ]);
    // each job's lines are contiguous ids
    const jobs = ls.map((l) => l.job).filter((j, i, a) => i === 0 || a[i - 1] !== j);
    expect(new Set(jobs).size).toBe(jobs.length);
    const steps = allSteps(db);
    const byId = new Map(steps.map((s) => [s.id, s]));
    for (const l of ls)
      expect(byId.get(l.step_id!)).toMatchObject({ job: l.job, number: l.step_number, origin: 'files' });
  });
});

describe('finalizeLogs edge cases', () => {
  it("keeps a file's out-of-order lines in file order; windows with manifest steps; unknown step files warned", async () => {
    const { db } = newCase();
    const t = (s: string) => parseRfc3339(T(s));
    const manifest = (number: number, a: bigint, b: bigint) =>
      insertStep(
        db,
        {
          job: 'build',
          number,
          name: `step ${number}`,
          uses: null,
          started_at: a,
          completed_at: b,
          conclusion: null,
          origin: 'manifest',
          line: null,
          raw: '',
        },
        null,
      );
    manifest(1, t('00'), t('01.5'));
    manifest(2, t('01.5'), t('09'));
    const job = await importText(
      lines(`${T('02.0')} a`, `${T('01.0')} b (clock went back)`, `${T('03.0')} c`, 'untimed continuation'),
      'logs/9_build.txt',
    );
    storeSink(db, job, 'bundle!/logs/9_build.txt', 'logs/9_build.txt');
    const other = await importText(lines(`${T('04.0')} from a step file numbered 7`), 'logs/deploy/7_Deploy.txt');
    storeSink(db, other, 'bundle!/logs/deploy/7_Deploy.txt', 'logs/deploy/7_Deploy.txt');
    const warnings = finalize(db);
    expect(warnings).toEqual([]); // deploy has its own file steps: nothing unmatched

    const ls = allLines(db).filter((l) => l.job === 'build');
    expect(ls.map((l) => l.text)).toEqual(['a', 'b (clock went back)', 'c\nuntimed continuation']);
    const steps = allSteps(db);
    const num = (id: number | null) => steps.find((s) => s.id === id)!.number;
    expect(ls.map((l) => num(l.step_id))).toEqual([2, 1, 2]);
    expect(steps.filter((s) => s.job === 'build').every((s) => s.origin === 'manifest')).toBe(true);
  });

  it('a step file whose number has no manifest step is placed by time, with a warning naming the file', async () => {
    const { db } = newCase();
    const t = (s: string) => parseRfc3339(T(s));
    insertStep(
      db,
      {
        job: 'test',
        number: 1,
        name: 'Set up job',
        uses: null,
        started_at: t('00'),
        completed_at: t('01'),
        conclusion: null,
        origin: 'manifest',
        line: null,
        raw: '',
      },
      null,
    );
    insertStep(
      db,
      {
        job: 'test',
        number: 2,
        name: 'Run x',
        uses: null,
        started_at: t('01'),
        completed_at: t('09'),
        conclusion: null,
        origin: 'manifest',
        line: null,
        raw: '',
      },
      null,
    );
    const s = await importText(lines(`${T('02.0')} inside step 2's window`), 'logs/test/5_Run x.txt');
    storeSink(db, s, 'bundle!/logs/test/5_Run x.txt', 'logs/test/5_Run x.txt');
    const warnings = finalize(db);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.file).toBe('bundle!/logs/test/5_Run x.txt');
    expect(warnings[0]!.message).toMatch(/step 5 of job "test" has no matching step/);
    const steps = allSteps(db);
    expect(steps).toHaveLength(2); // the files-origin step 5 lost to the manifest
    expect(steps.find((x) => x.id === allLines(db)[0]!.step_id)!.number).toBe(2);
  });

  it('an empty case is fine', () => {
    const { db } = newCase();
    expect(finalize(db)).toEqual([]);
    expect(allLines(db)).toEqual([]);
  });
});
