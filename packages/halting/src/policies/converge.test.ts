/** Hand-built sequences for each convergence criterion. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateInference } from '../testing/simulate.js';
import { useCpu } from '../test-setup.js';
import { converge } from './converge.js';

beforeAll(useCpu);

const dims = { dModel: 2, vocabSize: 3, tMax: 6, seed: 0 };
const seq = (rows: number[][]) => rows.map((r) => tf.tensor3d([[r]]));
const flatStates = seq(Array.from({ length: 6 }, () => [1, 1]));
const flatLogits = seq(Array.from({ length: 6 }, () => [0, 0, 0]));
const shallow = tf.tensor3d([[[1, 1]]]);

describe('converge', () => {
  it('kl: exits at the first t >= 2 whose KL to the previous step is below epsilon', () => {
    // KL(softmax(l3) || softmax(l2)) is tiny; step 2 differs a lot from step 1.
    const logits = seq([[3, 0, 0], [0, 3, 0], [0, 3.01, 0], [0, 3.01, 0], [0, 3, 0], [0, 0, 0]]);
    const pol = converge(dims, { criterion: 'kl', epsilon: 5e-4 });
    expect(simulateInference(pol, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[3]]);
    const never = converge(dims, { criterion: 'kl', epsilon: 0 });
    expect(simulateInference(never, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[6]]);
  });

  it('argmax: exits after the argmax is unchanged for k steps', () => {
    // argmax: 0, 1, 1, 0, 0, 0 -> stable counts 0, 0, 1, 0, 1, 2
    const logits = seq([[1, 0, 0], [0, 1, 0], [0, 2, 0], [3, 0, 0], [2, 0, 0], [2, 0, 0]]);
    const k1 = converge(dims, { criterion: 'argmax', stableSteps: 1 });
    expect(simulateInference(k1, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[3]]);
    const k2 = converge(dims, { criterion: 'argmax', stableSteps: 2 });
    expect(simulateInference(k2, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[6]]);
    const k2short = converge({ ...dims, tMax: 5 }, { criterion: 'argmax', stableSteps: 2 });
    expect(simulateInference(k2short, { shallow, states: flatStates, logits, tMax: 5 }).exitDepth).toEqual([[5]]);
  });

  it('latent: relative change ||h_t - h_{t-1}|| / ||h_{t-1}|| below epsilon', () => {
    // shallow [3, 4] (norm 5); changes: 5/5 = 1, then 0.5/5 = 0.1, then 0.04/... < 0.01 at t = 4? compute: h3 = [3, 4.54]
    const states = seq([[6, 8], [6, 8.5], [6, 8.55], [6, 8.551], [6, 8.551], [6, 8.551]]);
    const pol = converge(dims, { criterion: 'latent', relativeChange: 0.01 });
    // relative changes: t1 |[3,4]|/5 = 1; t2 0.5/10 = 0.05; t3 0.05/10.39 = 0.0048 -> exit at 3
    expect(simulateInference(pol, { shallow: tf.tensor3d([[[3, 4]]]), states, logits: flatLogits, tMax: 6 }).exitDepth).toEqual([[3]]);
  });

  it('entropy: exits when the prediction entropy drops below the threshold', () => {
    const logits = seq([[0, 0, 0], [1, 0, 0], [4, 0, 0], [8, 0, 0], [9, 0, 0], [9, 0, 0]]);
    // entropies: ln 3 = 1.099; ~1.04; ~0.24 at [4,0,0]; ~0.0067 at [8,0,0]
    const pol = converge(dims, { criterion: 'entropy', entropyThreshold: 0.1 });
    expect(simulateInference(pol, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[4]]);
    const loose = converge(dims, { criterion: 'entropy', entropyThreshold: 0.5 });
    expect(simulateInference(loose, { shallow, states: flatStates, logits, tMax: 6 }).exitDepth).toEqual([[3]]);
  });

  it('trains as fixed depth with no loss', () => {
    const pol = converge(dims);
    const out = pol.train({ shallow, states: flatStates, logits: flatLogits, mask: tf.ones([1, 1]), lossMask: tf.ones([1, 1]), seed: 0 });
    expect(Array.from(out.weights.dataSync())).toEqual([0, 0, 0, 0, 0, 1]);
    expect(out.loss.dataSync()[0]).toBe(0);
  });
});
