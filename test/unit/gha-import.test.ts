import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatNanos, parseRfc3339 } from '../../shared/time';
import { stripAnsi } from '../../shared/ansi';
import { ghaLogImporter } from '../../electron/import/gha/index';
import { MAX_JOINED_LINES } from '../../electron/import/gha/read-log';
import { stampLength } from '../../electron/import/gha/timestamp';
import { importPath, importText, importZip, inputFromBuffer, mergeSinks, MemorySink } from './gha-sink';

const FIX = path.join(__dirname, '../fixtures/gha');
const STIRLING = path.join(FIX, 'blastradius_Stirling-Tools__Stirling-PDF__077856960467.txt');
const AGNO = path.join(FIX, 'blastradius_agno-agi__agno__job97433407085__log.txt');
const CLI_ZIP = path.join(FIX, 'cli-cli_run_log.zip');

describe('Stirling-PDF job log (real, ##[error], multi-line env value)', () => {
  it('joins the untimed continuation lines into the line before: 80 physical lines -> 66 log lines', async () => {
    const s = await importPath(STIRLING, path.basename(STIRLING));
    expect(s.lines).toHaveLength(66);
    expect(s.lines.map((l) => l.seq)).toEqual([...Array(66).keys()]);
    const results = s.lines.find((l) => l.plain.startsWith('  RESULTS:'))!;
    expect(results.line).toBe(47);
    expect(results.line_end).toBe(61);
    expect(results.ts).toBe(parseRfc3339('2026-05-26T10:38:26.4010154Z'));
    const parts = results.plain.split('\n');
    expect(parts).toHaveLength(15);
    expect(parts[0]).toBe('  RESULTS: files-changed=success');
    expect(parts[1]).toBe('build=success');
    expect(parts[13]).toBe('dependency-review=success');
    expect(parts[14]).toBe(''); // the value's trailing newline
    // the line after the continuation is a line of its own
    const next = s.lines[s.lines.indexOf(results) + 1]!;
    expect(next).toMatchObject({ line: 62, line_end: 62, marker: 'endgroup', plain: '##[endgroup]' });
    // nothing was said about the untimed lines: they follow a timestamp
    expect(s.warnings).toEqual([]);
  });

  it('parses markers and the error line; text keeps ANSI, plain drops it', async () => {
    const s = await importPath(STIRLING, path.basename(STIRLING));
    const count = (m: string) => s.lines.filter((l) => l.marker === m).length;
    expect(count('group')).toBe(5);
    expect(count('endgroup')).toBe(5);
    const errors = s.lines.filter((l) => l.marker === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 79, plain: '##[error]Process completed with exit code 1.' });
    expect(formatNanos(errors[0]!.ts!)).toBe('2026-05-26T10:38:26.448082000Z');
    const echo = s.lines.find((l) => l.line === 30)!;
    expect(echo.text).toBe('\x1b[36;1mok=true\x1b[0m');
    expect(echo.raw).toBe(echo.text);
    expect(echo.plain).toBe('ok=true');
    expect(s.lines.every((l) => l.file_kind === 'single' && l.job === path.basename(STIRLING, '.txt'))).toBe(true);
    expect(s.lines.every((l) => l.step_number === null)).toBe(true);
    expect(s.lines.filter((l) => stampLength(l.text) > 0)).toEqual([]); // stamps removed
  });

  it('derives steps from the ##[group]Run line: Set up job, Run ok=true, Complete job', async () => {
    const s = await importPath(STIRLING, path.basename(STIRLING));
    expect(s.steps.map((x) => [x.number, x.name, x.uses, x.origin])).toEqual([
      [1, 'Set up job', null, 'groups'],
      [2, 'Run ok=true', null, 'groups'],
      [3, 'Complete job', null, 'groups'],
    ]);
    const [setup, run, complete] = s.steps;
    expect(formatNanos(setup!.started_at!)).toBe('2026-05-26T10:38:25.836612700Z');
    expect(formatNanos(setup!.completed_at!)).toBe('2026-05-26T10:38:25.883830000Z');
    expect(run!.line).toBe(29);
    expect(formatNanos(run!.started_at!)).toBe('2026-05-26T10:38:25.960975500Z');
    expect(formatNanos(run!.completed_at!)).toBe('2026-05-26T10:38:26.448082000Z');
    expect(complete!.line).toBe(80);
  });
});

