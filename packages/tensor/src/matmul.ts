/**
 * Matrix products whose gradients avoid transposed matmuls. On the wasm backend
 * `matMul(a, b, transposeA, transposeB)` is 10-40x slower than the plain form, and
 * the default matmul gradient uses exactly those; here the backward pass
 * transposes explicitly and then runs untransposed products. `linear` also fuses
 * the bias into the forward product and reduces the bias gradient with a
 * `ones [1, M] @ dy` product: wasm reduces over a leading axis with a transpose
 * plus a slow sum (about 100x slower than that matmul for [2048, 512]).
 * Where `backendCapabilities()` says transposed products are cheap (wasm with
 * `@anira/native`), the gradients use transpose flags and skip the copies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';
import './gradients.js';
import { lastAxis } from './last-axis.js';
import { transpose2d } from './transpose.js';

/** Column sums of `x [M, N]` as `[N]`, via an untransposed matmul. */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]);
}

/** `[dy @ b^T, a^T @ dy]` for dy [M, N], a [M, K], b [K, N]: transpose flags or explicit transposes. */
function productGrads(dy: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  if (backendCapabilities().transposedProductCheap) return [tf.matMul(dy, b, false, true), tf.matMul(a, dy, true, false)];
  return [tf.matMul(dy, transpose2d(b)), tf.matMul(transpose2d(a), dy)];
}

const mm2 = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return productGrads(dy as tf.Tensor2D, sa, sb); // [M, K], [K, N]
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

const mm2Bias = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.fused.matMul({ a, b, bias }), // [M, N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const d = dy as tf.Tensor2D;
      return [...productGrads(d, sa, sb), sumRows(d)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

function rows(x: tf.Tensor, w: tf.Tensor2D): { x2: tf.Tensor2D; lead: number[] } {
  const k = lastAxis(x, 'matmul');
  if (k !== w.shape[0]) {
    throw new Error(`matmul: inner dimensions differ: x ${JSON.stringify(x.shape)} vs w ${JSON.stringify(w.shape)}`);
  }
  return { x2: x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, k]), lead: x.shape.slice(0, -1) };
}

/** `x [..., K] @ w [K, N] -> [..., N]` with a transpose-free gradient. */
export function matmul(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const { x2, lead } = rows(x, w);
  const y = mm2(x2, w) as tf.Tensor2D; // [M, N]
  return x.rank === 2 ? y : tf.reshape(y, [...lead, w.shape[1]]);
}

/** `x [..., K] @ w [K, N] + b [N]` (bias fused into the product, matmul-reduced bias gradient). */
export function linear(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  if (!b) return matmul(x, w);
  const { x2, lead } = rows(x, w);
  const y = mm2Bias(x2, w, b) as tf.Tensor2D; // [M, N]
  return x.rank === 2 ? y : tf.reshape(y, [...lead, w.shape[1]]);
}
