import { describe, expect, it } from 'vitest';
import { StampParser, stampLength } from '../../electron/import/gha/timestamp';
import { parseMarker } from '../../electron/import/gha/markers';
import { isJunkPath, looksLikeLogArchivePath, placeLogFile } from '../../electron/import/gha/paths';
import { GroupStepTracker, usesFromTitle } from '../../electron/import/gha/group-steps';
import {
  sniffGhaLog,
  SNIFF_LAYOUT_ONLY,
  SNIFF_OTHER_STAMP,
  SNIFF_STAMPED,
  SNIFF_STAMPED_IN_LAYOUT,
} from '../../electron/import/gha/sniff';
import { normaliseScore, pickImporter } from '../../electron/import/registry';
import { parseRfc3339, TimeError } from '../../shared/time';
import { inputFromBuffer } from './gha-sink';

describe('GitHub line timestamps', () => {
  it('accepts 0 to 9 fractional digits followed by a space or the end of the line', () => {
    expect(stampLength('2026-10-14T09:12:14.2500000Z hello')).toBe(28);
    expect(stampLength('2026-10-14T09:12:14Z x')).toBe(20);
    expect(stampLength('2026-10-14T09:12:14.123456789Z')).toBe(30);
    expect(stampLength('2026-10-14T09:12:14.1234567890Z x')).toBe(0);
    expect(stampLength('2026-10-14T09:12:14.Z x')).toBe(0);
    expect(stampLength('2026-10-14T09:12:14.25Zx')).toBe(0);
    expect(stampLength('2026-10-14 09:12:14.25Z x')).toBe(0);
    expect(stampLength('build=success')).toBe(0);
    expect(stampLength('')).toBe(0);
  });

  it('parses to nanoseconds equal to the shared RFC 3339 parser, prefix includes the space', () => {
    const p = new StampParser();
    const a = p.parse('2026-05-26T10:38:25.8366127Z Current runner version')!;
    expect(a.ns).toBe(parseRfc3339('2026-05-26T10:38:25.8366127Z'));
    expect(a.prefixLength).toBe(29);
    const b = p.parse('2026-05-26T10:38:25.8392401Z ##[group]x')!; // same second: cached base
    expect(b.ns - a.ns).toBe(2_627_400n);
    const c = p.parse('2026-05-26T10:38:26Z')!;
    expect(c.ns).toBe(parseRfc3339('2026-05-26T10:38:26Z'));
    expect(c.prefixLength).toBe(20);
    expect(p.parse('no stamp')).toBeNull();
  });

  it('gives every stamp the value parseRfc3339 gives, whatever the line before (cached second and stamp)', () => {
    const p = new StampParser();
    const stamps = [
      '2026-05-26T10:38:25.8366127Z',
      '2026-05-26T10:38:25.8366127Z', // the same stamp again
      '2026-05-26T10:38:25.83661270Z', // same value, other text: not the cached stamp
      '2026-05-26T10:38:25.8Z',
      '2026-05-26T10:38:25.000000001Z',
      '2026-05-26T10:38:25.999999999Z',
      '2026-05-26T10:38:25Z',
      '2026-05-26T10:38:24.5Z', // back a second
      '2026-05-26T10:38:25.8366127Z',
    ];
    for (const s of stamps) {
      for (const line of [`${s} text`, s]) {
        const got = p.parse(line)!;
        expect(got.ns).toBe(parseRfc3339(s));
        expect(got.prefixLength).toBe(line === s ? s.length : s.length + 1);
      }
    }
  });

  it('the cached second: a line of that second is still checked to its end, a line of another second is parsed', () => {
    const p = new StampParser();
    const base = '2026-05-26T10:38:25';
    expect(p.parse(`${base}.5Z a`)!.ns).toBe(parseRfc3339(`${base}.5Z`));
    // the same second, then what follows is not a stamp's end: no stamp (as stampLength says)
    for (const bad of [`${base}.1234567890Z x`, `${base}.5Zx`, `${base}.Z x`, `${base}Q x`, `${base}`, `${base}.5`]) {
      expect(p.parse(bad), bad).toBeNull();
      expect(stampLength(bad), bad).toBe(0);
    }
    // a second differing in any one character (first to last) is that second, not the cached one
    for (const other of ['3026-05-26T10:38:25', '2026-06-26T10:38:25', '2026-05-26T11:38:25', '2026-05-26T10:38:26', '2026-05-26T10:39:25']) {
      expect(p.parse(`${other}.25Z b`)!.ns).toBe(parseRfc3339(`${other}.25Z`));
      expect(p.parse(`${base}.25Z b`)!.ns).toBe(parseRfc3339(`${base}.25Z`));
    }
  });

  it('throws TimeError for a well-shaped but impossible date, every time', () => {
    const p = new StampParser();
    expect(() => p.parse('2026-13-40T10:38:25.1Z x')).toThrow(TimeError);
    expect(() => p.parse('2026-13-40T10:38:25.2Z y')).toThrow(TimeError);
    expect(() => p.parse('2026-13-40T10:38:25.2Z y')).toThrow(TimeError);
    expect(p.parse('2026-05-26T10:38:25Z ok')!.ns).toBe(parseRfc3339('2026-05-26T10:38:25Z'));
  });
});

