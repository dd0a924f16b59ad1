/**
 * LogScanSet (analysis/detections/log-scan.ts): the one test per line the import applies for the detection rules,
 * and which `logLinesWith` calls the lines it selected can answer exactly.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_LOG_SCANS, BUILTIN_RULES } from '../../electron/analysis/detections/index';
import { LogScanSet, scansOf } from '../../electron/analysis/detections/log-scan';
import { maySecret } from '../../shared/secrets';

describe('LogScanSet', () => {
  const keepA = (t: string) => t.includes('A');
  const set = new LogScanSet([{ needles: ['curl', 'a.b'] }, { needles: ['://'], keep: keepA }, { needles: [''] }]);

  it('selects a line holding a plain needle (literally: no regex meaning), or a kept needle that passes its keep', () => {
    expect(set.test('run curl -sS')).toBe(true);
    expect(set.test('see a.b here')).toBe(true);
    expect(set.test('see axb here')).toBe(false); // '.' is a literal dot
    expect(set.test('https://x.example/A')).toBe(true);
    expect(set.test('https://x.example/b')).toBe(false); // its keep says no
    expect(set.test('nothing to see')).toBe(false);
  });

  it('covers a call only with its needles declared, and a kept needle only with the very same keep', () => {
    expect(set.covers(['curl'], undefined)).toBe(true);
    expect(set.covers(['curl'], (t) => t.length > 3)).toBe(true); // lines of plain needles are all held
    expect(set.covers(['://'], keepA)).toBe(true);
    expect(set.covers(['://'], (t) => keepA(t))).toBe(false); // another function, even if equal
    expect(set.covers(['://'], undefined)).toBe(false);
    expect(set.covers(['wget'], undefined)).toBe(false);
    expect(set.covers([''], undefined)).toBe(false); // every line: left to the scan
  });

  it("the built-in set holds every built-in rule's needles, the secrets rule's :// only with maySecret", () => {
    for (const r of BUILTIN_RULES) for (const s of scansOf(r)) expect(BUILTIN_LOG_SCANS.covers(s.needles, s.keep)).toBe(true);
    expect(BUILTIN_LOG_SCANS.test('git clone https://u:secretpass@git.example.com/r.git')).toBe(maySecret('git clone https://u:secretpass@git.example.com/r.git'));
    expect(BUILTIN_LOG_SCANS.test('fetch https://docs.example.com/page')).toBe(false);
    expect(BUILTIN_LOG_SCANS.test('  compiled src/module2.ts -> dist/module2.js')).toBe(false);
  });
});
