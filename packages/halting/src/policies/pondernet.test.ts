/** Hand-computed PonderNet cases: the halting distribution, KL to the truncated geometric, inference. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { truncatedGeometric } from '../math/geometric.js';
import { haltingDistribution } from '../math/halting-distribution.js';
import { computePenalty } from '../math/penalty.js';
import { simulateInference } from '../testing/simulate.js';
import { arr3, useCpu } from '../test-setup.js';
import { ponderNet } from './pondernet.js';

beforeAll(useCpu);

const logit = (p: number) => Math.log(p / (1 - p));

describe('pondernet maths', () => {
  it('p_n = lambda_n prod (1 - lambda_j), lambda_S = 1', () => {
    const lam = [0.5, 0.5, 0.9].map((v) => tf.tensor2d([[v]]));
    const p = arr3(haltingDistribution(lam))[0]![0]!;
    [0.5, 0.25, 0.25].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 6));
  });

  it('truncated geometric is renormalised', () => {
    const g = truncatedGeometric(3, 0.2);
    const z = 0.2 + 0.16 + 0.128;
    [0.2 / z, 0.16 / z, 0.128 / z].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 9));
  });

  it('KL penalty matches the hand-computed value', () => {
    const z = 0.488;
    const g = [0.2 / z, 0.16 / z, 0.128 / z];
    const p = [0.5, 0.25, 0.25];
    const kl = p.reduce((s, pi, i) => s + pi * Math.log(pi / g[i]!), 0); // = 0.5 ln(1.22) + 0.25 ln(0.7625) + 0.25 ln(0.953125)
    expect(kl).toBeCloseTo(0.5 * Math.log(1.22) + 0.25 * Math.log(0.7625) + 0.25 * Math.log(0.953125), 9);
    // token 2 is not a loss token and must not count
    const pt = tf.tensor3d([[[0.5, 0.25, 0.25], [1, 0, 0]]]);
    const pen = computePenalty(pt, tf.tensor2d([[1, 0]]), { kind: 'kl-geometric', beta: 0.01, lambdaP: 0.2, depthCost: 0 });
    expect(pen.dataSync()[0]).toBeCloseTo(0.01 * kl, 6);
    const ed = computePenalty(pt, tf.tensor2d([[1, 1]]), { kind: 'expected-depth', beta: 0, lambdaP: 0.2, depthCost: 0.1 });
    expect(ed.dataSync()[0]).toBeCloseTo(0.1 * ((1.75 + 1) / 2), 6); // E[d] = 0.5 + 0.5 + 0.75 = 1.75
  });
});

describe('pondernet policy', () => {
  // dModel 1, w = 1, b = 0: lambda_t = sigmoid(h_t)
  const make = (opts: Parameters<typeof ponderNet>[1] = {}) => {
    const pol = ponderNet({ dModel: 1, vocabSize: 2, tMax: 3, seed: 1 }, opts);
    pol.variables['halting.w']!.assign(tf.tensor2d([[1]]));
    pol.variables['halting.b']!.assign(tf.tensor1d([0]));
    return pol;
  };
  const states = [0.5, 0.5, 0.9].map((v) => tf.tensor3d([[[logit(v)]]]));
  const logits = states.map(() => tf.zeros([1, 1, 2]) as tf.Tensor3D);

  it('train() returns the hand-computed weights and beta KL', () => {
    const pol = make();
    const out = pol.train({ shallow: states[0]!, states, logits, mask: tf.ones([1, 1]), lossMask: tf.ones([1, 1]), seed: 0 });
    arr3(out.weights)[0]![0]!.forEach((v, i) => expect(v).toBeCloseTo([0.5, 0.25, 0.25][i]!, 5));
    const g = truncatedGeometric(3, 0.2);
    const kl = [0.5, 0.25, 0.25].reduce((s, pi, i) => s + pi * Math.log(pi / g[i]!), 0);
    expect(out.loss.dataSync()[0]).toBeCloseTo(0.01 * kl, 5);
    expect(out.combine).toBe('expected-loss');
    pol.dispose();
  });

  it('threshold inference exits where cumulative p reaches q', () => {
    // cumulative p: 0.5, 0.75, 1
    for (const [q, depth] of [[0.4, 1], [0.5, 1], [0.6, 2], [0.8, 3]] as const) {
      const pol = make({ q, inference: 'threshold' });
      const r = simulateInference(pol, { shallow: states[0]!, states, logits, tMax: 3 });
      expect(r.exitDepth[0]![0]).toBe(depth);
      expect(r.haltProb[0]![0]![0]).toBeCloseTo(0.5, 5);
      pol.dispose();
    }
  });

  it('sampling inference is seeded: same seed, same depths', () => {
    const pol = make({ inference: 'sample' });
    const B = 2, T = 16;
    const st = [0, 1, 2].map((i) => tf.randomNormal([B, T, 1], 0, 1, 'float32', i) as tf.Tensor3D);
    const lg = st.map(() => tf.zeros([B, T, 2]) as tf.Tensor3D);
    const a = simulateInference(pol, { shallow: st[0]!, states: st, logits: lg, tMax: 3, seed: 7 });
    const b = simulateInference(pol, { shallow: st[0]!, states: st, logits: lg, tMax: 3, seed: 7 });
    const c = simulateInference(pol, { shallow: st[0]!, states: st, logits: lg, tMax: 3, seed: 8 });
    expect(a.exitDepth).toEqual(b.exitDepth);
    expect(a.exitDepth).not.toEqual(c.exitDepth);
    pol.dispose();
  });
});