describe('agno job log (real)', () => {
  it('imports 46 lines, one Run step with its shell title, and the emoji output line', async () => {
    const s = await importPath(AGNO, path.basename(AGNO));
    expect(s.lines).toHaveLength(46);
    expect(s.lines.every((l) => l.line === l.line_end)).toBe(true);
    expect(s.steps.map((x) => x.name)).toEqual([
      'Set up job',
      `Run TITLE_LOWER=$(echo "$TITLE" | tr '[:upper:]' '[:lower:]')`,
      'Complete job',
    ]);
    expect(s.steps[1]!.uses).toBeNull();
    expect(s.lines.find((l) => l.line === 45)!.plain).toBe('✅ PR Title format is valid.');
    const regexLine = s.lines.find((l) => l.line === 32)!;
    expect(regexLine.text.startsWith('\x1b[36;1mREGEX=')).toBe(true);
    expect(regexLine.plain.startsWith('REGEX=')).toBe(true);
    expect(regexLine.plain.includes('\x1b')).toBe(false);
    expect(s.lines.filter((l) => l.marker !== null).map((l) => l.marker)).toEqual([
      'group',
      'endgroup',
      'group',
      'endgroup',
      'group',
      'endgroup',
      'group',
      'endgroup',
      'group',
      'endgroup',
    ]);
  });
});

