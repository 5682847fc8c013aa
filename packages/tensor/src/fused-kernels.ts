/**
 * The fused kernels that `layerNorm` and `gelu` use when a backend registers
 * them (for example `@anira/native` on wasm), asked by name in the kernel
 * registry, so this package needs no import of the provider. The contract, for
 * float32 tensors:
 * - `AniraLayerNorm`: inputs `{ x [M, C], gamma [C], beta [C] }`, attrs `{ eps }`;
 *   outputs `[y [M, C], stats [M, 2]]`, stats = (mean, 1 / sqrt(var + eps)) per
 *   row, two-pass variance.
 * - `AniraLayerNormGrad`: inputs `{ dy [M, C], x [M, C], stats [M, 2], gamma [C] }`;
 *   outputs `[dx [M, C], dgamma [C], dbeta [C]]`.
 * - `AniraGelu`: inputs `{ x }`; output y, same shape (tanh form, `x sigmoid(2u)`).
 * - `AniraGeluGrad`: inputs `{ dy, x }`; output dx = dy gelu'(x), same shape.
 * - `AniraSoftmax`: inputs `{ logits }`; output y = softmax over the last axis.
 * - `AniraSoftmaxGrad`: inputs `{ dy, y }`; output dx = y (dy - sum_last(dy y)).
 * - `AniraAdam`: inputs `{ param, grad, m, v }` of one shape, attrs `{ beta1, beta2,
 *   c1, c2, epsilon, weightDecay, lr }`; outputs `[param', m', v']`, the update of
 *   adam.ts with each operation rounded to float32 in the same order.
 * - `AniraAttentionRows`: inputs `{ q [N, C], k [B*T, C], v [B*T, C], bias [B, 1, T
 *   or 1, T], rows? [N] int32 }` (rows: the queries' token rows `b*T + position`,
 *   strictly ascending; without it N = B*T and every token is a query), attrs
 *   `{ nHeads }`; output o `[N, C]`: the rows of `mergeHeads(scaledDotAttention(
 *   splitHeads(q), splitHeads(k), splitHeads(v), bias))`, rounded the same way
 *   (attention.ts's `attentionRows` is the composite). No gradient kernel:
 *   inference only.
 * - `AniraAttention`: inputs `{ q, k, v [B*T, C], bias [B, 1, T or 1, T] }`, attrs
 *   `{ nHeads }`; outputs `[o [B*T, C], p [B, H, T, T]]`: o as `AniraAttentionRows`
 *   with every token a query (the composite's bits), p the softmax weights.
 * - `AniraAttentionGrad`: inputs `{ dy [B*T, C], q, k, v, p }`, attrs `{ nHeads }`;
 *   outputs `[dq, dk, dv]`, each `[B*T, C]`: the gradients of `AniraAttention`'s o
 *   (the bias is not differentiated). attention.ts's `attendTokens` uses the pair.
 * - `AniraLayerRows` (wasm only, inference): inputs `{ x [N, C], kCache, vCache
 *   [B*T, C], bias [B, 1, T or 1, T], rows? [N] int32, ln1g, ln1b [C], wq, wk, wv, wo
 *   [C, C], ln2g, ln2b [C], w1 [C, F], b1 [F], w2 [F, C], b2 [C] }`, attrs `{ nHeads,
 *   eps }`; output y `[N, C]`: one pre-LN layer over the rows that run (token rows
 *   `rows`, strictly ascending; without it every token), as layer-rows.ts documents.
 *   It also writes the rows' new keys and values into kCache and vCache in place,
 *   so the caller must own both alone. No gradient.
 * - `AniraMlp`: inputs `{ x [M, C], w1 [C, F], b1 [F], w2 [F, C], b2 [C] }`; outputs
 *   `[y [M, C], h [M, F]]`: h = x w1 + b1, y = gelu(h) w2 + b2, as `linear`, `gelu`,
 *   `linear` of layers.ts compute them (h is kept for the gradient).
 * - `AniraMlpGrad`: inputs `{ dy [M, C], x [M, C], h [M, F], w1 [C, F], w2 [F, C] }`;
 *   outputs `[dx [M, C], dw1 [C, F], db1 [F], dw2 [F, C], db2 [C]]`, the gradients of
 *   `AniraMlp`'s y. `mlp` uses the pair: the GELU output and the hidden-width
 *   gradients never become tensors, so a gradient step keeps less memory.
 * - `AniraAttentionBlock`: inputs `{ a [B*T, C], wq, wk, wv, wo [C, C], bias [B, 1, T or
 *   1, T] }`, attrs `{ nHeads }`; outputs `[z, q, k, v, o [B*T, C], p [B, H, T, T]]`:
 *   q = a wq, k = a wk, v = a wv, (o, p) as `AniraAttention`, z = o wo (the others kept
 *   for the gradient).
 * - `AniraAttentionBlockGrad`: inputs `{ dz, a, q, k, v, o [B*T, C], p, wq, wk, wv, wo }`,
 *   attrs `{ nHeads }`; outputs `[da [B*T, C], dwq, dwk, dwv, dwo [C, C]]`, the gradients
 *   of `AniraAttentionBlock`'s z. attention-block.ts's `attentionBlock` uses the pair.
 * - `AniraCrossEntropy`: inputs `{ logits [..., V] float32, targets [...] int32 }`; outputs
 *   `[ce [...], lse [...]]`: lse = log(sum(exp(logits))) per token, ce = lse - logits[target],
 *   0 where the target lies outside [0, V) (loss.ts's composite gives the same).
 * - `AniraCrossEntropyGrad`: inputs `{ dy [...], logits, lse, targets }`; output dlogits
 *   `[..., V]` = dy (exp(logits - lse) - onehot(target)), zero rows for ignored targets.
 *   loss.ts's `tokenCrossEntropy` uses the pair.
 * - `AniraHeapMoveRows` (wasm only): a host kernel, its `kernelFunc` called
 *   directly (never through the engine) with no inputs and attrs `{ dstOffset,
 *   dstRows, srcOffset, srcRows, width, count, dstIndex, srcIndex }`: byte offsets
 *   in the wasm heap of float32 dst `[dstRows, width]` and src `[srcRows, width]`;
 *   for i < count, row `dstIndex[i]` (or i) of dst = row `srcIndex[i]` (or i) of
 *   src, a zero row where `srcIndex[i] < 0` (Int32Arrays, or null). It writes in
 *   place and returns nothing; heap-rows.ts copies with `copyWithin` without it.
 * A provider registers each pair or none; `fused-grads.test.ts` checks a provider against
 * the composites of `layers.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';

export const FUSED_KERNELS = {
  layerNorm: 'AniraLayerNorm',
  layerNormGrad: 'AniraLayerNormGrad',
  gelu: 'AniraGelu',
  geluGrad: 'AniraGeluGrad',
  softmax: 'AniraSoftmax',
  softmaxGrad: 'AniraSoftmaxGrad',
  adam: 'AniraAdam',
  attentionRows: 'AniraAttentionRows',
  attention: 'AniraAttention',
  attentionGrad: 'AniraAttentionGrad',
  heapMoveRows: 'AniraHeapMoveRows',
  layerRows: 'AniraLayerRows',
  mlp: 'AniraMlp',
  mlpGrad: 'AniraMlpGrad',
  attentionBlock: 'AniraAttentionBlock',
  attentionBlockGrad: 'AniraAttentionBlockGrad',
  crossEntropy: 'AniraCrossEntropy',
  crossEntropyGrad: 'AniraCrossEntropyGrad',
} as const;

/** Does `backend` register the one-kernel Adam update? */
export function hasAdamKernel(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.adam, backend) != null;
}

