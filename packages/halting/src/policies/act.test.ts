/** The ACT policy end to end on a hand-built case: weights, ponder cost and inference exits. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateInference } from '../testing/simulate.js';
import { arr3, useCpu } from '../test-setup.js';
import { act } from './act.js';

beforeAll(useCpu);

const logit = (p: number) => Math.log(p / (1 - p));

describe('act policy', () => {
  // dModel 1, w = 1, b = 0: p_t = sigmoid(h_t). Token 0: p = 0.3, 0.5, 0.4; token 1: 0.1 each.
  const ps = [[0.3, 0.1], [0.5, 0.1], [0.4, 0.1]];
  const states = ps.map((row) => tf.tensor3d([row.map((p) => [logit(p)])]));
  const logits = states.map(() => tf.zeros([1, 2, 2]) as tf.Tensor3D);
  const make = () => {
    const pol = act({ dModel: 1, vocabSize: 2, tMax: 3, seed: 0 });
    pol.variables['halting.w']!.assign(tf.tensor2d([[1]]));
    pol.variables['halting.b']!.assign(tf.tensor1d([0]));
    return pol;
  };

  it('weights, mixture combine and ponder cost tau (N + R) over loss tokens', () => {
    const pol = make();
    const lossMask = tf.tensor2d([[1, 1]]);
    const out = pol.train({ shallow: states[0]!, states, logits, mask: tf.ones([1, 2]), lossMask, seed: 0 });
    expect(out.combine).toBe('mixture');
    const w = arr3(out.weights)[0]!;
    [[0.3, 0.5, 0.2], [0.1, 0.1, 0.8]].forEach((row, i) => row.forEach((v, j) => expect(w[i]![j]).toBeCloseTo(v, 5)));
    // token 0: N + R = 3.2; token 1: 3.8 -> mean 3.5, times tau 0.01
    expect(out.loss.dataSync()[0]).toBeCloseTo(0.035, 6);
    const only0 = pol.train({ shallow: states[0]!, states, logits, mask: tf.ones([1, 2]), lossMask: tf.tensor2d([[1, 0]]), seed: 0 });
    expect(only0.loss.dataSync()[0]).toBeCloseTo(0.032, 6);
    pol.dispose();
  });

  it('inference exits where the cumulative sum reaches 1 - eps, with the same N as training', () => {
    const pol = make();
    // token 0 crosses 0.99 at t = 3 (1.2); token 1 never does -> tMax = 3
    const r = simulateInference(pol, { shallow: states[0]!, states, logits, tMax: 3 });
    expect(r.exitDepth).toEqual([[3, 3]]);
    const early = states.map((s, i) => (i === 1 ? tf.tensor3d([[[logit(0.7)], [logit(0.995)]]]) : s));
    // token 0: 0.3 + 0.7 = 1.0 >= 0.99 at t = 2; token 1: 0.1 + 0.995 at t = 2
    expect(simulateInference(pol, { shallow: states[0]!, states: early, logits, tMax: 3 }).exitDepth).toEqual([[2, 2]]);
    pol.dispose();
  });
});
