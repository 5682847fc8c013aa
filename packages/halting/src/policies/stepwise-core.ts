/**
 * The shared core of PonderNet and ANIRA-O: a halting head on the token's CURRENT
 * state gives lambda_t = sigmoid(head(h_t)) at every iteration (lambda_S = 1 in
 * training); p_t = lambda_t prod_{j<t} (1 - lambda_j); combine 'expected-loss';
 * loss = computePenalty(p). Inference applies the shared exit rule (`exit-rule.ts`):
 * threshold q on the cumulative p, or a seeded sample from lambda_t. `options`
 * is live: it reports the current `q` after the calibration knob moves.
 */
import * as tf from '@tensorflow/tfjs-core';
import { haltingDistribution } from '../math/halting-distribution.js';
import { createLinearHead, scoreOf } from '../math/head.js';
import { computePenalty, type PenaltyOptions } from '../math/penalty.js';
import { HALTING_SPEC_VERSION, type HaltingPolicy, type PolicyDims } from '../spec.js';
import { exitStep, thresholdKnob } from './exit-rule.js';
import type { StepwiseOptionValues } from './stepwise-options.js';

export { stepwiseOptionSpecs } from './stepwise-options.js';

export interface StepwiseConfig {
  readonly name: string;
  readonly penalty: PenaltyOptions;
  /** Every option of the policy (copied; `q` is the calibration knob). */
  readonly options: StepwiseOptionValues & Record<string, unknown>;
}

export function createStepwisePolicy(dims: PolicyDims, config: StepwiseConfig): HaltingPolicy {
  const opts = { ...config.options };
  const head = createLinearHead('halting', dims.dModel, 1, dims.seed, opts.biasInit);
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name: config.name,
    variables: head.variables,
    get options() { return { ...opts }; },
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
      const lambda = (t >= tMax ? tf.ones(active.shape) : tf.sigmoid(scoreOf(head, state))) as tf.Tensor2D; // [B, T]
      const out = exitStep({ lambda, t, tMax, active, carry, seed, inference: opts.inference, q: opts.q });
      return { halt: out.halt, haltProb: lambda, carry: out.carry };
    },
    ...(opts.inference === 'threshold' ? { calibration: thresholdKnob(opts) } : {}),
    dispose: () => head.dispose(),
  };
}
