/**
 * 2-D transpose that is fast on wasm. wasm's Transpose kernel is 2-4x slower on
 * a 2-D tensor than on the same data viewed as 3-D: `[2048, 128]` takes 2.4 ms
 * as 2-D and 0.7 ms as `[32, 64, 128]` with permutation `[2, 0, 1]` (the result
 * is the same `[N, M]` data). The matmul gradients transpose activations this way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';

/** Largest split of the row count used for the 3-D view. */
const SPLIT = 32;

/** `x [M, N] -> [N, M]`; on wasm through a 3-D view `[f, M/f, N]` (identical values). */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [m, n] = x.shape;
  if (!backendCapabilities().transposeVia3d || m < 2 * SPLIT || n < 2) return tf.transpose(x);
  let f = SPLIT;
  while (f > 1 && m % f !== 0) f /= 2;
  if (f === 1) return tf.transpose(x);
  const x3 = tf.reshape(x, [f, m / f, n]); // [f, M/f, N]
  return tf.reshape(tf.transpose(x3, [2, 0, 1]), [n, m]); // [N, f, M/f] = [N, M]
}
