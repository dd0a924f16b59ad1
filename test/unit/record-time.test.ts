/**
 * recordTime (import/kit/times.ts): the JSON-lines records' timestamps, with the whole second cached between
 * records. It must give what parseRfc3339 gives — the same nanoseconds, or the same error — for every text, in any
 * order (the cache must never leak one record's second into another's).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordTime } from '../../electron/import/kit/times';
import { parseRfc3339 } from '../../shared/time';

const outcome = (f: () => bigint): string => {
  try {
    return `ok ${f()}`;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
};

const same = (s: string) => expect([s, outcome(() => recordTime(s))]).toEqual([s, outcome(() => parseRfc3339(s))]);

describe('recordTime equals parseRfc3339', () => {
  it('on the shapes telemetry writes, edge dates and near misses', () => {
    const texts = [
      '2026-10-14T09:12:03.001200000Z',
      '2026-10-14T09:12:03.001200001Z',
      '2026-10-14T09:12:03Z',
      '2026-10-14T09:12:03.5Z',
      '2026-10-14T09:12:03.123456789Z',
      '2026-10-14T09:12:03.1234567891Z', // 10 digits
      '2026-10-14T09:12:03.Z',
      '2026-10-14T09:12:03.12a4Z',
      '2026-10-14t09:12:03.5Z',
      '2026-10-14 09:12:03.5Z',
      '2026-10-14T09:12:03.5z',
      '2026-10-14T09:12:03.5+02:00',
      '2026-10-14T09:12:03.5',
      '2026-10-14T09:12:03',
      '2026-02-29T00:00:00Z', // not a leap year
      '2024-02-29T23:59:59.999999999Z',
      '2026-12-31T23:59:60.25Z', // a leap second (clamped to :59, as parseRfc3339 does)
      '2026-13-01T00:00:00.1Z',
      '2026-10-14T24:00:00.1Z',
      '2026-10-14T09:60:00.1Z',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999999999Z',
      '0000-01-01T00:00:00.1Z',
      '9999-12-31T23:59:59.999999999Z',
      '２026-10-14T09:12:03.5Z', // a fullwidth digit
      '2026-10-14T09:12:0３.5Z',
      '2026-10-14T09:12:03.５Z',
      '',
      'Z',
      '2026-10-14T09:12:03.001200000ZZ',
    ];
    // each after every other: a cached second must not answer for a text that differs from it
    for (const a of texts) {
      for (const b of texts) {
        same(a);
        same(b);
      }
    }
  });

  it('on generated texts near the shape, in random order', () => {
    const digit = fc.constantFrom(...'0123456789');
    const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    const near = fc
      .tuple(
        fc.constantFrom('2026', '2024', '1970', '0001', '2026'),
        fc.constantFrom('-'),
        fc.constantFrom('01', '02', '10', '12', '13', '00'),
        fc.constantFrom('-', '-', '/'),
        fc.constantFrom('01', '14', '28', '29', '30', '31', '32'),
        fc.constantFrom('T', 'T', 't', ' ', 'X'),
        fc.constantFrom('00', '09', '23', '24'),
        fc.constantFrom(':'),
        fc.constantFrom('00', '12', '59', '60'),
        fc.constantFrom(':'),
        fc.constantFrom('00', '03', '59', '60', '61'),
        fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 11 }).chain((n) => digits(n)).map((d) => `.${d}`), fc.constant('.x')),
        fc.constantFrom('Z', 'Z', 'z', '+00:00', '-05:30', '', 'ZZ'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(near, { minLength: 1, maxLength: 20 }), (texts) => {
        for (const s of texts) same(s);
      }),
      { numRuns: 500 },
    );
  });
});
