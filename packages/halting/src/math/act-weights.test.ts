/** Hand-computed ACT cases and the remainder properties. */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { arr2, arr3, useCpu } from '../test-setup.js';
import { actWeights } from './act-weights.js';

beforeAll(useCpu);

describe('actWeights', () => {
  it('matches hand-computed N, R and weights', () => {
    // token 0: cum 0.3, 0.8, 1.2 -> N = 3, R = 1 - 0.8 = 0.2
    // token 1: p_1 = 0.995 >= 0.99 -> N = 1, R = 1
    // token 2: never reaches 0.99 -> N = S = 3, R = 1 - 0.2 = 0.8
    const p = tf.tensor3d([[[0.3, 0.5, 0.4], [0.995, 0.9, 0.9], [0.1, 0.1, 0.1]]]);
    const { weights, n, remainder } = actWeights(p, 0.01);
    expect(arr2(n)[0]).toEqual([3, 1, 3]);
    arr2(remainder)[0]!.forEach((r, i) => expect(r).toBeCloseTo([0.2, 1, 0.8][i]!, 6));
    const w = arr3(weights)[0]!;
    const expected = [[0.3, 0.5, 0.2], [1, 0, 0], [0.1, 0.1, 0.8]];
    w.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 6)));
  });

  it('halts exactly where the cumulative sum reaches 1 - eps (boundary)', () => {
    const p = tf.tensor3d([[[0.5, 0.49, 0.3]]]);
    const { n, remainder } = actWeights(p, 0.01);
    expect(arr2(n)[0]![0]).toBe(2);
    expect(arr2(remainder)[0]![0]).toBeCloseTo(0.5, 6);
  });

  it('remainders are >= eps, weights >= 0 and rows sum to 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (S, raw) => {
          const vals = raw.slice(0, 4 * S);
          while (vals.length < 4 * S) vals.push(0.5);
          const { weights, remainder, n } = tf.tidy(() => {
            const o = actWeights(tf.tensor3d(vals, [1, 4, S]), 0.01);
            return { weights: o.weights, remainder: o.remainder, n: o.n };
          });
          // oracle: a plain loop over each token
          const w = arr3(weights)[0]!;
          arr2(remainder)[0]!.forEach((r, i) => {
            let cum = 0, N = S;
            for (let t = 0; t < S; t++) { if (t === S - 1 || cum + vals[i * S + t]! >= 0.99) { N = t + 1; break; } cum += vals[i * S + t]!; }
            expect(arr2(n)[0]![i]).toBe(N);
            expect(r).toBeGreaterThanOrEqual(0.01 - 1e-6);
            expect(r).toBeCloseTo(1 - cum, 5);
            expect(w[i]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
            w[i]!.forEach((x) => expect(x).toBeGreaterThanOrEqual(0));
          });
          tf.dispose([weights, remainder, n]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
