/**
 * One pre-LN Transformer layer over the rows that run, for inference, as one
 * registered kernel (`AniraLayerRows`, fused-kernels.ts; `@anira/native` provides
 * it on wasm). For rows `x [N, C]` (token rows `rows`, strictly ascending; null:
 * every token, N = B*T), the K/V caches `[B*T, C]` and the attention bias
 * `[B, 1, T or 1, T]`:
 *   a = LayerNorm1(x); q, k, v = a wq, a wk, a wv
 *   kCache[rows], vCache[rows] = k, v                 (in place)
 *   y1 = x + attention(q over kCache, vCache) wo
 *   y  = y1 + mlp(LayerNorm2(y1))
 * the operations of the model's projectQkv, cache update, attention and
 * finishRows, which stay the composite. Returns undefined, and writes nothing,
 * where the kernel cannot run: no kernel registered, stacked (per-replica)
 * weights, or a cache whose data another tensor shares (it could see the write).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasLayerRowsKernel } from './fused-kernels.js';
import { heapOwned } from './heap-rows.js';

/** A layer's weights: gains and biases `[C]`, wq/wk/wv/wo `[C, C]`, w1 `[C, F]`, b1 `[F]`, w2 `[F, C]`, b2 `[C]`. */
export interface LayerRowsWeights {
  readonly ln1g: tf.Tensor;
  readonly ln1b: tf.Tensor;
  readonly wq: tf.Tensor;
  readonly wk: tf.Tensor;
  readonly wv: tf.Tensor;
  readonly wo: tf.Tensor;
  readonly ln2g: tf.Tensor;
  readonly ln2b: tf.Tensor;
  readonly w1: tf.Tensor;
  readonly b1: tf.Tensor;
  readonly w2: tf.Tensor;
  readonly b2: tf.Tensor;
}

/** The layer's output rows `[N, C]` through the kernel, or undefined where it cannot run (see above). */
export function layerRowsByKernel(
  w: LayerRowsWeights,
  x: tf.Tensor2D,
  caches: { readonly k: tf.Tensor2D; readonly v: tf.Tensor2D },
  bias: tf.Tensor,
  rows: Int32Array | null,
  dims: { readonly nHeads: number; readonly eps: number },
): tf.Tensor2D | undefined {
  if (!hasLayerRowsKernel(tf.getBackend()) || w.wq.rank !== 2 || w.ln1g.rank !== 1) return undefined;
  if (caches.k === caches.v || !heapOwned(caches.k) || !heapOwned(caches.v)) return undefined;
  return tf.tidy(() => {
    const index = rows ? { rows: tf.tensor1d(rows, 'int32') } : {}; // [N]
    const inputs = { ...w, x, kCache: caches.k, vCache: caches.v, bias, ...index };
    return tf.engine().runKernel(FUSED_KERNELS.layerRows, inputs as unknown as tf.NamedTensorMap, { nHeads: dims.nHeads, eps: dims.eps }) as tf.Tensor2D;
  });
}
