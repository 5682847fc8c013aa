/**
 * ANIRA-E-hazard: a hand-computed case, exits equal to the stepwise core's (ANIRA-O)
 * when both are fed the same hazards (threshold and sample), gradients into the
 * head, live options, and depths that depend on the shallow state only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateInference } from '../testing/simulate.js';
import { arr3, useCpu } from '../test-setup.js';
import { aniraEHazard, type AniraEHazardOptions } from './anira-e-hazard.js';
import { aniraO } from './anira-o.js';

beforeAll(useCpu);

const logit = (p: number) => Math.log(p / (1 - p));

describe('anira-e-hazard hand case: lambda = [0.3, 0.5, 1]', () => {
  // dModel 1, w = 0, b = logit(lambda): the same hazards for every token; lambda_3 is forced to 1.
  const make = (opts: Partial<AniraEHazardOptions> = {}) => {
    const pol = aniraEHazard({ dModel: 1, vocabSize: 2, tMax: 3, seed: 4 }, { router: 'linear', ...opts });
    pol.variables['hazard.w']!.assign(tf.zeros([1, 3]));
    pol.variables['hazard.b']!.assign(tf.tensor1d([logit(0.3), logit(0.5), logit(0.9)]));
    return pol;
  };
  const shallow = tf.tensor3d([[[0.7], [-2]]]);
  const states = [1, 2, 3].map((v) => tf.fill([1, 2, 1], v) as tf.Tensor3D);
  const logits = states.map(() => tf.zeros([1, 2, 2]) as tf.Tensor3D);
  const mask = tf.ones([1, 2]) as tf.Tensor2D;

  it('p = [0.3, 0.35, 0.35], expected depth 2.05, threshold q = 0.5 exits at 2', () => {
    const pol = make();
    const out = pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 0 });
    arr3(out.weights)[0]!.forEach((row) => row.forEach((v, i) => expect(v).toBeCloseTo([0.3, 0.35, 0.35][i]!, 6)));
    expect(out.combine).toBe('expected-loss');
    const r = simulateInference(pol, { shallow, states, logits, tMax: 3 });
    r.expectedDepth![0]!.forEach((d) => expect(d).toBeCloseTo(2.05, 5));
    expect(r.plannedDepth).toEqual([[2, 2]]);
    expect(r.exitDepth).toEqual([[2, 2]]);
    [0.3, 0.5].forEach((v, i) => expect(r.haltProb[0]![0]![i]).toBeCloseTo(v, 5));
    pol.dispose();
  });

  it('the q rule on cumulative p = 0.3, 0.65, 1', () => {
    for (const [q, d] of [[0.3, 1], [0.31, 2], [0.65, 2], [0.66, 3], [0.999, 3]] as const) {
      const pol = make({ q });
      const r = simulateInference(pol, { shallow, states, logits, tMax: 3 });
      expect(r.exitDepth, `q ${q}`).toEqual([[d, d]]);
      expect(r.plannedDepth, `q ${q}`).toEqual([[d, d]]);
      pol.dispose();
    }
  });

  it('the penalty is computePenalty of p (expected-depth: depthCost * 2.05)', () => {
    const pol = make({ penalty: 'expected-depth', depthCost: 0.1 });
    const out = pol.train({ shallow, states, logits, mask, lossMask: mask, seed: 0 });
    expect(out.loss.dataSync()[0]).toBeCloseTo(0.205, 5);
    pol.dispose();
  });

  it('a longer inference tMax keeps exits within the head support 1..S', () => {
    const pol = make({ q: 0.999 });
    const more = [...states, states[2]!, states[2]!];
    const r = simulateInference(pol, { shallow, states: more, logits: [...logits, logits[0]!, logits[0]!], tMax: 5 });
    expect(r.exitDepth).toEqual([[3, 3]]);
    pol.dispose();
  });
});

describe('anira-e-hazard and anira-o make the same exits when fed the same hazards', () => {
  const S = 5, B = 2, T = 40;
  // Per-token hazards lambda [B, T, S] in (0.05, 0.95).
  const lam = tf.randomUniform([B, T, S], 0.05, 0.95, 'float32', 17) as tf.Tensor3D;
  const z = tf.log(tf.div(lam, tf.sub(1, lam))) as tf.Tensor3D; // logit(lambda)
  // E-hazard: dModel S, shallow = logit(lambda), W = identity, b = 0.
  const makeE = (o: Partial<AniraEHazardOptions>) => {
    const pol = aniraEHazard({ dModel: S, vocabSize: 2, tMax: S, seed: 1 }, { router: 'linear', ...o });
    pol.variables['hazard.w']!.assign(tf.eye(S));
    pol.variables['hazard.b']!.assign(tf.zeros([S]));
    return pol;
  };
  // O: dModel 1, state h_t = logit(lambda_t), w = 1, b = 0.
  const makeO = (o: Partial<AniraEHazardOptions>) => {
    const pol = aniraO({ dModel: 1, vocabSize: 2, tMax: S, seed: 1 }, o);
    pol.variables['halting.w']!.assign(tf.ones([1, 1]));
    pol.variables['halting.b']!.assign(tf.zeros([1]));
    return pol;
  };
  const oStates = tf.split(z, S, 2) as tf.Tensor3D[]; // S x [B, T, 1]
  const eStates = oStates.map(() => z);
  const logits = oStates.map(() => tf.zeros([B, T, 2]) as tf.Tensor3D);

  it.each<[string, Partial<AniraEHazardOptions>, number]>([
    ['threshold q 0.5', { q: 0.5 }, 0],
    ['threshold q 0.2', { q: 0.2 }, 0],
    ['threshold q 0.9', { q: 0.9 }, 0],
    ['sample, seed 3', { inference: 'sample' }, 3],
    ['sample, seed 4', { inference: 'sample' }, 4],
  ])('%s', (_n, o, seed) => {
    const e = makeE(o), oo = makeO(o);
    const re = simulateInference(e, { shallow: z, states: eStates, logits, tMax: S, seed });
    const ro = simulateInference(oo, { shallow: oStates[0]!, states: oStates, logits, tMax: S, seed });
    expect(re.exitDepth).toEqual(ro.exitDepth);
    expect(new Set(re.exitDepth.flat()).size).toBeGreaterThan(1); // depths vary, so equality means something
    if (o.inference !== 'sample') expect(re.plannedDepth).toEqual(re.exitDepth);
    // the training distributions agree too
    const mask = tf.ones([B, T]) as tf.Tensor2D;
    const we = e.train({ shallow: z, states: eStates, logits, mask, lossMask: mask, seed: 0 }).weights.dataSync();
    const wo = oo.train({ shallow: z, states: oStates, logits, mask, lossMask: mask, seed: 0 }).weights.dataSync();
    Array.from(we).forEach((v, i) => expect(v).toBeCloseTo(wo[i]!, 5));
    e.dispose(); oo.dispose();
  });
});

describe('anira-e-hazard, router shared (the default): ANIRA-O\'s head on the shallow state plus a bias per step', () => {
  const S = 4, B = 2, T = 30, C = 3;
  const dims = { dModel: C, vocabSize: 2, tMax: S, seed: 5 };
  const shallow = tf.randomNormal([B, T, C], 0, 1.5, 'float32', 8) as tf.Tensor3D;
  const logits = Array.from({ length: 8 }, () => tf.zeros([B, T, 2]) as tf.Tensor3D);
  const copyHead = (from: ReturnType<typeof aniraO>, to: ReturnType<typeof aniraEHazard>) => {
    to.variables['halting.w']!.assign(from.variables['halting.w']!);
    to.variables['halting.b']!.assign(from.variables['halting.b']!);
  };

  it('has O\'s C + 1 head parameters plus S step biases (not C·S + S)', () => {
    const e = aniraEHazard(dims);
    const sizes = Object.fromEntries(Object.entries(e.variables).map(([k, v]) => [k, v.size]));
    expect(sizes).toEqual({ 'halting.w': C, 'halting.b': 1, 'hazard.stepBias': S });
    e.dispose();
  });

  it.each([['threshold', 0], ['sample', 6]] as const)('%s: with zero step biases it exits exactly as ANIRA-O would on a state frozen at h_0, at the training T_max and beyond it', (inference, seed) => {
    const o = aniraO(dims, { inference, biasInit: -1 });
    const e = aniraEHazard(dims, { inference, biasInit: -1 });
    copyHead(o, e);
    for (const tMax of [S, 2 * S]) {
      const frozen = Array.from({ length: tMax }, () => shallow);
      const re = simulateInference(e, { shallow, states: frozen, logits, tMax, seed });
      const ro = simulateInference(o, { shallow, states: frozen, logits, tMax, seed });
      expect(re.exitDepth, `tMax ${tMax}`).toEqual(ro.exitDepth);
      expect(new Set(re.exitDepth.flat()).size).toBeGreaterThan(1);
    }
    // a step bias moves the hazard of that step only: lambda_2 = sigmoid(w·h0 + b + beta_2)
    e.variables['hazard.stepBias']!.assign(tf.tensor1d([0, 3, 0, 0]));
    const r = simulateInference(e, { shallow, states: Array.from({ length: S }, () => shallow), logits, tMax: S, seed: 0 });
    const base = simulateInference(o, { shallow, states: Array.from({ length: S }, () => shallow), logits, tMax: S, seed: 0 });
    const hp = (x: typeof r, k: number) => x.haltProb[0]![0]![k]!;
    expect(hp(r, 0)).toBeCloseTo(hp(base, 0), 6);
    const logitOf = (p: number) => Math.log(p / (1 - p));
    expect(logitOf(hp(r, 1)) - logitOf(hp(base, 1))).toBeCloseTo(3, 4);
    o.dispose(); e.dispose();
  });
});

describe('anira-e-hazard', () => {
  const dims = { dModel: 4, vocabSize: 3, tMax: 4, seed: 9 };
  const B = 2, T = 12;
  const shallow = tf.randomNormal([B, T, 4], 0, 1.5, 'float32', 1) as tf.Tensor3D;
  const draw = (s: number) => Array.from({ length: 4 }, (_, t) => tf.randomNormal([B, T, 4], 0, 2, 'float32', s * 10 + t) as tf.Tensor3D);
  const logits = Array.from({ length: 4 }, () => tf.zeros([B, T, 3]) as tf.Tensor3D);

  it.each(['shared', 'linear', 'mlp'] as const)('gradients of task and penalty losses reach the %s head', (router) => {
    const pol = aniraEHazard(dims, { router });
    const mask = tf.ones([B, T]) as tf.Tensor2D;
    const perStep = tf.randomUniform([B, T, 4], 0, 2, 'float32', 3);
    const { grads } = tf.variableGrads(() => {
      const out = pol.train({ shallow, states: draw(1), logits, mask, lossMask: mask, seed: 0 });
      return tf.add(out.loss, tf.mean(tf.sum(tf.mul(out.weights, perStep), 2))) as tf.Scalar;
    }, Object.values(pol.variables));
    expect(Object.keys(pol.variables).length).toBe(router === 'mlp' ? 4 : router === 'shared' ? 3 : 2);
    for (const [k, v] of Object.entries(pol.variables)) {
      const g = Array.from(grads[v.name]!.dataSync());
      expect(g.every(Number.isFinite), k).toBe(true);
      expect(g.some((x) => Math.abs(x) > 0), k).toBe(true);
    }
    tf.dispose(Object.values(grads));
    pol.dispose();
  });

  it.each(['threshold', 'sample'] as const)('%s depths depend on the shallow state only', (inference) => {
    const pol = aniraEHazard(dims, { inference, biasInit: -0.5 });
    const a = simulateInference(pol, { shallow, states: draw(1), logits, tMax: 4, seed: 2 });
    const b = simulateInference(pol, { shallow, states: draw(2), logits, tMax: 4, seed: 2 });
    expect(b.exitDepth).toEqual(a.exitDepth);
    const c = simulateInference(pol, { shallow: tf.mul(shallow, -2) as tf.Tensor3D, states: draw(1), logits, tMax: 4, seed: 2 });
    expect(c.exitDepth).not.toEqual(a.exitDepth);
    pol.dispose();
  });

  it('options report the calibration knob live; no knob with sampled exits', () => {
    const pol = aniraEHazard(dims, { q: 0.4 });
    pol.calibration!.set(0.7);
    expect(pol.options['q']).toBe(0.7);
    expect(pol.calibration!.get()).toBe(0.7);
    pol.dispose();
    const sampled = aniraEHazard(dims, { inference: 'sample' });
    expect(sampled.calibration).toBeUndefined();
    sampled.dispose();
  });
});
