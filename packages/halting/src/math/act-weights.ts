/**
 * ACT halting weights (Graves 2016, as in the Universal Transformer). Given per-step
 * halting probabilities p [B, T, S]:
 *   N = first t with sum_{j<=t} p_j >= 1 - eps (or S);
 *   weights_t = p_t for t < N, R = 1 - sum_{t<N} p_t at N, 0 after.
 * N and the masks are computed from data with no gradient; R keeps its gradient.
 * There is no running remainder accumulator (the source of the aliasing bug in
 * common implementations, which keep adding to halted positions): R is computed
 * directly from the "before N" mask, so R >= eps > 0 always.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nonDiff } from './non-diff.js';

export interface ActWeights {
  /** [B, T, S], rows sum to 1. */
  readonly weights: tf.Tensor3D;
  /** Halting step N (1-based, float), [B, T]; no gradient. */
  readonly n: tf.Tensor2D;
  /** Remainder R, [B, T]; differentiable. */
  readonly remainder: tf.Tensor2D;
}

/** ACT weights over the steps from per-step halting probabilities `p` [B, T, S] and threshold `eps` (see the module comment). */
export function actWeights(p: tf.Tensor3D, eps: number): ActWeights {
  const S = p.shape[2];
  // reached_t = 1 once the cumulative sum passes 1 - eps (forced at S); monotone in t.
  const reached = nonDiff([p], (x) => {
    const cum = tf.cumsum(x, 2); // [B, T, S]
    const hit = tf.cast(tf.greaterEqual(cum, 1 - eps), 'float32');
    const lastRow = new Float32Array(S);
    lastRow[S - 1] = 1;
    return tf.maximum(hit, tf.tensor3d(lastRow, [1, 1, S])) as tf.Tensor3D;
  });
  const before = tf.sub(1, reached); // [B, T, S]: t < N
  const atN = nonDiff([reached], (r) => {
    const shifted = tf.pad(tf.slice(r, [0, 0, 0], [-1, -1, S - 1]), [[0, 0], [0, 0], [1, 0]]);
    return tf.sub(r, shifted) as tf.Tensor3D; // one-hot at N
  });
  const pBefore = tf.mul(p, before);
  const remainder = tf.sub(1, tf.sum(pBefore, 2)) as tf.Tensor2D; // [B, T]
  const weights = tf.add(pBefore, tf.mul(atN, tf.expandDims(remainder, 2))) as tf.Tensor3D;
  const n = tf.sum(tf.mul(atN, tf.range(1, S + 1, 1, 'float32')), 2) as tf.Tensor2D;
  return { weights, n, remainder };
}