/** Does `backend` register the one-kernel attention of query rows (inference only)? */
export function hasAttentionRowsKernel(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.attentionRows, backend) != null;
}

/** Does `backend` register the one-call inference layer over running rows? */
export function hasLayerRowsKernel(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.layerRows, backend) != null;
}

/** Does `backend` register both kernels of training attention (forward and gradient)? */
export function hasAttentionKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.attention, backend) != null && tf.getKernel(FUSED_KERNELS.attentionGrad, backend) != null;
}

/** Does `backend` register both kernels of LayerNorm (forward and gradient)? */
export function hasLayerNormKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.layerNorm, backend) != null && tf.getKernel(FUSED_KERNELS.layerNormGrad, backend) != null;
}

/** Does `backend` register both kernels of GELU? */
export function hasGeluKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.gelu, backend) != null && tf.getKernel(FUSED_KERNELS.geluGrad, backend) != null;
}

/** Does `backend` register both kernels of the GELU MLP (forward and gradient)? */
export function hasMlpKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.mlp, backend) != null && tf.getKernel(FUSED_KERNELS.mlpGrad, backend) != null;
}

/** Does `backend` register both kernels of the training attention sub-block (forward and gradient)? */
export function hasAttentionBlockKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.attentionBlock, backend) != null && tf.getKernel(FUSED_KERNELS.attentionBlockGrad, backend) != null;
}