describe('cli/cli whole-run archive (synthetic, untimed, junk, odd names)', () => {
  it('takes the 9 step files, refuses __MACOSX and .DS_Store junk', async () => {
    const { taken, refused } = await importZip(CLI_ZIP);
    expect(taken).toHaveLength(9);
    expect(taken.every((t) => t.sink.lines.length > 0)).toBe(true);
    expect(refused.length).toBe(6);
    expect(refused.every((r) => r.includes('__MACOSX') || r.endsWith('.DS_Store'))).toBe(true);
  });

  it('imports untimed lines in order with one warning per file, steps named from the files', async () => {
    const { taken } = await importZip(CLI_ZIP);
    const sink = mergeSinks(taken.map((t) => t.sink));
    expect(sink.lines).toHaveLength(25);
    expect(sink.lines.every((l) => l.ts === null && l.file_kind === 'step')).toBe(true);
    expect(sink.warnings).toHaveLength(9);
    expect(sink.warnings.every((w) => /no timestamps/.test(w.message))).toBe(true);
    const cool = sink.lines.filter((l) => l.job === 'cool job' && l.step_number === 2);
    expect(cool.map((l) => [l.seq, l.line, l.text])).toEqual([
      [0, 1, 'log line 1'],
      [1, 2, 'log line 2'],
      [2, 3, 'log line 3'],
    ]);
    const steps = sink.steps.map((s) => `${s.job}#${s.number} ${s.name}`).sort();
    expect(steps).toContain('cool job#1 fob the barz');
    expect(steps).toContain('cool job#2 barz the fob');
    expect(steps).toContain('cool job  with slash#1 fob the barz');
    expect(steps).toContain('cool job  with colon#1 fob the barz');
    expect(steps).toContain('sad job#2 quux the barf');
    expect(steps).toContain('ad job#1 barf the quux');
    expect(steps.find((s) => s.startsWith('thisisnineteenchars_'))).toMatch(/#1 Long Name Job$/);
    expect(steps.find((s) => s.startsWith('Emoji Test 😅😅'))).toMatch(/#1 Emoji Job$/);
    expect(sink.steps.every((s) => s.origin === 'files' && s.started_at === null && s.uses === null)).toBe(true);
    expect(sink.lines.find((l) => l.job === 'ad job')!.text).toBe('whatever');
  });
});

describe('synthetic edge cases', () => {
  const T = (s: string) => `2026-10-14T09:12:${s}Z`;

  it('finds markers behind ANSI codes, [command], ##[section]; uses from action groups', async () => {
    const log = [
      `${T('00.1000000')} Current runner version: '2.330.0'`,
      `${T('01.0000000')} \x1b[36;1m##[group]Run actions/checkout@v4`,
      `${T('01.1000000')} with:`,
      `${T('01.2000000')} \x1b[0m##[endgroup]`,
      `${T('01.3000000')} [command]/usr/bin/git version`,
      `${T('01.4000000')} ##[command]git init`,
      `${T('02.0000000')} ##[group]Run github/codeql-action/init@0123456789abcdef0123456789abcdef01234567`,
      `${T('02.5000000')} \x1b[33m##[warning]\x1b[0mdeprecated`,
      `${T('03.0000000')} ##[section]Finishing: x`,
      `${T('04.0000000')} ##[group]Run npm test`,
      `${T('05.0000000')} ##[notice]n`,
      `${T('05.1000000')} ##[debug]d`,
      `${T('06.0000000')} Post job cleanup.`,
      `${T('07.0000000')} Cleaning up orphan processes`,
    ].join('\r\n');
    const s = await importText(log, 'logs/1_build.txt');
    expect(s.lines.map((l) => l.marker)).toEqual([
      null,
      'group',
      null,
      'endgroup',
      'command',
      'command',
      'group',
      'warning',
      'section',
      'group',
      'notice',
      'debug',
      null,
      null,
    ]);
    expect(s.lines[1]!.plain).toBe('##[group]Run actions/checkout@v4');
    expect(s.lines[1]!.text).toBe('\x1b[36;1m##[group]Run actions/checkout@v4');
    expect(s.lines.every((l) => l.job === 'build' && l.file_kind === 'job' && !l.text.includes('\r'))).toBe(true);
    expect(s.steps.map((x) => [x.number, x.name, x.uses])).toEqual([
      [1, 'Set up job', null],
      [2, 'Run actions/checkout@v4', 'actions/checkout@v4'],
      [
        3,
        'Run github/codeql-action/init@0123456789abcdef0123456789abcdef01234567',
        'github/codeql-action/init@0123456789abcdef0123456789abcdef01234567',
      ],
      [4, 'Run npm test', null],
      [5, 'Post job cleanup.', null],
      [6, 'Complete job', null],
    ]);
    expect(s.steps.every((x) => x.job === 'build' && x.origin === 'groups')).toBe(true);
    expect(formatNanos(s.steps[1]!.completed_at!)).toBe('2026-10-14T09:12:01.400000000Z');
  });

  it('a step file gives one step (origin files) from its name and first/last times', async () => {
    const log = `${T('10.0000000')} a\n${T('09.5000000')} b (clock went back)\n${T('12.0000000')} c\n`;
    const s = await importText(log, 'logs/test/3_Run actionscheckout@v4.txt');
    expect(s.lines.map((l) => [l.step_number, l.job, l.file_kind])).toEqual([
      [3, 'test', 'step'],
      [3, 'test', 'step'],
      [3, 'test', 'step'],
    ]);
    expect(s.steps).toHaveLength(1);
    expect(s.steps[0]).toMatchObject({
      job: 'test',
      number: 3,
      name: 'Run actionscheckout@v4',
      origin: 'files',
      uses: null,
    });
    expect(formatNanos(s.steps[0]!.started_at!)).toBe('2026-10-14T09:12:09.500000000Z');
    expect(formatNanos(s.steps[0]!.completed_at!)).toBe('2026-10-14T09:12:12.000000000Z');
  });

  it('BOM at the start (U+FEFF elsewhere is text, kept), CRLF, 0- and 9-digit fractions, lines before the first stamp', async () => {
    const log = Buffer.from(
      '\uFEFFpreamble\r\n2026-10-14T09:12:14Z first\r\n2026-10-14T09:12:14.123456789Z se\uFEFFcond\r\ncont\r\n',
      'utf8',
    );
    const s = await importText(log, 'x.log');
    expect(s.lines.map((l) => [l.ts === null ? null : formatNanos(l.ts), l.text, l.line, l.line_end])).toEqual([
      [null, 'preamble', 1, 1],
      ['2026-10-14T09:12:14.000000000Z', 'first', 2, 2],
      ['2026-10-14T09:12:14.123456789Z', 'se\uFEFFcond\ncont', 3, 4],
    ]);
    expect(s.warnings).toEqual([{ line: 1, message: '1 line before the first timestamped line has no time' }]);
  });

  it('a file with no timestamps: untimed lines in order, exactly one warning', async () => {
    const s = await importText('one\n\ntwo\nthree', 'plain.txt');
    expect(s.lines.map((l) => [l.ts, l.text, l.seq, l.line])).toEqual([
      [null, 'one', 0, 1],
      [null, '', 1, 2],
      [null, 'two', 2, 3],
      [null, 'three', 3, 4],
    ]);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]!.message).toMatch(/no timestamps.*4 lines/);
    expect(s.steps.map((x) => x.name)).toEqual(['Set up job']);
  });

  it('bad UTF-8, an impossible date and a giant line are reported with their line numbers, the rest loads', async () => {
    const parts = [
      Buffer.from(`${T('00.0000000')} ok\n`),
      Buffer.from(`${T('01.0000000')} bad `),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n'),
      Buffer.from('2026-13-45T09:12:02.0000000Z not a date\n'),
      Buffer.from(`${T('03.0000000')} ` + 'x'.repeat(5000) + '\n'),
      Buffer.from(`${T('04.0000000')} after\n`),
    ];
    const s = await importText(Buffer.concat(parts), '1_job.txt', { maxLineBytes: 1024 });
    expect(s.lines.map((l) => l.line)).toEqual([1, 2, 5]);
    expect(s.lines[1]!.text).toBe('bad \uFFFD\uFFFDA\n2026-13-45T09:12:02.0000000Z not a date');
    expect(s.lines[2]!.text).toBe('after');
    const w = s.warnings.map((x) => `${x.line}: ${x.message}`);
    expect(w).toContain('2: invalid UTF-8: bad bytes replaced with U+FFFD');
    expect(w.find((x) => x.startsWith('3: timestamp out of range'))).toBeTruthy();
    expect(w).toContain('4: line longer than 1024 bytes: skipped');
  });

  it('a composite action whose inner step failed without the exit-code line: the runner’s end-action says so', async () => {
    const log = [
      `${T('00.1000000')} Current runner version: '2.336.0'`,
      `${T('01.0000000')} ##[group]Run ./.github/actions/deploy`,
      `${T('01.1000000')} ##[endgroup]`,
      `${T('01.2000000')} ##[start-action display=Upload;id=__self.__upload]`,
      `${T('01.3000000')} ##[group]Run some/uploader@v1`,
      `${T('01.4000000')} ##[endgroup]`,
      `${T('02.0000000')} ##[error]Upload refused: 403`,
      `${T('02.1000000')} ##[end-action id=__self.__upload;outcome=failure;conclusion=failure;duration_ms=900]`,
      `${T('03.0000000')} Cleaning up orphan processes`,
    ].join('\n');
    const s = await importText(log, 'job.txt');
    expect(s.steps.map((x) => [x.number, x.name, x.conclusion])).toEqual([
      [1, 'Set up job', null],
      [2, 'Run ./.github/actions/deploy', 'failure'],
      [3, 'Complete job', null],
    ]);
  });

  it('a nested composite’s failed inner step does not fail the step when the nested one continued on error', async () => {
    const log = [
      `${T('01.0000000')} ##[group]Run ./.github/actions/outer`,
      `${T('01.1000000')} ##[endgroup]`,
      `${T('01.2000000')} ##[start-action display=Nested;id=__self.__nested]`,
      `${T('01.3000000')} ##[start-action display=Flaky;id=__self.__nested.__flaky]`,
      `${T('01.4000000')} ##[group]Run ./flaky.sh`,
      `${T('01.5000000')} ##[endgroup]`,
      `${T('02.0000000')} ##[error]flaky`,
      `${T('02.1000000')} ##[end-action id=__self.__nested.__flaky;outcome=failure;conclusion=failure;duration_ms=800]`,
      `${T('02.2000000')} ##[end-action id=__self.__nested;outcome=failure;conclusion=success;duration_ms=900]`,
      `${T('03.0000000')} Cleaning up orphan processes`,
    ].join('\n');
    const s = await importText(log, 'job.txt');
    expect(s.steps.map((x) => [x.number, x.name, x.conclusion])).toEqual([
      [1, 'Run ./.github/actions/outer', null],
      [2, 'Complete job', null],
    ]);
  });

  it('a runaway continuation is split (bounded memory), one warning per split (the one warning policy)', async () => {
    const n = MAX_JOINED_LINES * 2 + 5;
    const log = `${T('00.0000000')} start\n` + 'cont\n'.repeat(n);
    const s = await importText(log, 'x.txt');
    expect(s.lines).toHaveLength(3);
    expect(s.lines.every((l) => l.ts === parseRfc3339(T('00.0000000')))).toBe(true);
    expect(s.lines.reduce((a, l) => a + l.text.split('\n').length, 0)).toBe(n + 1);
    expect(s.lines[2]!.line_end).toBe(n + 1);
    expect(s.warnings).toHaveLength(2);
    expect(s.warnings.every((w) => /continuation of line \d+ too long.*split/.test(w.message))).toBe(true);
  });

  it('passes every log line to the embedded Harden-Runner scanner (network records appear)', async () => {
    const log = [
      `${T('00.0000000')} Post job cleanup.`,
      `${T('00.1000000')} Wed, 14 Oct 2026 09:11:59 GMT: endpoint called ip address:port 198.51.100.23:443, domain: telemetry.example.net., pid: 4721, process: curl`,
      `${T('00.2000000')} plain line`,
    ].join('\n');
    const s = await importText(log, 'x.txt');
    expect(s.nets).toHaveLength(1);
    expect(s.nets[0]).toMatchObject({ ip: '198.51.100.23', port: 443, pid: 4721, line: 2 });
    expect(s.lines).toHaveLength(3);
  });

  it('stops early when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const sink = new MemorySink();
    const buf = Buffer.from(`${T('00.0000000')} a\n`.repeat(5000));
    const { Readable } = await import('node:stream');
    await ghaLogImporter.read(inputFromBuffer(buf, 'x.txt'), Readable.from([buf]), sink, {
      date: null,
      signal: ac.signal,
    });
    expect(sink.lines.length).toBeLessThan(5000);
  });

  it('plain equals stripAnsi of each physical line, for the real samples', async () => {
    for (const f of [STIRLING, AGNO]) {
      const s = await importPath(f, path.basename(f));
      for (const l of s.lines)
        expect(l.plain).toBe(
          l.text
            .split('\n')
            .map((x) => stripAnsi(x))
            .join('\n'),
        );
      const physical = fs.readFileSync(f, 'utf8').split('\n').length - 1;
      expect(s.lines.reduce((a, l) => a + (l.line_end! - l.line! + 1), 0)).toBe(physical);
    }
  });
});
