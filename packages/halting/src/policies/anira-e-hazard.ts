/**
 * ANIRA-E-hazard: ANIRA-E's timing with ANIRA-O's parameterisation. A head reads
 * the SHALLOW state h_0 once and predicts every hazard at once,
 * lambda [B, T, S] = sigmoid(head(h_0)) (linear C -> S by default, or an MLP),
 * with lambda_S = 1 (the head's last output is never used). Everything else is
 * ANIRA-O's: the stick-breaking distribution p_t = lambda_t prod_{j<t}(1 - lambda_j)
 * (`haltingDistribution`), the same `computePenalty` and penalty options, the same
 * exit options (`q`, `inference`, `biasInit`), exit rule (`exitStep`) and knob. So,
 * fed the same hazards, the two make the same exits; they differ only in which
 * state the decision reads. Depths stay within the head's support 1..S, and
 * `start()` returns `expectedDepth` (and `plannedDepth` for threshold inference).
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy } from '../define-policy.js';
import { expectedDepthOf, haltingDistribution } from '../math/halting-distribution.js';
import { createLinearHead, createMlpHead } from '../math/head.js';
import { computePenalty } from '../math/penalty.js';
import { HALTING_SPEC_VERSION, type PolicyDims } from '../spec.js';
import { exitStep, thresholdKnob } from './exit-rule.js';
import { penaltyOf, penaltyOptionSpecs, type PenaltyOptionValues } from './penalty-options.js';
import { stepwiseOptionSpecs, type StepwiseOptionValues } from './stepwise-options.js';

export interface AniraEHazardOptions extends PenaltyOptionValues, StepwiseOptionValues, Record<string, unknown> {
  router: 'linear' | 'mlp';
  hidden: number;
}

/** The hazards lambda_1..lambda_L, [B, T] each, from lambda [B, T, S]; lambda_L = 1. */
function hazardSteps(lambda: tf.Tensor3D, L: number): tf.Tensor2D[] {
  const cols = tf.unstack(lambda, 2) as tf.Tensor2D[]; // S x [B, T]
  return cols.slice(0, L).map((c, i) => (i === L - 1 ? tf.onesLike(c) : c));
}

export const aniraEHazardPolicy = definePolicy<AniraEHazardOptions>(
  'anira-e-hazard',
  'ANIRA-E-hazard: ANIRA-E timing (all hazards predicted once from the shallow state) with ANIRA-O\'s stick-breaking distribution, penalty and exit rule.',
  [
    ...penaltyOptionSpecs,
    ...stepwiseOptionSpecs,
    { name: 'router', type: 'string', default: 'linear', choices: ['linear', 'mlp'], description: 'Hazard head on the shallow state: linear C -> S, or a one-hidden-layer MLP.' },
    { name: 'hidden', type: 'integer', default: 32, min: 1, max: 4096, description: 'Hidden width of the MLP hazard head.' },
  ],
  (dims, o) => {
    const S = dims.tMax;
    const opts = { ...o };
    const head = opts.router === 'mlp'
      ? createMlpHead('hazard', dims.dModel, opts.hidden, S, dims.seed, opts.biasInit)
      : createLinearHead('hazard', dims.dModel, S, dims.seed, opts.biasInit);
    const penalty = penaltyOf(opts);
    const hazards = (shallow: tf.Tensor3D) => tf.sigmoid(head.apply(shallow)) as tf.Tensor3D; // [B, T, S]
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'anira-e-hazard',
      variables: head.variables,
      get options() { return { ...opts }; },
      train({ shallow, states, lossMask }) {
        if (states.length !== S) throw new Error(`anira-e-hazard: training needs ${S} states (dims.tMax), got ${states.length}`);
        const p = haltingDistribution(hazardSteps(hazards(shallow), S)); // [B, T, S]
        const loss = computePenalty(p, lossMask, penalty);
        return { weights: p, combine: 'expected-loss', loss, lossTerms: { [penalty.kind]: loss } };
      },
      start({ shallow, tMax, seed }) {
        const [B, T] = shallow.shape;
        const L = Math.min(S, tMax);
        const lambda = hazards(shallow);
        const expectedDepth = expectedDepthOf(haltingDistribution(hazardSteps(lambda, L)));
        const carry = { hazards: lambda, survive: tf.ones([B, T]), cumulative: tf.zeros([B, T]) };
        if (opts.inference !== 'threshold') return { expectedDepth, carry };
        // The plan is the exit the step rule will make: run it on every token up front.
        const steps = hazardSteps(lambda, L);
        const ones = tf.ones([B, T]) as tf.Tensor2D;
        let rule: Record<string, tf.Tensor> = {};
        let running: tf.Tensor = ones;
        let depth: tf.Tensor = tf.zeros([B, T]);
        for (let t = 1; t <= L; t++) {
          const out = exitStep({ lambda: steps[t - 1]!, t, tMax: L, active: ones, carry: rule, seed, inference: 'threshold', q: opts.q });
          depth = tf.add(depth, running); // counts the steps a token runs, its exit included
          running = tf.mul(running, tf.sub(1, out.halt));
          rule = { ...out.carry };
        }
        const plannedDepth = tf.cast(depth, 'int32') as tf.Tensor2D;
        return { plannedDepth, expectedDepth, carry };
      },
      step({ t, tMax, active, carry, seed }) {
        const lambdas = carry['hazards'];
        if (!lambdas) throw new Error('anira-e-hazard: step() needs the carry returned by start()');
        const last = Math.min(S, tMax);
        const lambda = (t >= last ? tf.ones(active.shape) : tf.squeeze(tf.slice(lambdas, [0, 0, t - 1], [-1, -1, 1]), [2])) as tf.Tensor2D;
        const out = exitStep({ lambda, t, tMax: last, active, carry, seed, inference: opts.inference, q: opts.q });
        return { halt: out.halt, haltProb: lambda, carry: { ...out.carry, hazards: lambdas } };
      },
      ...(opts.inference === 'threshold' ? { calibration: thresholdKnob(opts) } : {}),
      dispose: () => head.dispose(),
    };
  },
);

export const aniraEHazard = (dims: PolicyDims, options?: Partial<AniraEHazardOptions>) => aniraEHazardPolicy.create(dims, options);
