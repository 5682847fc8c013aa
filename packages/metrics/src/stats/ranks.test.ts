/** Ranking: the counting and sorting paths agree with a naive O(n^2) mid-rank definition. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseCodes, midranks } from './ranks.js';

const naiveMidrank = (v: number[]): number[] => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);

describe('midranks and denseCodes', () => {
  it('match the definition on small integers (counting path) and on reals (sort path)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 60 }), fc.boolean(), (v, ints) => {
      const vals = ints ? v.map((a) => Math.abs(Math.round(a)) % 10) : v;
      expect(Array.from(midranks(vals))).toEqual(naiveMidrank(vals));
      const { codes, levels } = denseCodes(vals);
      const uniq = [...new Set(vals)].sort((a, b) => a - b);
      expect(levels).toBe(uniq.length);
      expect(Array.from(codes)).toEqual(vals.map((a) => uniq.indexOf(a)));
    }), { numRuns: 200 });
  });
  it('ranks [3, 1, 4, 1, 5] as [3, 1.5, 4, 1.5, 5]', () => {
    expect(Array.from(midranks([3, 1, 4, 1, 5]))).toEqual([3, 1.5, 4, 1.5, 5]);
    expect(Array.from(midranks([0.3, -1, 0.3]))).toEqual([2.5, 1, 2.5]);
  });
});
