/**
 * ANIRA-E (early decision): a router reads the SHALLOW state (before iteration 1)
 * and outputs q(d) = softmax(router(h_0)) over depths 1..S. Training: expected
 * loss with weights q (or a straight-through Gumbel-softmax sample of q) plus the
 * same `computePenalty(q)` as ANIRA-O. Inference: `start()` plans each token's
 * depth (argmax, or the smallest d whose cumulative q reaches `quantile`) and
 * `step()` halts when t reaches it, so depths depend on the shallow state only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@anira/tensor';
import { definePolicy, haltAt } from '../define-policy.js';
import { gumbelSoftmaxST } from '../math/gumbel.js';
import { expectedDepthOf } from '../math/halting-distribution.js';
import { createLinearHead, createMlpHead } from '../math/head.js';
import { computePenalty } from '../math/penalty.js';
import { HALTING_SPEC_VERSION, type PolicyDims } from '../spec.js';
import { penaltyOf, penaltyOptionSpecs, type PenaltyOptionValues } from './penalty-options.js';

export interface AniraEOptions extends PenaltyOptionValues, Record<string, unknown> {
  router: 'linear' | 'mlp';
  hidden: number;
  gumbel: boolean;
  temperature: number;
  decision: 'argmax' | 'quantile';
  quantile: number;
}

/** Planned depth [B, T] int32 from q [B, T, S]: argmax + 1, or the quantile rule. */
export function plannedDepthOf(q: tf.Tensor3D, decision: 'argmax' | 'quantile', quantile: number, tMax: number): tf.Tensor2D {
  const S = q.shape[2];
  const d = decision === 'argmax'
    ? tf.add(tf.argMax(q, 2), 1)
    // number of depths whose cumulative mass is still below the quantile, plus one
    : tf.add(tf.sum(tf.cast(tf.less(tf.cumsum(q, 2), quantile - 1e-7), 'int32'), 2), 1);
  return tf.clipByValue(d, 1, Math.min(S, tMax)) as tf.Tensor2D;
}

export const aniraEPolicy = definePolicy<AniraEOptions>(
  'anira-e',
  'ANIRA-E: depth decided once per token from its shallow representation by a router over depths 1..S.',
  [
    ...penaltyOptionSpecs,
    { name: 'router', type: 'string', default: 'mlp', choices: ['linear', 'mlp'], description: 'Router architecture.' },
    { name: 'hidden', type: 'integer', default: 32, min: 1, max: 4096, description: 'Hidden width of the MLP router.' },
    { name: 'gumbel', type: 'boolean', default: false, description: 'Train with a straight-through Gumbel-softmax sample of q (seeded).' },
    { name: 'temperature', type: 'number', default: 1, min: 1e-3, max: 100, description: 'Gumbel-softmax temperature.' },
    { name: 'decision', type: 'string', default: 'argmax', choices: ['argmax', 'quantile'], description: 'Inference depth: argmax of q, or the smallest d with cumulative q >= quantile.' },
    { name: 'quantile', type: 'number', default: 0.5, min: 0.001, max: 0.999, description: 'Quantile for decision = quantile (the calibration knob).' },
  ],
  (dims, o) => {
    const S = dims.tMax;
    const router = o.router === 'mlp'
      ? createMlpHead('router', dims.dModel, o.hidden, S, dims.seed)
      : createLinearHead('router', dims.dModel, S, dims.seed);
    const penalty = penaltyOf(o);
    const opts = { ...o }; // the quantile knob writes here, so `options` stays live
    const distribution = (shallow: tf.Tensor3D) => tf.softmax(router.apply(shallow)) as tf.Tensor3D; // [B, T, S]
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'anira-e',
      variables: router.variables,
      get options() { return { ...opts }; },
      train({ shallow, states, lossMask, seed }) {
        if (states.length !== S) throw new Error(`anira-e: training needs ${S} states (dims.tMax), got ${states.length}`);
        const logits = router.apply(shallow); // [B, T, S]
        const q = tf.softmax(logits) as tf.Tensor3D;
        const weights = o.gumbel ? (gumbelSoftmaxST(logits, o.temperature, deriveSeed(seed, 'anira-e:gumbel')) as tf.Tensor3D) : q;
        const loss = computePenalty(q, lossMask, penalty);
        return { weights, combine: 'expected-loss', loss, lossTerms: { [penalty.kind]: loss } };
      },
      start({ shallow, tMax }) {
        const q = distribution(shallow);
        const plannedDepth = plannedDepthOf(q, o.decision, opts.quantile, tMax);
        return { plannedDepth, expectedDepth: expectedDepthOf(q), carry: { plannedDepth, q } };
      },
      step({ t, tMax, active, carry }) {
        const planned = carry['plannedDepth'];
        const q = carry['q'];
        if (!planned || !q) throw new Error('anira-e: step() needs the carry returned by start()');
        const halt = haltAt(tf.lessEqual(planned, t), t, tMax);
        // Hazard q(t) / sum_{d>=t} q(d), for traces; 1 beyond the router's support.
        let haltProb: tf.Tensor2D;
        if (t > S) haltProb = tf.ones(active.shape);
        else {
          const tail = tf.sum(tf.slice(q, [0, 0, t - 1], [-1, -1, S - t + 1]), 2);
          const qt = tf.squeeze(tf.slice(q, [0, 0, t - 1], [-1, -1, 1]), [2]);
          haltProb = tf.div(qt, tf.maximum(tail, 1e-12)) as tf.Tensor2D;
        }
        return { halt, haltProb, carry };
      },
      ...(o.decision === 'quantile'
        ? {
            calibration: {
              name: 'quantile',
              get: () => opts.quantile,
              set: (v: number) => { opts.quantile = Math.min(0.999, Math.max(0.001, v)); },
              range: [0.001, 0.999] as const,
              increasesDepth: true,
            },
          }
        : {}),
      dispose: () => router.dispose(),
    };
  },
);

export const aniraE = (dims: PolicyDims, options?: Partial<AniraEOptions>) => aniraEPolicy.create(dims, options);
