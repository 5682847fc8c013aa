/** Mean of a per-token quantity over the tokens selected by a 0/1 mask. */
import * as tf from '@tensorflow/tfjs-core';

/** `sum(x * mask) / max(sum(mask), 1)` for `x`, `mask` [B, T]; a scalar. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  const num = tf.sum(tf.mul(x, mask));
  const den = tf.maximum(tf.sum(mask), tf.scalar(1));
  return tf.div(num, den) as tf.Scalar;
}
