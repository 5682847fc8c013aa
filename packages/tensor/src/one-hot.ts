/**
 * A float32 one-hot that every backend computes on, used by the embedding and the
 * cross-entropy. Two tfjs 4.22 traps decide its form:
 * - the wasm kernel mis-writes a float32 `oneHot` (garbage rows, heap damage), so the
 *   one-hot is built as int32 and cast;
 * - tfjs-webgpu's `Cast` int32 -> float32 keeps the int32 buffer under a float32
 *   tensor, and its `Transpose` program reads that buffer without converting it: the
 *   WGSL fails to compile and the gradient through a transposed one-hot (the stacked
 *   embedding's) is silently lost. Multiplying by 1 writes a real float32 buffer.
 */
import * as tf from '@tensorflow/tfjs-core';

/** ids int `[...]` -> float32 `[..., depth]`; ids outside `[0, depth)` give zero rows. */
export function floatOneHot(ids: tf.Tensor, depth: number): tf.Tensor {
  return tf.mul(tf.cast(tf.oneHot(tf.cast(ids, 'int32'), depth), 'float32'), 1);
}
