/**
 * Batched matrix product with a transpose-free gradient, for attention scores and
 * attention-weighted values. Two kernels with the same results:
 * - 'conv': G products `A_g [M, K] @ B_g [K, N]` as ONE depthwise convolution
 *   (input `[1, M, K, G]`, filter `[1, K, G, N]`, 'valid' padding, output
 *   `[1, M, 1, G*N]`). On wasm this runs in XNNPACK's grouped GEMM, about 3-4x
 *   faster than wasm's BatchMatMul, which only uses XNNPACK for a single 2-D
 *   product and otherwise runs a naive loop (~3 GFLOP/s for attention shapes);
 * - 'matmul': `tf.matMul` (default elsewhere, and on wasm with native kernels),
 *   with the gradient using transpose flags where `backendCapabilities()` says
 *   transposed products are cheap, explicit transposes otherwise (transposed
 *   matmuls are 10-40x slower on plain wasm).
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';
import './gradients.js';

/** Which kernel runs a batched product. */
export type BatchMatmulKernel = 'conv' | 'matmul';

/** 'conv' where the backend's batched products are slow (plain wasm: XNNPACK grouped convolution), 'matmul' elsewhere. */
export function defaultBatchMatmulKernel(): BatchMatmulKernel {
  return backendCapabilities().attention;
}

/** Swap the last two axes of a 3-D tensor. */
function t3(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

/** `out_g = A_g @ B_g` from A laid out `[M, K, G]` and B laid out `[K, G, N]`; returns `[G, M, N]`. */
function convProduct(aMKG: tf.Tensor3D, bKGN: tf.Tensor3D): tf.Tensor3D {
  const [m, k, g] = aMKG.shape;
  const [, , n] = bKGN.shape;
  const x = tf.reshape(aMKG, [1, m, k, g]) as tf.Tensor4D;
  const f = tf.reshape(bKGN, [1, k, g, n]) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(x, f, 1, 'valid'); // [1, M, 1, G*N]
  return tf.transpose(tf.reshape(y, [m, g, n]), [1, 0, 2]); // [G, M, N]
}

const bmmMatmul = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [G, M, N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      const d = dy as tf.Tensor3D; // [G, M, N]
      if (backendCapabilities().transposedProductCheap) return [tf.matMul(d, sb, false, true), tf.matMul(sa, d, true, false)];
      return [tf.matMul(d, t3(sb)), tf.matMul(t3(sa), d)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

const bmmConv = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    // a [G, M, K] -> [M, K, G]; b [G, K, N] -> [K, G, N]
    value: convProduct(tf.transpose(a, [1, 2, 0]), tf.transpose(b, [1, 0, 2])),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      const d = dy as tf.Tensor3D; // the gradient of the [G, M, N] value
      // dA = dy @ B^T: dy [G, M, N] as [M, N, G], B^T [G, N, K] as [N, G, K]
      const da = convProduct(tf.transpose(d, [1, 2, 0]), tf.transpose(sb, [2, 0, 1]));
      // dB = A^T @ dy: A^T [G, K, M] as [K, M, G], dy as [M, G, N]
      const db = convProduct(tf.transpose(sa, [2, 1, 0]), tf.transpose(d, [1, 0, 2]));
      return [da, db];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/**
 * `a [..., M, K] @ b [..., K, N] -> [..., M, N]` (same leading dims), transpose-free
 * gradient. `kernel` defaults to `defaultBatchMatmulKernel()`.
 */
export function batchMatmul(a: tf.Tensor, b: tf.Tensor, kernel: BatchMatmulKernel = defaultBatchMatmulKernel()): tf.Tensor {
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
  const y = kernel === 'conv' ? bmmConv(a3, b3) : bmmMatmul(a3, b3);
  return tf.reshape(y, [...lead, m, n]);
}
