/** ANIRA-E hand cases (q, expected depth, quantile rule) and the E/O isolation property. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateInference } from '../testing/simulate.js';
import { arr3, useCpu } from '../test-setup.js';
import { aniraE } from './anira-e.js';
import { aniraO } from './anira-o.js';

beforeAll(useCpu);

describe('anira-e', () => {
  // Linear router, dModel 1, w = 0, b = [0, ln 2, 0]: q = [0.25, 0.5, 0.25] for every token.
  const make = (opts: Parameters<typeof aniraE>[1] = {}) => {
    const pol = aniraE({ dModel: 1, vocabSize: 2, tMax: 3, seed: 3 }, { router: 'linear', ...opts });
    pol.variables['router.w']!.assign(tf.zeros([1, 3]));
    pol.variables['router.b']!.assign(tf.tensor1d([0, Math.log(2), 0]));
    return pol;
  };
  const shallow = tf.tensor3d([[[0.3], [-1]]]);
  const states = [1, 2, 3].map((v) => tf.fill([1, 2, 1], v) as tf.Tensor3D);
  const logits = states.map(() => tf.zeros([1, 2, 2]) as tf.Tensor3D);

  it('q, expected depth and argmax plan', () => {
    const pol = make();
    const out = pol.train({ shallow, states, logits, mask: tf.ones([1, 2]), lossMask: tf.ones([1, 2]), seed: 0 });
    arr3(out.weights)[0]![0]!.forEach((v, i) => expect(v).toBeCloseTo([0.25, 0.5, 0.25][i]!, 6));
    const r = simulateInference(pol, { shallow, states, logits, tMax: 3 });
    expect(r.expectedDepth![0]![0]).toBeCloseTo(2, 6);
    expect(r.plannedDepth).toEqual([[2, 2]]);
    expect(r.exitDepth).toEqual([[2, 2]]);
    // hazard at step 1 = q1 / 1 = 0.25; at step 2 = 0.5 / 0.75
    expect(r.haltProb[0]![0]![0]).toBeCloseTo(0.25, 5);
    expect(r.haltProb[0]![0]![1]).toBeCloseTo(2 / 3, 5);
    pol.dispose();
  });

  it('quantile rule: smallest d with cumulative q >= quantile (cumulative 0.25, 0.75, 1)', () => {
    for (const [quantile, d] of [[0.2, 1], [0.25, 1], [0.5, 2], [0.75, 2], [0.8, 3]] as const) {
      const pol = make({ decision: 'quantile', quantile });
      expect(simulateInference(pol, { shallow, states, logits, tMax: 3 }).exitDepth).toEqual([[d, d]]);
      pol.dispose();
    }
  });

  it('straight-through Gumbel weights are one-hot and seeded', () => {
    const pol = make({ gumbel: true });
    const input = { shallow, states, logits, mask: tf.ones([1, 2]) as tf.Tensor2D, lossMask: tf.ones([1, 2]) as tf.Tensor2D, seed: 5 };
    const w1 = arr3(pol.train(input).weights)[0]!;
    const w2 = arr3(pol.train(input).weights)[0]!;
    expect(w1).toEqual(w2);
    w1.forEach((row) => {
      expect(row.filter((v) => Math.abs(v - 1) < 1e-5)).toHaveLength(1);
      expect(row.filter((v) => Math.abs(v) < 1e-5)).toHaveLength(2);
    });
    pol.dispose();
  });
});

describe('E/O isolation', () => {
  const dims = { dModel: 4, vocabSize: 3, tMax: 6, seed: 11 };
  const B = 2, T = 24;
  const shallow = tf.randomNormal([B, T, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
  const draw = (seed: number) => Array.from({ length: 6 }, (_, t) => tf.randomNormal([B, T, 4], 0, 2, 'float32', seed * 100 + t) as tf.Tensor3D);
  const logits = Array.from({ length: 6 }, () => tf.zeros([B, T, 3]) as tf.Tensor3D);

  it('perturbing states after the shallow representation leaves anira-e depths unchanged', () => {
    const pol = aniraE(dims, { decision: 'quantile', quantile: 0.5 });
    const a = simulateInference(pol, { shallow, states: draw(1), logits, tMax: 6 });
    const b = simulateInference(pol, { shallow, states: draw(2), logits, tMax: 6 });
    expect(b.exitDepth).toEqual(a.exitDepth);
    const c = simulateInference(pol, { shallow: tf.add(shallow, 3) as tf.Tensor3D, states: draw(1), logits, tMax: 6 });
    expect(c.exitDepth).not.toEqual(a.exitDepth); // but they do depend on the shallow state
    pol.dispose();
  });

  it('the same perturbation changes anira-o depths', () => {
    const pol = aniraO(dims);
    const a = simulateInference(pol, { shallow, states: draw(1), logits, tMax: 6 });
    const b = simulateInference(pol, { shallow, states: draw(2), logits, tMax: 6 });
    expect(b.exitDepth).not.toEqual(a.exitDepth);
    pol.dispose();
  });
});