/** Does `backend` register both kernels of the per-token cross-entropy (forward and gradient)? */
export function hasCrossEntropyKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.crossEntropy, backend) != null && tf.getKernel(FUSED_KERNELS.crossEntropyGrad, backend) != null;
}

/** Does `backend` register both kernels of softmax? */
export function hasSoftmaxKernels(backend: string): boolean {
  return tf.getKernel(FUSED_KERNELS.softmax, backend) != null && tf.getKernel(FUSED_KERNELS.softmaxGrad, backend) != null;
}

const lnOps = new Map<number, (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D>();

/** LayerNorm of x `[M, C]` through the registered kernels, differentiable (one kernel each way). */
export function layerNormByKernel(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  let op = lnOps.get(eps);
  if (!op) {
    op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [xx, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      const [y, stats] = tf.engine().runKernel(FUSED_KERNELS.layerNorm, { x: xx, gamma: g, beta: b }, { eps }) as [tf.Tensor2D, tf.Tensor2D];
      save([xx, stats, g]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, ss, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
          return tf.engine().runKernel(FUSED_KERNELS.layerNormGrad, { dy, x: sx, stats: ss, gamma: sg }, {}) as tf.Tensor[];
        },
      };
    }) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;
    lnOps.set(eps, op);
  }
  return op(x, gamma, beta);
}

const geluOp = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.engine().runKernel(FUSED_KERNELS.gelu, { x }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx] = saved as [tf.Tensor];
      return [tf.engine().runKernel(FUSED_KERNELS.geluGrad, { dy, x: sx }, {}) as tf.Tensor];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** GELU through the registered kernels, differentiable; saves only x for the gradient. */
export function geluByKernel(x: tf.Tensor): tf.Tensor {
  return geluOp(x);
}

const softmaxOp = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const y = tf.engine().runKernel(FUSED_KERNELS.softmax, { logits }, {}) as tf.Tensor;
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sy] = saved as [tf.Tensor];
      return [tf.engine().runKernel(FUSED_KERNELS.softmaxGrad, { dy, y: sy }, {}) as tf.Tensor];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** Softmax over the last axis through the registered kernels, differentiable. */
export function softmaxByKernel(logits: tf.Tensor): tf.Tensor {
  return softmaxOp(logits);
}

const mlpOp = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, w1, b1, w2, b2, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  const [y, h] = tf.engine().runKernel(FUSED_KERNELS.mlp, { x, w1, b1, w2, b2 }, {}) as [tf.Tensor2D, tf.Tensor2D];
  save([x, h, w1, w2]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sh, sw1, sw2] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      return tf.engine().runKernel(FUSED_KERNELS.mlpGrad, { dy, x: sx, h: sh, w1: sw1, w2: sw2 }, {}) as tf.Tensor[];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D) => tf.Tensor2D;

/** `gelu(x w1 + b1) w2 + b2` for x `[M, C]` through the registered kernels, differentiable (one kernel each way). */
export function mlpByKernel(x: tf.Tensor2D, w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D): tf.Tensor2D {
  return mlpOp(x, w1, b1, w2, b2);
}
