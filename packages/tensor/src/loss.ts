/**
 * Gradient-safe loss pieces: per-token cross-entropy against integer targets with
 * an ignore value, and masked means. One-hot targets are plain constants, so no
 * gather gradient is needed on any backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lastAxis } from './last-axis.js';
import { floatOneHot } from './one-hot.js';

/**
 * Per-token cross-entropy `[...]` from logits `[..., V]` and int targets `[...]`;
 * targets outside `[0, V)` (e.g. IGNORE = -1) give 0.
 */
export function tokenCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const v = lastAxis(logits, 'tokenCrossEntropy');
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), floatOneHot(targets, v)), -1)); // [..., V] -> [...]
}

/** `sum(x * mask) / max(sum(mask), 1)`, a scalar. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}
