/**
 * ANIRA-E-hazard: ANIRA-E's timing with ANIRA-O's parameterisation. The hazards of
 * every step are predicted at once from the SHALLOW state h_0. Router 'shared' (the
 * default) is ANIRA-O's own head, one scalar head C -> 1 (`halting.w`, `halting.b`),
 * applied to h_0, plus a per-step bias: lambda_t = sigmoid(w·h_0 + b + beta_t)
 * (`hazard.stepBias` [S], zero at init, so at init every step has O's hazard of h_0).
 * It has C + 1 + S parameters against O's C + 1, and is not capped at the training
 * T_max: past step S - 1 it reuses the last trained bias, as O reuses its head.
 * Routers 'linear' (C -> S) and 'mlp' predict each step's hazard with its own weights
 * (C·S + S parameters for linear) and stay within the support 1..S.
 * lambda at the last step is 1. Everything else is ANIRA-O's: the stick-breaking
 * distribution p_t = lambda_t prod_{j<t}(1 - lambda_j) (`haltingDistribution`), the
 * same `computePenalty` and penalty options, the same exit options (`q`, `inference`,
 * `biasInit`), exit rule (`exitStep`) and knob. So, fed the same hazards, the two make
 * the same exits; with the shared router they differ only in the state the head reads
 * and the S step biases. `start()` returns `expectedDepth` (and `plannedDepth` for
 * threshold inference).
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy } from '../define-policy.js';
import { expectedDepthOf, haltingDistribution } from '../math/halting-distribution.js';
import { stackLast, variable } from '@anira/tensor';
import { createLinearHead, createMlpHead, scoreOf } from '../math/head.js';
import { computePenalty } from '../math/penalty.js';
import { HALTING_SPEC_VERSION, type PolicyDims } from '../spec.js';
import { exitStep, thresholdKnob } from './exit-rule.js';
import { penaltyOf, penaltyOptionSpecs, type PenaltyOptionValues } from './penalty-options.js';
import { stepwiseOptionSpecs, type StepwiseOptionValues } from './stepwise-options.js';

export interface AniraEHazardOptions extends PenaltyOptionValues, StepwiseOptionValues, Record<string, unknown> {
  router: 'shared' | 'linear' | 'mlp';
  hidden: number;
}

let counter = 0;

/** lambda_L := 1 on a list of L hazards [B, T]. */
const lastIsOne = (cols: tf.Tensor2D[]): tf.Tensor2D[] => cols.map((c, i) => (i === cols.length - 1 ? tf.onesLike(c) : c));

export const aniraEHazardPolicy = definePolicy<AniraEHazardOptions>(
  'anira-e-hazard',
  'ANIRA-E-hazard: ANIRA-E timing (all hazards predicted once from the shallow state) with ANIRA-O\'s stick-breaking distribution, penalty and exit rule.',
  [
    ...penaltyOptionSpecs,
    ...stepwiseOptionSpecs,
    { name: 'router', type: 'string', default: 'shared', choices: ['shared', 'linear', 'mlp'], description: 'Hazard head on the shallow state: ANIRA-O\'s scalar head C -> 1 plus a bias per step (shared), linear C -> S, or a one-hidden-layer MLP C -> S.' },
    { name: 'hidden', type: 'integer', default: 32, min: 1, max: 4096, description: 'Hidden width of the MLP hazard head.' },
  ],
  (dims, o) => {
    const S = dims.tMax;
    const opts = { ...o };
    const shared = opts.router === 'shared';
    const head = shared
      ? createLinearHead('halting', dims.dModel, 1, dims.seed, opts.biasInit)
      : opts.router === 'mlp'
        ? createMlpHead('hazard', dims.dModel, opts.hidden, S, dims.seed, opts.biasInit)
        : createLinearHead('hazard', dims.dModel, S, dims.seed, opts.biasInit);
    const stepBias = shared ? variable(tf.zeros([S]), `hazard.stepBias_${++counter}`) : undefined;
    const variables: Record<string, tf.Variable> = { ...head.variables, ...(stepBias ? { 'hazard.stepBias': stepBias } : {}) };
    const penalty = penaltyOf(opts);
    /** The number of steps `tMax` allows: any with the shared head, at most S with a per-step head. */
    const stepsAt = (tMax: number) => (shared ? tMax : Math.min(S, tMax));
    /** lambda_1..lambda_L, [B, T] each, lambda_L = 1. */
    const hazardList = (shallow: tf.Tensor3D, L: number): tf.Tensor2D[] => {
      if (!stepBias) return lastIsOne((tf.unstack(tf.sigmoid(head.apply(shallow)), 2) as tf.Tensor2D[]).slice(0, L)); // S x [B, T]
      const score = scoreOf(head, shallow); // [B, T]
      const biases = tf.unstack(stepBias) as tf.Scalar[]; // S x []
      // step t >= S - 1 (never trained: lambda_S = 1 in training) reuses the last trained bias
      return lastIsOne(Array.from({ length: L }, (_, t) => {
        const bias = biases[Math.max(0, Math.min(t, S - 2))];
        if (bias === undefined) throw new Error(`invariant: anira-e-hazard has ${biases.length} step biases, none for step ${t + 1}`);
        return tf.sigmoid(tf.add(score, bias)) as tf.Tensor2D;
      }));
    };
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'anira-e-hazard',
      variables,
      get options() { return { ...opts }; },
      train({ shallow, states, lossMask }) {
        if (states.length !== S) throw new Error(`anira-e-hazard: training needs ${S} states (dims.tMax), got ${states.length}`);
        const p = haltingDistribution(hazardList(shallow, S)); // [B, T, S]
        const loss = computePenalty(p, lossMask, penalty);
        return { weights: p, combine: 'expected-loss', loss, lossTerms: { [penalty.kind]: loss } };
      },
      start({ shallow, tMax, seed }) {
        const [B, T] = shallow.shape;
        const L = stepsAt(tMax);
        const steps = hazardList(shallow, L);
        const expectedDepth = expectedDepthOf(haltingDistribution(steps));
        const carry = { hazards: stackLast<tf.Rank.R3>(steps), survive: tf.ones([B, T]), cumulative: tf.zeros([B, T]) }; // hazards [B, T, L]
        if (opts.inference !== 'threshold') return { expectedDepth, carry };
        // The plan is the exit the step rule will make: run it on every token up front.
        const ones = tf.ones([B, T]) as tf.Tensor2D;
        let rule: Record<string, tf.Tensor> = {};
        let running: tf.Tensor = ones;
        let depth: tf.Tensor = tf.zeros([B, T]);
        for (const [i, lambda] of steps.entries()) {
          const t = i + 1;
          const out = exitStep({ lambda, t, tMax: L, active: ones, carry: rule, seed, inference: 'threshold', q: opts.q });
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
        const last = stepsAt(tMax);
        const lambda = (t >= last ? tf.ones(active.shape) : tf.squeeze(tf.slice(lambdas, [0, 0, t - 1], [-1, -1, 1]), [2])) as tf.Tensor2D;
        const out = exitStep({ lambda, t, tMax: last, active, carry, seed, inference: opts.inference, q: opts.q });
        return { halt: out.halt, haltProb: lambda, carry: { ...out.carry, hazards: lambdas } };
      },
      ...(opts.inference === 'threshold' ? { calibration: thresholdKnob(opts) } : {}),
      dispose: () => {
        head.dispose();
        stepBias?.dispose();
      },
    };
  },
);

export const aniraEHazard = (dims: PolicyDims, options?: Partial<AniraEHazardOptions>) => aniraEHazardPolicy.create(dims, options);