describe('markers', () => {
  it('recognises every marker and returns the text after it', () => {
    for (const m of ['group', 'endgroup', 'error', 'warning', 'notice', 'debug', 'command', 'section']) {
      expect(parseMarker(`##[${m}]rest of ${m}`)).toEqual({ marker: m, rest: `rest of ${m}` });
    }
    expect(parseMarker('[command]/usr/bin/git version')).toEqual({ marker: 'command', rest: '/usr/bin/git version' });
    expect(parseMarker('##[ERROR]x')?.marker).toBe('error');
  });

  it('ignores unknown markers and markers not at the start', () => {
    expect(parseMarker('##[foo]x')).toBeNull();
    expect(parseMarker(' ##[error]x')).toBeNull();
    expect(parseMarker('##[error')).toBeNull();
    expect(parseMarker('echo ##[group]x')).toBeNull();
  });
});

describe('log file places', () => {
  it('reads step files, job files and lone files, with or without the bundle logs/ folder', () => {
    expect(placeLogFile('logs/test/3_Run tests.txt')).toEqual({
      kind: 'step',
      job: 'test',
      stepNumber: 3,
      stepName: 'Run tests',
    });
    expect(placeLogFile('test/3_Run tests.txt')).toEqual({
      kind: 'step',
      job: 'test',
      stepNumber: 3,
      stepName: 'Run tests',
    });
    expect(placeLogFile('logs/1_test.txt')).toEqual({ kind: 'job', job: 'test', stepNumber: null, stepName: null });
    expect(placeLogFile('1_test.txt')).toEqual({ kind: 'job', job: 'test', stepNumber: null, stepName: null });
    expect(placeLogFile('job-log.txt')).toEqual({ kind: 'single', job: 'job-log', stepNumber: null, stepName: null });
    expect(placeLogFile('logs/job-log.txt').kind).toBe('single');
  });

  it('keeps the characters GitHub left in names (double spaces, colons, emoji, @)', () => {
    const p = placeLogFile('cool job  with colon/12_Run actionscheckout@v4: go 😅.txt');
    expect(p).toEqual({
      kind: 'step',
      job: 'cool job  with colon',
      stepNumber: 12,
      stepName: 'Run actionscheckout@v4: go 😅',
    });
  });

  it('flags archive junk and knows the archive layout', () => {
    expect(isJunkPath('__MACOSX/cool job/._1_fob the barz.txt')).toBe(true);
    expect(isJunkPath('cool job  with slash/.DS_Store')).toBe(true);
    expect(isJunkPath('cool job/1_fob the barz.txt')).toBe(false);
    expect(looksLikeLogArchivePath('cool job/1_fob the barz.txt')).toBe(true);
    expect(looksLikeLogArchivePath('logs/anything.txt')).toBe(true);
    expect(looksLikeLogArchivePath('2_build.txt')).toBe(true);
    expect(looksLikeLogArchivePath('notes.txt')).toBe(false);
    expect(looksLikeLogArchivePath('network.jsonl')).toBe(false);
  });
});

describe('sniff', () => {
  const stamped = Buffer.from('\uFEFF2026-10-14T09:12:14.2500000Z Current runner version\r\nmore\n');
  it('content decides: a stamped first line wins, more so in the archive layout', () => {
    expect(sniffGhaLog(inputFromBuffer(stamped, 'whatever.log'))).toBe(SNIFF_STAMPED);
    expect(sniffGhaLog(inputFromBuffer(stamped, 'logs/test/1_Set up job.txt'))).toBe(SNIFF_STAMPED_IN_LAYOUT);
    expect(sniffGhaLog(inputFromBuffer(Buffer.from('2026-10-14T09:12:14.250Z x\n'), 'app.log'))).toBe(
      SNIFF_OTHER_STAMP,
    );
    expect(SNIFF_STAMPED_IN_LAYOUT).toBe(normaliseScore(SNIFF_STAMPED_IN_LAYOUT)); // on the registry's 0..1 scale
  });
  it('wins the registry for real GitHub logs and the untimed archive layout', () => {
    expect(pickImporter(inputFromBuffer(stamped, 'whatever.log'))?.importer.format).toBe('gha-log');
    expect(
      pickImporter(inputFromBuffer(Buffer.from('log line 1\n'), 'cool job/1_fob the barz.txt'))?.importer.format,
    ).toBe('gha-log');
  });
  it('takes unstamped text only in the archive layout, with a low score', () => {
    const plain = Buffer.from('log line 1\nlog line 2\n');
    expect(sniffGhaLog(inputFromBuffer(plain, 'cool job/1_fob the barz.txt'))).toBe(SNIFF_LAYOUT_ONLY);
    expect(sniffGhaLog(inputFromBuffer(plain, 'readme.txt'))).toBe(0);
    expect(sniffGhaLog(inputFromBuffer(Buffer.from('{"ts":"2026-10-14T09:12:14Z"}\n'), 'network.jsonl'))).toBe(0);
  });
  it('refuses junk and binary files', () => {
    expect(sniffGhaLog(inputFromBuffer(stamped, '__MACOSX/cool job/._1_fob the barz.txt'))).toBe(0);
    expect(sniffGhaLog(inputFromBuffer(Buffer.from([0, 5, 22, 7, 0, 0]), 'cool job/1_x.txt'))).toBe(0);
  });
});

