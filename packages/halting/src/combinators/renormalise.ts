/**
 * Restrict training weights [B, T, S] to an allowed range of steps and renormalise.
 * If a token has (almost) no mass inside the range, all of it goes to the range's
 * nearest boundary step. Differentiable in the weights; the fallback switch is not.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nonDiff } from '../math/non-diff.js';

/** Keep steps lo..hi (1-based, inclusive) of w [B, T, S]; rows sum to 1 again. */
export function restrictWeights(w: tf.Tensor3D, lo: number, hi: number, boundary: number): tf.Tensor3D {
  const S = w.shape[2];
  const allowed = new Float32Array(S);
  for (let t = 1; t <= S; t++) allowed[t - 1] = t >= lo && t <= hi ? 1 : 0;
  const edge = new Float32Array(S);
  edge[Math.min(S, Math.max(1, boundary)) - 1] = 1;
  const kept = tf.mul(w, tf.tensor1d(allowed)); // [B, T, S]
  const mass = tf.sum(kept, 2, true); // [B, T, 1]
  const empty = nonDiff([mass], (m) => tf.cast(tf.less(m, 1e-6), 'float32')); // [B, T, 1]
  const num = tf.add(kept, tf.mul(empty, tf.tensor1d(edge)));
  return tf.div(num, tf.add(mass, empty)) as tf.Tensor3D;
}
