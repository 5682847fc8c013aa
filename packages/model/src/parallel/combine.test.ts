/** Token-weighted combination of shards, against hand-computed values and the full-batch identity. */
import { describe, expect, it } from 'vitest';
import { combineGradients, combineScalar, shardWeights } from './combine.js';
import { shardRange } from './shard.js';

describe('combine', () => {
  it('weights shards by loss tokens (n_w / sum n), 1/W when there is none', () => {
    expect(shardWeights([3, 1])).toEqual([0.75, 0.25]);
    expect(shardWeights([5])).toEqual([1]);
    expect(shardWeights([0, 0])).toEqual([0.5, 0.5]);
  });

  it('a token mean of the shards equals the mean over the whole batch', () => {
    const tokens = [[1, 2, 3], [10]]; // per-token losses of two shards
    const means = tokens.map((t) => t.reduce((a, b) => a + b) / t.length);
    expect(combineScalar(means, shardWeights(tokens.map((t) => t.length)))).toBeCloseTo(16 / 4, 12);
  });

  it('sums gradients per variable, skipping shards without that gradient', () => {
    // W = 2, two variables: v0 of size 2 at 0, v1 of size 1 at 2 (P = 3).
    const grads = new Float32Array([1, 2, 3, /* shard 1 */ 5, 6, 7]);
    const present = new Int32Array([1, 0, /* shard 1 */ 1, 1]);
    const { grad, present: any } = combineGradients(grads, present, [0.75, 0.25], [0, 2], [2, 1]);
    expect(Array.from(grad)).toEqual([0.75 * 1 + 0.25 * 5, 0.75 * 2 + 0.25 * 6, 0.25 * 7]);
    expect(any).toEqual([true, true]);
    const none = combineGradients(grads, new Int32Array([1, 0, 1, 0]), [0.5, 0.5], [0, 2], [2, 1]);
    expect(none.present).toEqual([true, false]);
    expect(none.grad[2]).toBe(0);
  });

  it('one worker passes its float32 gradient through unchanged', () => {
    const g = new Float32Array([0.1, -3.3e-8, 7.25]);
    expect(combineGradients(g, new Int32Array([1]), shardWeights([9]), [0], [3]).grad).toEqual(g);
  });

  it('shards cover the batch contiguously with sizes differing by at most one', () => {
    for (const [w, b] of [[1, 8], [2, 8], [3, 8], [5, 5], [4, 7]] as const) {
      const r = Array.from({ length: w }, (_, k) => shardRange(k, w, b));
      expect(r[0]![0]).toBe(0);
      expect(r[w - 1]![1]).toBe(b);
      for (let k = 1; k < w; k++) expect(r[k]![0]).toBe(r[k - 1]![1]);
      const sizes = r.map(([a, c]) => c - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});
