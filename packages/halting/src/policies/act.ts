/**
 * ACT (Graves 2016, per position as in the Universal Transformer): a halting unit
 * p_t = sigmoid(w . h_t + b) on the current state; the token halts at the first N
 * where the cumulative sum reaches 1 - eps; the output mixes states with weights
 * p_t (t < N) and the remainder R at N; ponder cost tau * (N + R).
 */
import * as tf from '@tensorflow/tfjs-core';
import { definePolicy, haltAt } from '../define-policy.js';
import { actWeights } from '../math/act-weights.js';
import { createLinearHead, scoreOf } from '../math/head.js';
import { maskedMean, stackLast } from '@anira/tensor';
import { HALTING_SPEC_VERSION } from '../spec.js';

export interface ActOptions extends Record<string, unknown> {
  epsilon: number;
  tau: number;
  biasInit: number;
}

export const actPolicy = definePolicy<ActOptions>(
  'act',
  'Adaptive Computation Time (Graves 2016): halt when the cumulative halting probability reaches 1 - eps; mixture of states; ponder cost.',
  [
    { name: 'epsilon', type: 'number', default: 0.01, min: 1e-6, max: 0.5, description: 'Halt once the cumulative probability reaches 1 - epsilon.' },
    { name: 'tau', type: 'number', default: 0.01, min: 0, max: 10, description: 'Ponder cost scale: loss tau * (N + R).' },
    { name: 'biasInit', type: 'number', default: 1, min: -20, max: 20, description: 'Initial bias of the halting unit.' },
  ],
  (dims, options) => {
    const head = createLinearHead('halting', dims.dModel, 1, dims.seed, options.biasInit);
    const eps = options.epsilon;
    return {
      specificationVersion: HALTING_SPEC_VERSION,
      name: 'act',
      variables: head.variables,
      options: { ...options },
      train({ states, lossMask }) {
        const p = stackLast<tf.Rank.R3>(states.map((h) => tf.sigmoid(scoreOf(head, h)))) as tf.Tensor3D; // [B, T, S]
        const { weights, n, remainder } = actWeights(p, eps);
        const ponder = tf.mul(options.tau, maskedMean(tf.add(n, remainder), lossMask)) as tf.Scalar;
        return { weights, combine: 'mixture', loss: ponder, lossTerms: { ponder } };
      },
      start({ shallow }) {
        const [B, T] = shallow.shape;
        return { carry: { cumulative: tf.zeros([B, T]) } };
      },
      step({ t, tMax, state, active, carry }) {
        const p = tf.sigmoid(scoreOf(head, state)); // [B, T]
        const prev = carry['cumulative'] ?? tf.zerosLike(p);
        // Only running tokens accumulate: a halted token's sum stays frozen.
        const cumulative = tf.add(prev, tf.mul(p, active));
        const halt = haltAt(tf.greaterEqual(cumulative, 1 - eps), t, tMax);
        return { halt, haltProb: p, carry: { cumulative } };
      },
      dispose: () => head.dispose(),
    };
  },
);

export const act = (dims: Parameters<typeof actPolicy.create>[0], options?: Partial<ActOptions>) => actPolicy.create(dims, options);
