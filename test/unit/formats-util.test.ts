import { describe, expect, it } from 'vitest';
import { asInt } from '../../electron/import/kit';

describe('integers from telemetry fields', () => {
  it('takes exact integers, from numbers or digit strings', () => {
    expect(asInt(4721)).toBe(4721);
    expect(asInt('4721')).toBe(4721);
    expect(asInt(12.7)).toBe(12);
    expect(asInt(-1)).toBe(-1);
  });
  it('refuses what cannot be stored exactly, and what is not a number', () => {
    expect(asInt(1e300)).toBeNull();
    expect(asInt(2 ** 53 + 2)).toBeNull();
    expect(asInt('9007199254740993')).toBeNull();
    expect(asInt('12abc')).toBeNull();
    expect(asInt(null)).toBeNull();
    expect(asInt(Number.NaN)).toBeNull();
  });
});
