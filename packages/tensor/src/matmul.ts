/**
 * Matrix products whose gradients avoid transposed matmuls. On the wasm backend
 * `matMul(a, b, transposeA, transposeB)` is 10-40x slower than the plain form, and
 * the default matmul gradient uses exactly those; here the backward pass
 * transposes explicitly and then runs untransposed products.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

const mm2 = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), // [M, K]
        tf.matMul(tf.transpose(sa), dy as tf.Tensor2D), // [K, N]
      ];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** `x [..., K] @ w [K, N] -> [..., N]` with a transpose-free gradient. */
export function matmul(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const k = x.shape[x.shape.length - 1]!;
  if (k !== w.shape[0]) {
    throw new Error(`matmul: inner dimensions differ: x ${JSON.stringify(x.shape)} vs w ${JSON.stringify(w.shape)}`);
  }
  const lead = x.shape.slice(0, -1);
  const x2 = tf.reshape(x, [-1, k]); // [M, K]
  const y = mm2(x2, w) as tf.Tensor2D; // [M, N]
  return tf.reshape(y, [...lead, w.shape[1]]);
}

/** `x [..., K] @ w [K, N] + b [N]`. */
export function linear(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  const y = matmul(x, w);
  return b ? tf.add(y, b) : y;
}
