/**
 * finalizeNeedle (log-precompute.ts): the writer keeps the ids of the lines finalizeLogs' `text LIKE '<prefix> %'`
 * queries can match, and the queries then read only those. It must pass every line SQLite's LIKE matches (ASCII
 * letters in either case), checked against SQLite itself.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finalizeNeedle } from '../../electron/import/log-precompute';

const PATTERNS = [
  'Complete job name: %',
  'Download action repository %',
  'Download immutable action package %',
  '##[group]Download immutable action package %',
  'Source commit SHA: %',
];

describe('finalizeNeedle passes every line a finalize LIKE query matches', () => {
  const db = new Database(':memory:');
  const like = db.prepare(`SELECT ? LIKE ?`).pluck();
  const matches = (s: string) => PATTERNS.some((p) => like.get(s, p) === 1);

  it('for the texts as GitHub writes them, in other cases, and near misses', () => {
    const texts = [
      "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
      "DOWNLOAD ACTION REPOSITORY 'x@y'",
      "##[group]Download immutable action package 'actions/checkout@v4'",
      "##[GROUP]download Immutable action package 'a@b'",
      'Source commit SHA: 11bd71901bbe5b1630ceea73d27597364c9af683',
      'Complete job name: build (ubuntu-latest)',
      'complete job name: ',
      'Complete job name:',
      'Complete job name:x',
      ' Complete job name: x',
      'Download action repository',
      'Sourcecommit SHA: x',
    ];
    for (const t of texts) expect([t, finalizeNeedle(t) || !matches(t)]).toEqual([t, true]);
    expect(texts.filter(matches).length).toBe(7);
  });

  it('for arbitrary mixes of the prefixes with case changes and other characters', () => {
    const prefix = fc.constantFrom(...PATTERNS.map((p) => p.slice(0, -1)), '');
    const flip = (s: string, mask: number[]) =>
      [...s].map((c, i) => (mask[i % mask.length]! % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
    fc.assert(
      fc.property(prefix, fc.array(fc.nat(3), { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 6 }), fc.string({ maxLength: 4 }), (p, mask, tail, head) => {
        for (const s of [flip(p, mask) + tail, head + p + tail, p.slice(0, -1) + tail]) {
          if (matches(s)) expect(finalizeNeedle(s)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
