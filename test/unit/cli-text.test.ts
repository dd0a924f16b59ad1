import { describe, expect, it } from 'vitest';
import { parseArgs, intFlag } from '../../electron/cli/args';
import { UsageError } from '../../electron/cli/errors';
import { escapeText } from '../../electron/cli/escape';
import { firstKeyword } from '../../electron/cli/cmd-sql';
import { renderTable } from '../../electron/cli/table';

describe('escapeText', () => {
  it('makes every terminal control visible and leaves ordinary text alone', () => {
    expect(escapeText('a\x1b[31mred\x1b[0m')).toBe('a\\x1b[31mred\\x1b[0m');
    expect(escapeText('over\rwrite\nnext\ttab\x07\x00\x7f')).toBe('over\\rwrite\\nnext\\ttab\\x07\\x00\\x7f');
    expect(escapeText('c1 \u009b2J \u0085')).toBe('c1 \\u009b2J \\u0085');
    expect(escapeText('file\u202etxt.exe \u2066x\u2069 \u200f')).toBe('file\\u202etxt.exe \\u2066x\\u2069 \\u200f');
    expect(escapeText('zero\u200bwidth\ufeff line\u2028sep')).toBe('zero\\u200bwidth\\ufeff line\\u2028sep');
    expect(escapeText('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate');
    const ok = 'Ünïcödé ✓ 日本語 😀 C:\\path /usr/bin/curl "quoted"';
    expect(escapeText(ok)).toBe(ok);
  });
});

describe('parseArgs', () => {
  const spec = { json: {}, limit: { value: true }, offset: { value: true, repeat: true } };
  it('reads flags in every form, positionals, and -- ', () => {
    const p = parseArgs(['case', '--limit=5', '--offset', 'a=+1', '--json', '--offset=b=-2.5', '--', '--json'], spec, 't');
    expect(p.positionals).toEqual(['case', '--json']);
    expect(p.get('limit')).toBe('5');
    expect(p.all('offset')).toEqual(['a=+1', 'b=-2.5']);
    expect(p.has('json')).toBe(true);
  });
  it('unknown, repeated, valueless and malformed flags are usage errors', () => {
    expect(() => parseArgs(['--nope'], spec, 't')).toThrow(UsageError);
    expect(() => parseArgs(['--limit'], spec, 't')).toThrow(/needs a value/);
    expect(() => parseArgs(['--limit', '1', '--limit', '2'], spec, 't')).toThrow(/twice/);
    expect(() => parseArgs(['--json=yes'], spec, 't')).toThrow(/takes no value/);
    expect(() => intFlag(parseArgs(['--limit', '-3'], spec, 't'), 'limit', 1, 1, 10, 't')).toThrow(UsageError);
    expect(intFlag(parseArgs([], spec, 't'), 'limit', 7, 1, 10, 't')).toBe(7);
  });
});

describe('firstKeyword', () => {
  it('skips comments and whitespace', () => {
    expect(firstKeyword('  -- c\n /* x */ select 1')).toBe('SELECT');
    expect(firstKeyword('/* SELECT */ DELETE FROM t')).toBe('DELETE');
    expect(firstKeyword('with x as (select 1) select * from x')).toBe('WITH');
    expect(firstKeyword('')).toBe('');
  });
});

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers, escapes cells, shows null as -', () => {
    const t = renderTable(
      [{ a: 'x\x1by', n: 5 }, { a: null, n: 12345 }],
      [{ header: 'name', get: (r) => r.a }, { header: 'n', get: (r) => r.n, right: true }],
    );
    expect(t.split('\n')).toEqual(['name        n', '------  -----', 'x\\x1by      5', '-       12345', '']);
  });
});
