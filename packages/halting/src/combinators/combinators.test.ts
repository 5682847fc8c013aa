/** minDepth/maxDepth renormalisation, anyOf/allOf halting rules, and namespacing. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { converge } from '../policies/converge.js';
import { createForcedDepthPolicy } from '../policies/forced-depth.js';
import { ponderNet } from '../policies/pondernet.js';
import { simulateInference } from '../testing/simulate.js';
import { arr3, useCpu } from '../test-setup.js';
import { allOf, anyOf } from './any-all.js';
import { maxDepth, minDepth } from './depth-bounds.js';
import { restrictWeights } from './renormalise.js';

beforeAll(useCpu);

const B = 1, T = 4, S = 4;
const states = Array.from({ length: S }, (_, i) => tf.fill([B, T, 2], i) as tf.Tensor3D);
const logits = states.map(() => tf.zeros([B, T, 3]) as tf.Tensor3D);
const shallow = tf.zeros([B, T, 2]) as tf.Tensor3D;
const mask = tf.ones([B, T]) as tf.Tensor2D;
const forced = () => createForcedDepthPolicy((_b, t) => t + 1); // depths 1, 2, 3, 4

describe('restrictWeights', () => {
  it('renormalises inside the range and falls back to the boundary', () => {
    const w = tf.tensor3d([[[0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0]]]);
    const r = arr3(restrictWeights(w, 3, 4, 3))[0]!;
    [0, 0, 3 / 7, 4 / 7].forEach((v, i) => expect(r[0]![i]).toBeCloseTo(v, 6));
    expect(r[1]).toEqual([0, 0, 1, 0]);
  });
});

describe('minDepth / maxDepth', () => {
  it('clamp exit depths', () => {
    expect(simulateInference(minDepth(forced(), 3), { shallow, states, logits, tMax: S }).exitDepth).toEqual([[3, 3, 3, 4]]);
    expect(simulateInference(maxDepth(forced(), 2), { shallow, states, logits, tMax: S }).exitDepth).toEqual([[1, 2, 2, 2]]);
    const planned = simulateInference(minDepth(forced(), 2), { shallow, states, logits, tMax: S }).plannedDepth;
    expect(planned).toEqual([[2, 2, 3, 4]]);
  });

  it('training weights move to the allowed range', () => {
    const w = arr3(maxDepth(forced(), 2).train({ shallow, states, logits, mask, lossMask: mask, seed: 0 }).weights)[0]!;
    expect(w).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]);
  });

  it('forward variables and calibration of the wrapped policy', () => {
    const inner = ponderNet({ dModel: 2, vocabSize: 3, tMax: S, seed: 0 });
    const wrapped = minDepth(inner, 2);
    expect(Object.keys(wrapped.variables).sort()).toEqual(['halting.b', 'halting.w']);
    expect(wrapped.calibration).toBe(inner.calibration);
    wrapped.dispose();
    expect(inner.variables['halting.w']!.isDisposed).toBe(true);
  });
});

describe('anyOf / allOf', () => {
  const other = () => createForcedDepthPolicy((_b, t) => 4 - t); // depths 4, 3, 2, 1
  it('anyOf halts at the earliest member, allOf at the latest (monotone members)', () => {
    expect(simulateInference(anyOf(forced(), other()), { shallow, states, logits, tMax: S }).exitDepth).toEqual([[1, 2, 2, 1]]);
    expect(simulateInference(allOf(forced(), other()), { shallow, states, logits, tMax: S }).exitDepth).toEqual([[4, 3, 3, 4]]);
  });

  it('namespace variables and carry, and train with the trainable member', () => {
    const a = ponderNet({ dModel: 2, vocabSize: 3, tMax: S, seed: 1 });
    const b = ponderNet({ dModel: 2, vocabSize: 3, tMax: S, seed: 2 });
    Object.values(b.variables).forEach((v) => { v.trainable = false; }); // b is an inference-time criterion
    const both = anyOf(a, b);
    expect(Object.keys(both.variables).sort()).toEqual(['0/halting.b', '0/halting.w', '1/halting.b', '1/halting.w']);
    const start = both.start!({ shallow, mask, tMax: S, seed: 0 });
    expect(Object.keys(start.carry!).sort()).toEqual(['0/cumulative', '0/survive', '1/cumulative', '1/survive']);
    const wa = a.train({ shallow, states, logits, mask, lossMask: mask, seed: 0 }).weights.dataSync();
    const wb = both.train({ shallow, states, logits, mask, lossMask: mask, seed: 0 }).weights.dataSync();
    expect(Array.from(wb)).toEqual(Array.from(wa));
    both.dispose();
  });
});

describe('anyOf / allOf with several learned members', () => {
  const dims = (seed: number) => ({ dModel: 2, vocabSize: 3, tMax: S, seed });
  it.each([['anyOf', anyOf], ['allOf', allOf]] as const)('%s refuses two members with trainable variables, in one line', (fn, combinator) => {
    const a = ponderNet(dims(1)), b = ponderNet(dims(2));
    expect(() => combinator(a, b)).toThrow(
      `${fn}: at most 1 member may have trainable variables, got 2: members 0 (pondernet), 1 (pondernet); the others must be inference-time criteria (no variables, or all trainable: false)`);
    a.dispose(); b.dispose();
  });

  it('trains the one trainable member wherever it sits, with its knob', () => {
    const a = ponderNet(dims(1), { inference: 'threshold' });
    const both = anyOf(converge(dims(0)), a);
    const input = { shallow, states, logits, mask, lossMask: mask, seed: 0 };
    expect(Array.from(both.train(input).weights.dataSync())).toEqual(Array.from(a.train(input).weights.dataSync()));
    expect(both.calibration).toBe(a.calibration);
    const { grads } = tf.variableGrads(() => both.train(input).loss, Object.values(both.variables));
    expect(Array.from(grads[a.variables['halting.b']!.name]!.dataSync()).some((g) => g !== 0)).toBe(true);
    both.dispose();
  });
});
