import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoUtc } from '../src/http/dates.js';

describe('isoUtc', () => {
  it('formats exactly as Date#toISOString', () => {
    for (const ms of [0, 1, 951_782_400_000, 1_704_067_200_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1), 253_402_300_799_999]) {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 3e14 }), (ms) => isoUtc(ms) === new Date(ms).toISOString() || ms >= 8.64e15), { numRuns: 20_000 });
  });
});
