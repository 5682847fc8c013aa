/**
 * The shared core of PonderNet and ANIRA-O: a halting head on the token's CURRENT
 * state gives lambda_t = sigmoid(head(h_t)) at every iteration (lambda_S = 1 in
 * training); p_t = lambda_t prod_{j<t} (1 - lambda_j); combine 'expected-loss';
 * loss = computePenalty(p). Inference exits when the cumulative p reaches q, or
 * samples the exit with probability lambda_t at each step (seeded by seed and t).
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@anira/tensor';
import { haltAt } from '../define-policy.js';
import { haltingDistribution } from '../math/halting-distribution.js';
import { createLinearHead, scoreOf } from '../math/head.js';
import { computePenalty, type PenaltyOptions } from '../math/penalty.js';
import { HALTING_SPEC_VERSION, type HaltingPolicy, type PolicyDims, type PolicyOptionSpec } from '../spec.js';

/** Inference options shared by every policy built on the stepwise core (PonderNet, ANIRA-O). */
export const stepwiseOptionSpecs: readonly PolicyOptionSpec[] = [
    { name: 'q', type: 'number', default: 0.5, min: 0.001, max: 0.999, description: 'Inference exits when the cumulative halting probability reaches q.' },
    { name: 'inference', type: 'string', default: 'threshold', choices: ['threshold', 'sample'], description: 'Deterministic threshold exit, or sample the exit (seeded).' },
    { name: 'biasInit', type: 'number', default: 0, min: -20, max: 20, description: 'Initial bias of the halting head.' },
];

export interface StepwiseConfig {
  readonly name: string;
  readonly penalty: PenaltyOptions;
  readonly q: number;
  readonly inference: 'threshold' | 'sample';
  readonly biasInit: number;
  readonly options: Readonly<Record<string, unknown>>;
}

export function createStepwisePolicy(dims: PolicyDims, config: StepwiseConfig): HaltingPolicy {
  const head = createLinearHead('halting', dims.dModel, 1, dims.seed, config.biasInit);
  let q = config.q;
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name: config.name,
    variables: head.variables,
    options: config.options,
    train({ states, lossMask }) {
      const lambdas = states.map((h) => tf.sigmoid(scoreOf(head, h))); // S x [B, T]
      const p = haltingDistribution(lambdas); // [B, T, S]
      const penalty = computePenalty(p, lossMask, config.penalty);
      return { weights: p, combine: 'expected-loss', loss: penalty, lossTerms: { [config.penalty.kind]: penalty } };
    },
    start({ shallow }) {
      const [B, T] = shallow.shape;
      return { carry: { survive: tf.ones([B, T]), cumulative: tf.zeros([B, T]) } };
    },
    step({ t, tMax, state, active, carry, seed }) {
      const lambda = t >= tMax ? tf.ones(active.shape) : tf.sigmoid(scoreOf(head, state)); // [B, T]
      const survive = carry['survive'] ?? tf.onesLike(lambda);
      const prev = carry['cumulative'] ?? tf.zerosLike(lambda);
      const pt = tf.mul(tf.mul(lambda, survive), active); // probability of exiting exactly at t
      const cumulative = tf.add(prev, pt);
      const nextSurvive = tf.sub(survive, pt);
      let cond: tf.Tensor;
      if (config.inference === 'sample') {
        const u = tf.randomUniform(active.shape, 0, 1, 'float32', deriveSeed(seed, `${config.name}:step:${t}`));
        cond = tf.less(u, lambda);
      } else {
        cond = tf.greaterEqual(cumulative, q);
      }
      return { halt: haltAt(cond, t, tMax), haltProb: lambda as tf.Tensor2D, carry: { survive: nextSurvive, cumulative } };
    },
    calibration: {
      name: 'q',
      get: () => q,
      set: (v) => { q = Math.min(0.999, Math.max(0.001, v)); },
      range: [0.001, 0.999],
      increasesDepth: true,
    },
    dispose: () => head.dispose(),
  };
}
