/**
 * Batched matrix product with a transpose-free gradient, for attention scores and
 * attention-weighted values. Same reason as `matmul.ts`: on wasm the transposed
 * `matMul` forms used by tfjs's default gradient are 10-40x slower.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

/** Swap the last two axes of a 3-D tensor. */
function t3(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

const bmm3 = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [G, M, N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [tf.matMul(dy as tf.Tensor3D, t3(sb)), tf.matMul(t3(sa), dy as tf.Tensor3D)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** `a [..., M, K] @ b [..., K, N] -> [..., M, N]` (same leading dims), transpose-free gradient. */
export function batchMatmul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const lead = a.shape.slice(0, -2);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (ra < 3 || ra !== rb || k !== k2 || lead.join() !== b.shape.slice(0, -2).join()) {
    throw new Error(`batchMatmul: incompatible shapes a ${JSON.stringify(a.shape)} vs b ${JSON.stringify(b.shape)}`);
  }
  const a3 = tf.reshape(a, [-1, m, k]) as tf.Tensor3D; // [G, M, K]
  const b3 = tf.reshape(b, [-1, k, n]) as tf.Tensor3D; // [G, K, N]
  return tf.reshape(bmm3(a3, b3), [...lead, m, n]);
}
