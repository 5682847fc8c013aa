/**
 * One pre-LN Transformer layer, split into three row-wise pieces so that dense
 * training, masked inference and row-gathered (compute-skipping) inference share
 * the same code:
 *   1. `projectQkv`: LayerNorm + separate Q/K/V projections of the rows that run;
 *   2. `attendAll`: dense attention of all queries over all keys of each batch row;
 *   3. `finishRows`: output projection + residual, then LayerNorm + GELU MLP + residual.
 * Rows are `[M, C]`; full-batch rows are `[B*T, C]` in batch-major order. With
 * stacked weights (`[K, ...]`, see stacked.ts) the batch holds K replicas' batches
 * one after the other and each replica's rows meet its own weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyRope, attendTokens, attentionBlock, backendCapabilities, mergeHeads, replicaLayerNorm, replicaMatmul, replicaMlp, scaledDotAttention, splitHeads } from '@anira/tensor';
import type { LayerParams } from './params.js';

export interface RopeRows {
  /** Per-row tables `[M, dh]` for the rows being projected. */
  readonly cos: tf.Tensor2D;
  readonly sin: tf.Tensor2D;
}

/** Q/K/V for rows `x [M, C]` (RoPE applied to Q and K when given). */
export function projectQkv(
  p: LayerParams,
  x: tf.Tensor2D,
  nHeads: number,
  eps: number,
  rope?: RopeRows,
): { q: tf.Tensor2D; k: tf.Tensor2D; v: tf.Tensor2D } {
  const a = replicaLayerNorm(x, p.ln1g, p.ln1b, eps); // [M, C]
  let q = replicaMatmul(a, p.wq) as tf.Tensor2D; // [M, C]
  let k = replicaMatmul(a, p.wk) as tf.Tensor2D;
  const v = replicaMatmul(a, p.wv) as tf.Tensor2D;
  if (rope) {
    q = applyRope(q, nHeads, rope.cos, rope.sin);
    k = applyRope(k, nHeads, rope.cos, rope.sin);
  }
  return { q, k, v };
}

/**
 * Attention output rows `[B*T, C]` from full q, k, v `[B*T, C]` and bias `[B, 1, T, T]`
 * (tensor's `attendTokens`: one kernel each way where the backend has them).
 */
export function attendAll(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  batch: number,
  length: number,
  nHeads: number,
  bias: tf.Tensor,
): tf.Tensor2D {
  checkBias('attendAll', bias, batch, length);
  return attendTokens(q, k, v, bias, nHeads);
}

function checkBias(where: string, bias: tf.Tensor, batch: number, length: number): void {
  if (bias.shape[0] !== batch || bias.shape[3] !== length) throw new Error(`${where}: bias [${bias.shape.join(', ')}] does not match batch ${batch} and length ${length}`);
}

/**
 * Attention of `queries` query rows per batch row, q `[B*S, C]` (S = queries), over
 * all keys k, v `[B*T, C]`, with bias `[B, 1, S, T]`; returns `[B*S, C]`. Skipping
 * inference packs each row's active queries into S slots, so the batched score
 * and value products shrink with the number of active tokens.
 */
export function attendQueries(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  v: tf.Tensor2D,
  shape: { batch: number; queries: number; length: number; nHeads: number; bias: tf.Tensor },
): tf.Tensor2D {
  const { batch, queries, length, nHeads, bias } = shape;
  const c = q.shape[1];
  const heads = (x: tf.Tensor2D, n: number) => splitHeads(tf.reshape(x, [batch, n, c]), nHeads); // [B, H, n, dh]
  const o = scaledDotAttention(heads(q, queries), heads(k, length), heads(v, length), bias); // [B, H, S, dh]
  return tf.reshape(mergeHeads(o), [batch * queries, c]);
}

/** Residual output projection then residual MLP for rows `x [M, C]`, attention rows `o [M, C]`. */
export function finishRows(p: LayerParams, x: tf.Tensor2D, o: tf.Tensor2D, eps: number): tf.Tensor2D {
  return residualMlp(p, tf.add(x, replicaMatmul(o, p.wo)) as tf.Tensor2D, eps);
}

/** `y + mlp(LayerNorm2(y))` for rows `y [M, C]`. */
function residualMlp(p: LayerParams, y: tf.Tensor2D, eps: number): tf.Tensor2D {
  const a = replicaLayerNorm(y, p.ln2g, p.ln2b, eps);
  const m = replicaMlp(a, p.w1, p.b1, p.w2, p.b2);
  return tf.add(y, m) as tf.Tensor2D;
}

/**
 * A whole dense layer over every row `[B*T, C]`. Without RoPE and with one replica's
 * weights, where the backend has tensor's attention-block kernel, the projections,
 * attention and output projection run as that one kernel each way (the same bits,
 * less memory kept by a gradient step); otherwise `projectQkv`, `attendAll`, `finishRows`.
 */
export function denseLayer(
  p: LayerParams,
  x: tf.Tensor2D,
  shape: { batch: number; length: number; nHeads: number; eps: number; bias: tf.Tensor; rope?: RopeRows | undefined },
): tf.Tensor2D {
  if (!shape.rope && p.wq.rank === 2 && backendCapabilities().attentionBlockKernel) {
    checkBias('denseLayer', shape.bias, shape.batch, shape.length);
    const a = replicaLayerNorm(x, p.ln1g, p.ln1b, shape.eps) as tf.Tensor2D; // [B*T, C]
    const z = attentionBlock(a, p.wq as tf.Tensor2D, p.wk as tf.Tensor2D, p.wv as tf.Tensor2D, p.wo as tf.Tensor2D, shape.bias, shape.nHeads); // [B*T, C]
    return residualMlp(p, tf.add(x, z) as tf.Tensor2D, shape.eps);
  }
  const { q, k, v } = projectQkv(p, x, shape.nHeads, shape.eps, shape.rope);
  const o = attendAll(q, k, v, shape.batch, shape.length, shape.nHeads, shape.bias);
  return finishRows(p, x, o, shape.eps);
}
