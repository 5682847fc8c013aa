/**
 * Token embedding as a one-hot matmul: `oneHot(ids) @ E`. Differentiable on every
 * backend (wasm has no UnsortedSegmentSum, so the gradient of `tf.gather` fails).
 */
import * as tf from '@tensorflow/tfjs-core';
import { matmul } from './matmul.js';

/** ids int32 `[...]`, table `[V, C]` -> `[..., C]`. Out-of-range ids give zero rows. */
export function embed(ids: tf.Tensor, table: tf.Tensor2D): tf.Tensor {
  // int32 oneHot then cast: the wasm kernel mis-writes a float32 oneHot (garbage rows, heap damage).
  const oh = tf.cast(tf.oneHot(tf.cast(ids, 'int32'), table.shape[0]), 'float32'); // [..., V]
  return matmul(oh, table);
}
