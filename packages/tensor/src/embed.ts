/**
 * Token embedding as a one-hot matmul: `oneHot(ids) @ E`. Differentiable on every
 * backend (wasm has no UnsortedSegmentSum, so the gradient of `tf.gather` fails).
 */
import * as tf from '@tensorflow/tfjs-core';
import { matmul } from './matmul.js';
import { floatOneHot } from './one-hot.js';

/** ids int32 `[...]`, table `[V, C]` -> `[..., C]`. Out-of-range ids give zero rows. */
export function embed(ids: tf.Tensor, table: tf.Tensor2D): tf.Tensor {
  return matmul(floatOneHot(ids, table.shape[0]), table); // [..., V] @ [V, C]
}
