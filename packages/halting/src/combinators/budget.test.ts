/**
 * `budget` hits its target mean depth within 5% on held-out data drawn from the
 * same distribution (measured with simulateInference), for several policies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { aniraE } from '../policies/anira-e.js';
import { aniraO } from '../policies/anira-o.js';
import { capacity } from '../policies/capacity.js';
import { ponderNet } from '../policies/pondernet.js';
import type { HaltingPolicy } from '../spec.js';
import { simulateInference } from '../testing/simulate.js';
import { useCpu } from '../test-setup.js';
import { budget } from './budget.js';

beforeAll(useCpu);

const dims = { dModel: 8, vocabSize: 3, tMax: 8, seed: 13 };
const B = 4, T = 512; // 2048 tokens: held-out sampling error well under 5%

/** States from a fixed distribution: a per-token offset plus per-step noise. */
function draw(seed: number, noise = 0.3) {
  const base = tf.randomNormal([B, T, 8], 0, 1, 'float32', seed) as tf.Tensor3D;
  const states = Array.from({ length: 8 }, (_, t) =>
    tf.add(base, tf.randomNormal([B, T, 8], 0, noise, 'float32', seed * 31 + t)) as tf.Tensor3D);
  const logits = states.map(() => tf.zeros([B, T, 3]) as tf.Tensor3D);
  return { shallow: base, states, logits, dispose: () => tf.dispose([base, ...states, ...logits]) };
}

/** [name, policy, target mean depth, per-step noise of the states] */
const cases: Array<[string, () => HaltingPolicy, number, number]> = [
  ['pondernet (q)', () => ponderNet(dims, { biasInit: -1.5 }), 3, 0.3],
  ['anira-o (q)', () => aniraO(dims, { biasInit: -1 }), 4, 0.3],
  ['anira-e (quantile)', () => aniraE(dims, { decision: 'quantile' }), 4.5, 0.3],
  ['capacity (threshold)', () => capacity(dims), 3, 1],
];

describe.each(cases)('budget: %s', (_name, make, target, noise) => {
  it(`hits mean depth ${target} within 5% on held-out data`, async () => {
    const fit = draw(1, noise), heldOut = draw(2, noise);
    const pol = make();
    const measure = (p: HaltingPolicy) => simulateInference(p, { ...fit, tMax: 8 }).meanDepth;
    const value = await budget(pol, target, measure);
    expect(pol.calibration!.get()).toBe(value);
    const mean = simulateInference(pol, { ...heldOut, tMax: 8 }).meanDepth;
    expect(Math.abs(mean - target) / target).toBeLessThanOrEqual(0.05);
    pol.dispose(); fit.dispose(); heldOut.dispose();
  });
});

describe('budget errors', () => {
  it('rejects policies without a knob and bad targets', async () => {
    const p = { ...ponderNet(dims) };
    await expect(budget(p, 0, () => 1)).rejects.toThrow(/targetMeanDepth/);
    const { calibration: _c, ...noKnob } = p;
    await expect(budget(noKnob as HaltingPolicy, 2, () => 1)).rejects.toThrow(/no calibration knob/);
  });
});
