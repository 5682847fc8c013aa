/**
 * Properties every built-in policy (and combinator) must satisfy on random inputs:
 * exit depths in [1, tMax]; training weights >= 0 summing to 1; finite, non-zero
 * gradients for trainable ones; no tensor leaks across train/start/step.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { anyOf, allOf } from '../combinators/any-all.js';
import { maxDepth, minDepth } from '../combinators/depth-bounds.js';
import { listPolicyDefinitions } from '../registry.js';
import type { HaltingPolicy, PolicyDims } from '../spec.js';
import { policyCase, toTensors } from '../testing/arbitraries.js';
import { simulateInference } from '../testing/simulate.js';
import { useCpu } from '../test-setup.js';
import { createForcedDepthPolicy } from './forced-depth.js';

beforeAll(useCpu);

type Factory = (dims: PolicyDims) => HaltingPolicy;
const def = (name: string, options: Record<string, unknown> = {}): Factory => (dims) =>
  listPolicyDefinitions().find((d) => d.name === name)!.create(dims, options);

const factories: Record<string, Factory> = {
  fixed: def('fixed'),
  'fixed(depth=2)': def('fixed', { depth: 2 }),
  act: def('act'),
  pondernet: def('pondernet'),
  'pondernet(threshold)': def('pondernet', { inference: 'threshold' }),
  'anira-o': def('anira-o'),
  'anira-o(expected-depth)': def('anira-o', { penalty: 'expected-depth' }),
  'anira-e': def('anira-e'),
  'anira-e(gumbel,quantile)': def('anira-e', { gumbel: true, decision: 'quantile', router: 'linear' }),
  'anira-e-hazard': def('anira-e-hazard'),
  'anira-e-hazard(mlp,sample)': def('anira-e-hazard', { router: 'mlp', inference: 'sample' }),
  'converge(kl)': def('converge'),
  'converge(argmax)': def('converge', { criterion: 'argmax' }),
  'converge(latent)': def('converge', { criterion: 'latent' }),
  'converge(entropy)': def('converge', { criterion: 'entropy' }),
  capacity: def('capacity'),
  'capacity(top-k,fixed)': def('capacity', { inference: 'top-k', schedule: 'fixed' }),
  'minDepth(act, 2)': (d) => minDepth(def('act')(d), 2),
  'maxDepth(anira-e, 2)': (d) => maxDepth(def('anira-e')(d), 2),
  'anyOf(pondernet, converge)': (d) => anyOf(def('pondernet')(d), def('converge', { criterion: 'argmax' })(d)),
  'allOf(anira-o, forced)': (d) => allOf(def('anira-o')(d), createForcedDepthPolicy((b, t) => 1 + ((b + t) % 3))),
};

const trainable = [
  'act', 'pondernet', 'anira-o', 'anira-o(expected-depth)', 'anira-e', 'anira-e(gumbel,quantile)', 'anira-e-hazard', 'anira-e-hazard(mlp,sample)', 'capacity',
];

describe.each(Object.entries(factories))('%s', (_name, make) => {
  it('exit depths are in [1, tMax] for real tokens (0 for padding)', () => {
    fc.assert(
      fc.property(policyCase(), fc.integer({ min: 0, max: 3 }), (c, extra) => {
        const x = toTensors(c);
        const pol = make(c.dims);
        // inference may run longer than training: tMax + extra (states repeat the last one)
        const tMax = c.dims.tMax + extra;
        const pad = <X>(xs: X[]) => [...xs, ...Array.from({ length: extra }, () => xs[xs.length - 1]!)];
        const r = simulateInference(pol, { shallow: x.shallow, states: pad(x.states), logits: pad(x.logits), mask: x.mask, tMax, seed: c.dims.seed });
        r.exitDepth.flat().forEach((d, i) => {
          if (c.mask[i]) { expect(d).toBeGreaterThanOrEqual(1); expect(d).toBeLessThanOrEqual(tMax); }
          else expect(d).toBe(0);
        });
        pol.dispose();
        x.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('training weights are >= 0 and each row sums to 1 within 1e-6', () => {
    fc.assert(
      fc.property(policyCase(), (c) => {
        const x = toTensors(c);
        const pol = make(c.dims);
        const w = tf.tidy(() => pol.train({ ...x, seed: c.dims.seed }).weights);
        expect(w.shape).toEqual([c.batch, c.length, c.dims.tMax]);
        const v = w.arraySync() as number[][][];
        v.flat().forEach((row) => {
          row.forEach((p) => expect(p).toBeGreaterThanOrEqual(-1e-7));
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
        });
        w.dispose();
        pol.dispose();
        x.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('keeps tf.memory().numTensors stable across repeated train/start/step', () => {
    const dims = { dModel: 4, vocabSize: 3, tMax: 4, seed: 5 };
    const pol = make(dims);
    const c = fc.sample(policyCase({ maxSteps: 4 }), { numRuns: 1, seed: 9 })[0]!;
    const [B, T] = [c.batch, c.length];
    const x = { mask: tf.tensor2d(c.mask, [B, T]), lossMask: tf.tensor2d(c.mask, [B, T]), dispose: () => tf.dispose([x.mask, x.lossMask]) };
    const shallow = tf.randomNormal([B, T, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const states = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 4], 0, 1, 'float32', 2 + i) as tf.Tensor3D);
    const logits = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 3], 0, 1, 'float32', 7 + i) as tf.Tensor3D);
    const run = () => {
      tf.tidy(() => { pol.train({ shallow, states, logits, mask: x.mask, lossMask: x.lossMask, seed: 1 }); });
      simulateInference(pol, { shallow, states, logits, mask: x.mask, tMax: 4 });
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    pol.dispose();
    x.dispose();
    tf.dispose([shallow, ...states, ...logits]);
  });
});

describe.each(trainable)('%s gradients', (name) => {
  const make = factories[name]!;
  it('loss gradients w.r.t. its variables are finite and non-zero', () => {
    const dims = { dModel: 5, vocabSize: 3, tMax: 4, seed: 21 };
    const pol = make(dims);
    const B = 2, T = 8;
    const shallow = tf.randomNormal([B, T, 5], 0, 1, 'float32', 1) as tf.Tensor3D;
    const states = [0, 1, 2, 3].map((i) => tf.randomNormal([B, T, 5], 0, 1, 'float32', 10 + i) as tf.Tensor3D);
    const logits = states.map(() => tf.zeros([B, T, 3]) as tf.Tensor3D);
    const perStepLoss = tf.randomUniform([B, T, 4], 0, 2, 'float32', 3); // stands in for the task loss L_t
    const mask = tf.ones([B, T]) as tf.Tensor2D;
    const { grads } = tf.variableGrads(() => {
      const out = pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 4 });
      return tf.add(out.loss, tf.mean(tf.sum(tf.mul(out.weights, perStepLoss), 2))) as tf.Scalar;
    }, Object.values(pol.variables));
    for (const [k, v] of Object.entries(pol.variables)) {
      const g = grads[v.name];
      expect(g, k).toBeDefined();
      const vals = Array.from(g!.dataSync());
      expect(vals.every(Number.isFinite), k).toBe(true);
      expect(vals.some((e) => Math.abs(e) > 0), k).toBe(true);
    }
    tf.dispose(Object.values(grads));
    pol.dispose();
  });
});
