/** Nested expert-choice selection: hand case and the nesting/capacity properties. */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityCount, capacityFraction, nestedSelection } from './nested-top-k.js';

describe('nestedSelection', () => {
  it('hand case: 4 real tokens, c = 0.5 geometric -> 2 continue after t=1, 1 after t=2', () => {
    // scores [B=1, T=5, S=3] row-major; token 4 is padding
    const s = [
      [0.9, 0.1, 0], [0.5, 0.8, 0], [0.7, 0.3, 0], [0.1, 0.9, 0], [5, 5, 5],
    ].flat();
    const { selected, eligible } = nestedSelection(s, [1, 1, 1, 1, 0], 1, 5, 3, 'geometric', 0.5);
    const col = (a: Float32Array, t: number) => [0, 1, 2, 3, 4].map((i) => a[i * 3 + t]);
    expect(col(selected, 0)).toEqual([1, 0, 1, 0, 0]); // top-2 of 0.9, 0.5, 0.7, 0.1
    expect(col(selected, 1)).toEqual([0, 0, 1, 0, 0]); // among {0, 2}: 0.3 > 0.1; token 3's 0.9 is not eligible
    expect(col(eligible, 1)).toEqual([1, 0, 1, 0, 0]);
    expect(col(selected, 2)).toEqual([0, 0, 0, 0, 0]);
  });

  it('selections are nested and respect the capacity (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom('geometric' as const, 'fixed' as const), fc.integer({ min: 0, max: 1000 }),
        (T, S, c, schedule, seed) => {
          const scores = Array.from({ length: T * S }, (_, i) => Math.sin(seed * 7.1 + i * 3.3));
          const mask: number[] = Array.from({ length: T }, (_, i) => (i === 0 || (seed + i) % 4 ? 1 : 0));
          const n = mask.reduce((a, b) => a + b, 0);
          const { selected } = nestedSelection(scores, mask, 1, T, S, schedule, c);
          for (let t = 0; t < S - 1; t++) {
            let count = 0;
            for (let i = 0; i < T; i++) {
              const v = selected[i * S + t]!;
              count += v;
              if (v && t > 0) expect(selected[i * S + t - 1]).toBe(1);
              if (v) expect(mask[i]).toBe(1);
            }
            const prev = t === 0 ? n : Array.from({ length: T }, (_, i) => selected[i * S + t - 1]!).reduce((a, b) => a + b, 0);
            expect(count).toBe(Math.min(prev, capacityCount(n, capacityFraction(schedule, c, t + 1))));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