describe('steps from ##[group]Run lines', () => {
  it('recognises action references as uses', () => {
    expect(usesFromTitle('actions/checkout@v4')).toBe('actions/checkout@v4');
    expect(usesFromTitle('github/codeql-action/init@abc123')).toBe('github/codeql-action/init@abc123');
    expect(usesFromTitle('docker://alpine:3.20')).toBe('docker://alpine:3.20');
    expect(usesFromTitle('npm test')).toBeNull();
    expect(usesFromTitle('ok=true')).toBeNull();
    expect(usesFromTitle('./build.sh')).toBeNull();
    expect(usesFromTitle('git push origin main@{u}')).toBeNull();
  });

  it('numbers Set up job, Run, Post and Complete job steps in order', () => {
    const t = new GroupStepTracker();
    const feed = (plain: string) => {
      const m = parseMarker(plain);
      const r = t.feed(plain, m?.marker ?? null, m?.rest ?? null);
      return `${r.step.number}:${r.step.name}:${r.step.uses ?? '-'}${r.opened ? '*' : ''}`;
    };
    expect(feed('Current runner version')).toBe('1:Set up job:-*');
    expect(feed('##[group]Runner Image')).toBe('1:Set up job:-');
    expect(feed('##[group]Run actions/checkout@v4')).toBe('2:Run actions/checkout@v4:actions/checkout@v4*');
    expect(feed('##[group]Run npm test')).toBe('3:Run npm test:-*');
    expect(feed('echo Post job cleanup.')).toBe('3:Run npm test:-');
    expect(feed('Post job cleanup.')).toBe('4:Post job cleanup.:-*');
    expect(feed('##[group]Post Run actions/cache@v4')).toBe('5:Post Run actions/cache@v4:actions/cache@v4*');
    expect(feed('Cleaning up orphan processes')).toBe('6:Complete job:-*');
  });

  it('a composite action’s inner steps (between the runner’s start-action and end-action lines) open no step', () => {
    const t = new GroupStepTracker();
    const feed = (plain: string) => {
      const m = parseMarker(plain);
      const r = t.feed(plain, m?.marker ?? null, m?.rest ?? null);
      return `${r.step.number}:${r.step.name}${r.opened ? '*' : ''}`;
    };
    expect(feed('##[group]Run ./.github/actions/setup')).toBe('1:Run ./.github/actions/setup*');
    expect(feed('##[endgroup]')).toBe('1:Run ./.github/actions/setup');
    expect(feed('##[start-action display=Cache;id=__self.__actions_cache]')).toBe('1:Run ./.github/actions/setup');
    expect(feed('##[group]Run actions/cache@v4')).toBe('1:Run ./.github/actions/setup');
    // a nested composite: two levels open, both closed before the next step of the job
    expect(feed('##[start-action display=Inner;id=__self.__inner]')).toBe('1:Run ./.github/actions/setup');
    expect(feed('##[group]Run npm ci')).toBe('1:Run ./.github/actions/setup');
    expect(feed('##[end-action id=__self.__inner;outcome=success;conclusion=success;duration_ms=3]')).toBe(
      '1:Run ./.github/actions/setup',
    );
    expect(feed('##[group]Run npm run build')).toBe('1:Run ./.github/actions/setup');
    expect(feed('##[end-action id=__self.__actions_cache;outcome=success;conclusion=success;duration_ms=9]')).toBe(
      '1:Run ./.github/actions/setup',
    );
    expect(feed('##[group]Run npm test')).toBe('2:Run npm test*');
    // user output that merely mentions the marker (the runner escapes it as `##[\start-action`) changes nothing
    expect(feed('##[\\start-action display=x;id=y]')).toBe('2:Run npm test');
    expect(feed('##[group]Run make')).toBe('3:Run make*');
    // a start-action without its end cannot swallow the rest of the job: the post and Complete job steps still open
    expect(feed('##[start-action display=Lost;id=__self.__lost]')).toBe('3:Run make');
    expect(feed('##[group]Run inner')).toBe('3:Run make');
    expect(feed('Post job cleanup.')).toBe('4:Post job cleanup.*');
    expect(feed('##[group]Post Run actions/cache@v4')).toBe('5:Post Run actions/cache@v4*');
  });
});
