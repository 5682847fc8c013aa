/** KL to the geometric prior at the range ends: 0 log 0 = 0, and a prior with zeros. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-setup.js';
import { computePenalty, klToGeometric } from './penalty.js';

beforeAll(useCpu);

const kl = (opts: { beta: number; lambdaP: number }) => ({ kind: 'kl-geometric' as const, depthCost: 0, ...opts });

describe('klToGeometric', () => {
  it('KL(p || p) = 0 for p = [1, 0, 0] and lambdaP = 1 (the prior is [1, 0, 0])', () => {
    const p = tf.tensor3d([[[1, 0, 0]]]);
    expect(klToGeometric(p, 1).dataSync()[0]).toBe(0);
    expect(computePenalty(p, tf.ones([1, 1]), kl({ beta: 0.5, lambdaP: 1 })).dataSync()[0]).toBe(0);
  });

  it('is +Infinity where p has mass on a step the prior gives 0, and finite elsewhere', () => {
    const p = tf.tensor3d([[[0.5, 0.5, 0], [1, 0, 0]]]);
    const v = Array.from(klToGeometric(p, 1).dataSync());
    expect(v[0]).toBe(Infinity);
    expect(v[1]).toBe(0);
  });

  it('steps with p = 0 contribute 0 under a prior with full support (hand value)', () => {
    // g = truncated geometric(0.5) on 3 steps = [4/7, 2/7, 1/7]; p = [0, 1, 0]: KL = ln(7/2)
    const v = klToGeometric(tf.tensor3d([[[0, 1, 0]]]), 0.5).dataSync()[0]!;
    expect(v).toBeCloseTo(Math.log(3.5), 5);
  });

  it('has finite gradients at lambdaP = 1 for a p with zeros', () => {
    const logits = tf.variable(tf.tensor3d([[[1, 0.5, 2]]]));
    const { value, grads } = tf.variableGrads(() => {
      const p = tf.mul(logits, tf.tensor1d([1, 0, 0])) as tf.Tensor3D; // exactly [1, 0, 0]
      return computePenalty(p, tf.ones([1, 1]), kl({ beta: 1, lambdaP: 1 }));
    }, [logits]);
    expect(value.dataSync()[0]).toBe(0);
    expect(Array.from(grads[logits.name]!.dataSync()).every(Number.isFinite)).toBe(true);
    logits.dispose();
  });
});
