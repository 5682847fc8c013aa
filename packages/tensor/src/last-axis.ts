/**
 * The size of a tensor's last axis, the `C` of `[..., C]` that the row-wise ops
 * (layer norm, matmul, cross-entropy, replica rows) work along. A scalar has no last
 * axis: that is an error naming the op, instead of an `undefined` size turning into a
 * NaN-shaped reshape further on.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** `x.shape[x.rank - 1]`, or throws naming `op` when `x` is a scalar. */
export function lastAxis(x: tf.Tensor, op: string): number {
  const c = x.shape[x.shape.length - 1];
  if (c === undefined) throw new Error(`${op}: needs a tensor of rank >= 1, got a scalar`);
  return c;
}
