/**
 * Attention pieces: head split/merge with 4-D transposes (no 5-D splits), the
 * additive attention bias built from a padding mask and causality, and scaled
 * dot-product attention using `batchMatmul` (transpose-free gradients).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatmul } from './bmm.js';
import { backendCapabilities } from './capabilities.js';
import { FUSED_KERNELS, softmaxByKernel } from './fused-kernels.js';
import { attentionWebGpu } from './webgpu/attention.js';
import { useFusedWebGpu } from './webgpu/backend.js';

/** Value added to disallowed attention scores (exp underflows to exactly 0). */
export const MASKED_SCORE = -1e9;

/** `[B, T, C] -> [B, H, T, C/H]`. */
export function splitHeads(x: tf.Tensor, nHeads: number): tf.Tensor4D {
  const [b, t, c] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [b, t, nHeads, c / nHeads]), [0, 2, 1, 3]);
}

/** `[B, H, T, dh] -> [B, T, H*dh]`. */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  const [b, h, t, dh] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, h * dh]);
}

/**
 * Additive attention bias `[B, 1, T, T]` (`[B, 1, 1, T]`, broadcast, when not causal): 0 where query i may attend key j (key j is
 * a real token and, if causal, j <= i: the rule of attend-rule.ts, as a tensor; a
 * test checks they agree), `MASKED_SCORE` elsewhere. Not differentiable
 * (build it outside gradient functions).
 */
export function attentionBias(mask: tf.Tensor2D, causal: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, t] = mask.shape;
    let allowed: tf.Tensor = tf.reshape(tf.cast(mask, 'float32'), [b, 1, 1, t]); // [B, 1, 1, T]
    if (causal) {
      const tri = new Float32Array(t * t); // [T, T], 1 where j <= i (built on the host: bandPart is ~20 kernels)
      for (let i = 0; i < t; i++) tri.fill(1, i * t, i * t + i + 1);
      allowed = tf.mul(allowed, tf.tensor4d(tri, [1, 1, t, t]));
    }
    return tf.mul(tf.sub(1, allowed), MASKED_SCORE) as tf.Tensor4D; // [B, 1, T, T]
  });
}

/**
 * softmax(q k^T / sqrt(dh) + bias) v with q `[B, H, S, dh]`, k, v `[B, H, T, dh]`,
 * bias `[B, 1, S or 1, T]`. On webgpu this runs fused WGSL programs (webgpu/attention.ts).
 */
export function scaledDotAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, bias: tf.Tensor): tf.Tensor4D {
  const [b, , s, dh] = q.shape;
  const [bb, one, bs, bt] = bias.shape;
  if (useFusedWebGpu() && bias.rank === 4 && bb === b && one === 1 && (bs === s || bs === 1) && bt === k.shape[2]) return attentionWebGpu(q, k, v, bias as tf.Tensor4D);
  const caps = backendCapabilities();
  const qs = tf.mul(q, 1 / Math.sqrt(dh));
  const raw = caps.transposedProductCheap && caps.attention === 'matmul'
    ? tf.matMul(qs, k, false, true) // [B, H, S, T], k's transpose as a flag
    : batchMatmul(qs, tf.transpose(k, [0, 1, 3, 2])); // k^T [B, H, dh, T]
  const scores = tf.add(raw, bias); // [B, H, S, T]
  const weights = caps.softmaxKernel ? softmaxByKernel(scores) : tf.softmax(scores);
  return batchMatmul(weights, v) as tf.Tensor4D; // [B, H, S, dh]
}

/**
 * Attention of every token, differentiable: q, k, v `[B*T, C]` (the heads as column
 * blocks), bias `[B, 1, T or 1, T]` (the batch's `attentionBias`, not differentiated),
 * returns `[B*T, C]`. Where the backend registers `AniraAttention` and its gradient
 * (fused-kernels.ts) each direction is one kernel with no head split or merge
 * transposes; elsewhere the composite `mergeHeads(scaledDotAttention(splitHeads(...)))`.
 */
export function attendTokens(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, bias: tf.Tensor, nHeads: number): tf.Tensor2D {
  const [batch, , , length] = bias.shape as [number, number, number, number];
  const c = q.shape[1];
  if (!backendCapabilities().attentionKernel) {
    const heads = (x: tf.Tensor2D) => splitHeads(tf.reshape(x, [batch, length, c]), nHeads); // [B, H, T, dh]
    return tf.reshape(mergeHeads(scaledDotAttention(heads(q), heads(k), heads(v), bias)), [batch * length, c]);
  }
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [qq, kk, vv, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const [o, p] = tf.engine().runKernel(FUSED_KERNELS.attention, { q: qq, k: kk, v: vv, bias }, { nHeads }) as [tf.Tensor2D, tf.Tensor4D];
    save([qq, kk, vv, p]);
    return {
      value: o,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sp] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor4D];
        return tf.engine().runKernel(FUSED_KERNELS.attentionGrad, { dy, q: sq, k: sk, v: sv, p: sp }, { nHeads }) as tf.Tensor[];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D;
  return op(q, k, v);
}

/**
 * Attention of query rows, for inference (no gradient through the kernel). k, v
 * `[B*T, C]` hold every token's keys and values, bias is `[B, 1, T or 1, T]` (the
 * batch's `attentionBias`), q `[N, C]` the queries that run: token rows `rows`
 * (`b*T + position`, strictly ascending), or every token when `rows` is omitted
 * (N = B*T). Returns `[N, C]`, the heads as column blocks. Where the backend
 * registers `AniraAttentionRows` (fused-kernels.ts) it is one kernel with no head
 * split or merge transposes and no padding; elsewhere the composite: the queries
 * scattered into the full rows, `scaledDotAttention` between `splitHeads` and
 * `mergeHeads`, and the rows gathered back.
 */
export function attentionRows(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, bias: tf.Tensor, nHeads: number, rows?: Int32Array): tf.Tensor2D {
  const [batch, , , length] = bias.shape as [number, number, number, number];
  const c = q.shape[1];
  return tf.tidy((): tf.Tensor2D => {
    const index = rows ? tf.tensor1d(rows, 'int32') : undefined; // [N]
    if (backendCapabilities().attentionRowsKernel) {
      return tf.engine().runKernel(FUSED_KERNELS.attentionRows, { q, k, v, bias, ...(index ? { rows: index } : {}) }, { nHeads }) as tf.Tensor2D;
    }
    const full = index ? (tf.scatterND(tf.reshape(index, [-1, 1]), q, [batch * length, c]) as tf.Tensor2D) : q; // [B*T, C]
    const heads = (x: tf.Tensor2D) => splitHeads(tf.reshape(x, [batch, length, c]), nHeads); // [B, H, T, dh]
    const o: tf.Tensor2D = tf.reshape(mergeHeads(scaledDotAttention(heads(full), heads(k), heads(v), bias)), [batch * length, c]) as tf.Tensor2D;
    return index ? (tf.gather(o, index) as tf.Tensor2D) : o;
  });
}
