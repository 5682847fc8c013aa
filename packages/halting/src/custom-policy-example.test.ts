/**
 * The documented user policy (examples/custom-halting-policy/my-policy.js) passes
 * definition validation and behaves as its README says under simulateInference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicyOptions } from './options.js';
import { assertPolicyDefinition } from './registry.js';
import type { PolicyDefinition } from './spec.js';
import { simulateInference } from './testing/simulate.js';
import { useCpu } from './test-setup.js';

beforeAll(useCpu);

describe('examples/custom-halting-policy', () => {
  it('is a valid v1 definition with the README behaviour', async () => {
    const url = new URL('../../../examples/custom-halting-policy/my-policy.js', import.meta.url).href;
    const mod = (await import(/* @vite-ignore */ url)) as { default: unknown };
    assertPolicyDefinition(mod.default, 'my-policy.js');
    const def = mod.default as PolicyDefinition;
    const policy = def.create({ dModel: 4, vocabSize: 3, tMax: 4, seed: 0 }, resolvePolicyOptions(def, { threshold: '0.8' }));
    const states = [0, 1, 2, 3].map(() => tf.zeros([1, 3, 4]) as tf.Tensor3D);
    const logits = [0, 1, 2, 3].map((t) => tf.mul(t, tf.tensor3d([[[1, 0, 0], [2, 0, 0], [0, 0, 0]]])) as tf.Tensor3D);
    // max softmax: token 0 reaches 0.909 at iteration 4; token 1 0.965 at iteration 3; token 2 stays 1/3
    expect(simulateInference(policy, { shallow: states[0]!, states, logits, tMax: 4 }).exitDepth).toEqual([[4, 3, 4]]);
    const w = policy.train({ shallow: states[0]!, states, logits, mask: tf.ones([1, 3]), lossMask: tf.ones([1, 3]), seed: 0 }).weights;
    expect(Array.from(w.dataSync())).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});
