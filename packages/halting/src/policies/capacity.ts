/**
 * Capacity router (Mixture-of-Depths / Mixture-of-Recursions style). A router
 * scores each token at each iteration, s_t = router(h_t); after iteration t the
 * top k_t of the tokens still running continue (nested expert choice, capacity
 * fraction c^t or c). Training (see docs/halting.md for the honest account):
 *   weights  = PonderNet distribution of lambda_t = 1 - sigmoid(s_t) (the router
 *              gets the task-loss gradient through it);
 *   loss     = routerLossWeight * BCE(sigmoid(s_t), top-k membership)
 *            + predictorLossWeight * BCE(predictor(stopgrad h_t), top-k membership),
 * both over the tokens eligible at t, against the stop-gradient selection.
 * Inference: 'predictor' (causal, default) continues a token while the auxiliary
 * predictor says so; 'top-k' (non-causal, peeks at the whole sequence) runs the
 * nested top-k selection itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy, haltAt } from '../define-policy.js';
import { haltingDistribution } from '../math/halting-distribution.js';
import { createLinearHead, scoreOf } from '../math/head.js';
import { maskedMean, stackLast } from '@anira/tensor';
import { capacityCount, capacityFraction, nestedSelection, topKRow } from '../math/nested-top-k.js';
import { detach } from '../math/non-diff.js';
import { HALTING_SPEC_VERSION, type PolicyDims } from '../spec.js';
import { trainShape } from './train-shape.js';

export interface CapacityOptions extends Record<string, unknown> {
  capacity: number;
  schedule: 'geometric' | 'fixed';
  inference: 'predictor' | 'top-k';
  threshold: number;
  routerLossWeight: number;
  predictorLossWeight: number;
}

/** Binary cross-entropy with logits, per element: softplus(s) - y s. */
const bceWithLogits = (s: tf.Tensor, y: tf.Tensor) => tf.sub(tf.softplus(s), tf.mul(y, s));

export const capacityPolicy = definePolicy<CapacityOptions>(
  'capacity',
  'Capacity router (Mixture-of-Depths/Recursions): nested top-k per iteration, auxiliary BCE predictor for causal inference.',
  [
    { name: 'capacity', type: 'number', default: 0.5, min: 0.001, max: 1, description: 'Capacity fraction c of tokens that continue.' },
    { name: 'schedule', type: 'string', default: 'geometric', choices: ['geometric', 'fixed'], description: 'Fraction continuing after iteration t: c^t (geometric) or c (fixed).' },
    { name: 'inference', type: 'string', default: 'predictor', choices: ['predictor', 'top-k'], description: 'Causal auxiliary predictor, or non-causal nested top-k.' },
    { name: 'threshold', type: 'number', default: 0.5, min: 0.001, max: 0.999, description: 'predictor: continue while the predicted membership probability >= threshold.' },
    { name: 'routerLossWeight', type: 'number', default: 0.1, min: 0, max: 100, description: 'Scale of the router BCE against the top-k selection.' },
    { name: 'predictorLossWeight', type: 'number', default: 1, min: 0, max: 100, description: 'Scale of the auxiliary predictor BCE.' },
  ],
  (dims, o) => {
    const router = createLinearHead('router', dims.dModel, 1, dims.seed);
    const predictor = createLinearHead('predictor', dims.dModel, 1, dims.seed + 1);
    const opts = { ...o };
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'capacity',
      variables: { ...router.variables, ...predictor.variables },
      get options() { return { ...opts }; },
      train({ states, mask }) {
        const S = states.length;
        const [B, T] = trainShape('capacity', states);
        const scores = states.map((h) => scoreOf(router, h)); // S x [B, T]
        const weights = haltingDistribution(scores.map((s) => tf.sigmoid(tf.neg(s)))); // lambda = 1 - sigmoid(s)
        if (S === 1) return { weights, combine: 'expected-loss', loss: tf.scalar(0) };
        const stacked = stackLast<tf.Rank.R3>(scores); // [B, T, S]
        const sel = nestedSelection(stacked.dataSync(), mask.dataSync(), B, T, S, opts.schedule, opts.capacity);
        const cols = S - 1; // routing decisions after iterations 1..S-1
        const y = tf.slice(tf.tensor3d(sel.selected, [B, T, S]), [0, 0, 0], [B, T, cols]);
        const elig = tf.slice(tf.tensor3d(sel.eligible, [B, T, S]), [0, 0, 0], [B, T, cols]);
        const s = tf.slice(stacked, [0, 0, 0], [B, T, cols]);
        const r = stackLast<tf.Rank.R3>(states.slice(0, cols).map((h) => scoreOf(predictor, detach(h)))); // [B, T, S-1]
        const routerLoss = maskedMean(bceWithLogits(s, y), elig);
        const predictorLoss = maskedMean(bceWithLogits(r, y), elig);
        const loss = tf.add(tf.mul(opts.routerLossWeight, routerLoss), tf.mul(opts.predictorLossWeight, predictorLoss)) as tf.Scalar;
        return { weights, combine: 'expected-loss', loss, lossTerms: { router: routerLoss, predictor: predictorLoss } };
      },
      step({ t, tMax, state, active, mask }) {
        if (opts.inference === 'predictor') {
          const member = tf.sigmoid(scoreOf(predictor, state)); // [B, T]
          return { halt: haltAt(tf.less(member, opts.threshold), t, tMax), haltProb: tf.sub(1, member) as tf.Tensor2D };
        }
        const score = scoreOf(router, state);
        const [B, T] = score.shape;
        const sv = score.dataSync(), av = active.dataSync(), mv = mask.dataSync();
        const cont = new Float32Array(B * T);
        const fraction = capacityFraction(opts.schedule, opts.capacity, t);
        for (let b = 0; b < B; b++) {
          let n = 0;
          for (let i = 0; i < T; i++) {
            const m = mv[b * T + i];
            if (m === undefined) throw new Error(`invariant: capacity mask has ${mv.length} entries, fewer than B * T = ${B * T}`);
            n += m > 0.5 ? 1 : 0;
          }
          const row = topKRow(sv.subarray(b * T, b * T + T), av.subarray(b * T, b * T + T), capacityCount(n, fraction));
          cont.set(row, b * T);
        }
        const halt = haltAt(tf.sub(1, tf.tensor2d(cont, [B, T])), t, tMax);
        return { halt, haltProb: tf.sigmoid(tf.neg(score)) as tf.Tensor2D };
      },
      calibration: opts.inference === 'predictor'
        ? { name: 'threshold', get: () => opts.threshold, set: (v) => { opts.threshold = Math.min(0.999, Math.max(0.001, v)); }, range: [0.001, 0.999], increasesDepth: false }
        : { name: 'capacity', get: () => opts.capacity, set: (v) => { opts.capacity = Math.min(1, Math.max(0.001, v)); }, range: [0.001, 1], increasesDepth: true },
      dispose: () => { router.dispose(); predictor.dispose(); },
    };
  },
);

export const capacity = (dims: PolicyDims, options?: Partial<CapacityOptions>) => capacityPolicy.create(dims, options);
