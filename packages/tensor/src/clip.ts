/** Gradient clipping by global norm (one norm over every gradient of a step). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Scale every gradient by `min(1, maxNorm / globalNorm)`. Returns new tensors and
 * the global norm (a scalar tensor; read it outside the training step's tidy).
 */
export function clipByGlobalNorm(
  grads: Readonly<Record<string, tf.Tensor>>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: "maxNorm" must be > 0, got ${maxNorm}`);
  const entries = Object.entries(grads);
  const sq = entries.map(([, g]) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(sq.length ? tf.addN(sq) : tf.scalar(0)) as tf.Scalar;
  const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norm, 1e-12)));
  const out: Record<string, tf.Tensor> = {};
  for (const [n, g] of entries) out[n] = tf.mul(g, scale);
  return { grads: out, norm };
}
