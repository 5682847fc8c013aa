/**
 * Training's attention sub-block over every token of a batch: the Q/K/V projections
 * of the LayerNorm rows a, attention with the batch's bias, and the output
 * projection, `z = attendTokens(a wq, a wk, a wv, bias) wo`, all `[B*T, C]`. Where the
 * backend registers `AniraAttentionBlock` and its gradient (fused-kernels.ts; wasm
 * with @anira/native) it is one kernel each way with the same bits as the composite,
 * and the gradients of o, q, k, v and the parts of a's gradient never become tensors
 * that a gradient step keeps alive; elsewhere it is the composite.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attendTokens } from './attention.js';
import { backendCapabilities } from './capabilities.js';
import { FUSED_KERNELS } from './fused-kernels.js';
import { matmul } from './matmul.js';

type Weights = [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
type T = tf.Tensor;
/** The kernel's outputs z, q, k, v, o, p; what the gradient reads: a, q, k, v, o, p and the four weights. */
type Six = [T, T, T, T, T, T];
type Ten = [T, T, T, T, T, T, T, T, T, T];

/** z `[B*T, C]` from a `[B*T, C]`, weights wq, wk, wv, wo `[C, C]` and bias `[B, 1, T or 1, T]`. */
export function attentionBlock(a: tf.Tensor2D, wq: tf.Tensor2D, wk: tf.Tensor2D, wv: tf.Tensor2D, wo: tf.Tensor2D, bias: tf.Tensor, nHeads: number): tf.Tensor2D {
  if (!backendCapabilities().attentionBlockKernel) {
    const o = attendTokens(matmul(a, wq) as tf.Tensor2D, matmul(a, wk) as tf.Tensor2D, matmul(a, wv) as tf.Tensor2D, bias, nHeads);
    return matmul(o, wo) as tf.Tensor2D;
  }
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, q1, k1, v1, o1, save] = args as [tf.Tensor2D, ...Weights, tf.GradSaveFunc];
    const [z, q, k, v, o, p] = tf.engine().runKernel(FUSED_KERNELS.attentionBlock, { a: x, wq: q1, wk: k1, wv: v1, wo: o1, bias }, { nHeads }) as Six;
    save([x, q, k, v, o, p, q1, k1, v1, o1]);
    return {
      value: z,
      gradFunc: (dz: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sq, sk, sv, so, sp, swq, swk, swv, swo] = saved as Ten;
        return tf.engine().runKernel(FUSED_KERNELS.attentionBlockGrad, { dz, a: sa, q: sq, k: sk, v: sv, o: so, p: sp, wq: swq, wk: swk, wv: swv, wo: swo }, { nHeads }) as tf.Tensor[];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, ...w: Weights) => tf.Tensor2D;
  return op(a, wq, wk, wv, wo);
}
