/**
 * Which rows of the full `[B*T, C]` state run in one iteration, and the one
 * row-iteration function every loop over the shared block goes through
 * (`runBlock`: training's dense `model.iterate`, and both inference modes).
 * A plan, built inside the iteration's tidy:
 * - 'dense': every row runs (training; inference while no token has halted);
 * - 'masked': every row is computed, and rows that did not run keep their old
 *   values through `where` (inference's test oracle, no skipping);
 * - 'packed': only the N active rows run `[N, C]`; rows are gathered and scattered
 *   back (see rows.ts); attention runs the N queries through tensor's
 *   `attentionRows` kernel, or, on a backend without it, packs each batch row's
 *   active queries into S slots (see slots.ts).
 * The masked plan stays the reference the packed one is tested against. The
 * dense and masked plans built for inference, and the packed plan where the
 * backend has the kernel, attend through tensor's `attentionRows`, which has no
 * gradient; training's dense plan keeps the differentiable `attendAll`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attentionRows, backendCapabilities, layerRowsByKernel } from '@anira/tensor';
import type { Batch } from './batch.js';
import type { KvCache } from './kv-cache.js';
import { attendAll, attendQueries, denseLayer, finishRows, projectQkv, type RopeRows } from './layer.js';
import type { BatchContext } from './model.js';
import type { LayerParams } from './params.js';
import { gatherRows, rebuildRows, scatterRows, writeRows, type RowMode } from './rows.js';
import { querySlots } from './slots.js';

export interface RowPlan {
  readonly kind: 'dense' | 'masked' | 'packed';
  /** RoPE tables of the running rows `[N, dh]`, when positions are 'rope'. */
  readonly rope: RopeRows | undefined;
  /** The running rows of full rows `[B*T, W] -> [N, W]` (N = B*T unless packed). */
  select(x: tf.Tensor2D): tf.Tensor2D;
  /** Full rows `[B*T, W]`: running rows from `rows [N, W]`, the others from `old [B*T, W]`. */
  merge(rows: tf.Tensor2D, old: tf.Tensor2D): tf.Tensor2D;
  /**
   * `merge` for an `old` the caller owns alone: the packed plan writes the running
   * rows into `old` in place where the backend allows it and returns `old` itself
   * (see rows.ts `writeRows`); otherwise the same as `merge`. The caller compares
   * the result with `old` before disposing either.
   */
  mergeInto(rows: tf.Tensor2D, old: tf.Tensor2D): tf.Tensor2D;
  /**
   * `merge` built in `spare`, which equals `old` outside rows `stale` and which the
   * caller owns alone: the packed plan writes into `spare` in place where the backend
   * allows it and returns `spare` (see rows.ts `rebuildRows`); otherwise `merge`.
   */
  rebuild(rows: tf.Tensor2D, old: tf.Tensor2D, spare: tf.Tensor2D, stale: Int32Array): tf.Tensor2D;
  /** Attention rows `[N, C]` of the running queries `q [N, C]` over full keys/values `[B*T, C]`. */
  attend(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D;
  /**
   * Inference plans whose layers may run as one kernel (tensor's `layerRowsByKernel`),
   * where the backend has it: the token rows that run (null: every token) and the
   * attention bias. Undefined for training's dense plan and for the masked plan
   * (its frozen rows keep their old keys through `where`, which the kernel's
   * in-place cache write would not).
   */
  readonly oneCallLayer?: { readonly rows: Int32Array | null; readonly bias: tf.Tensor } | undefined;
  /** Training's dense plan: the batch shape and attention bias `[B, 1, T, T]` its layers run with (layer.ts's `denseLayer`). */
  readonly training?: { readonly batch: number; readonly length: number; readonly bias: tf.Tensor } | undefined;
}

/** Every row runs: dense attention with the batch's bias (`inference`: tensor's `attentionRows`, no gradient). */
export function densePlan(ctx: BatchContext, nHeads: number, inference = false): RowPlan {
  return {
    kind: 'dense', rope: ctx.rope,
    select: (x) => x,
    merge: (rows) => rows,
    mergeInto: (rows) => rows,
    rebuild: (rows) => rows,
    attend: (q, k, v) => (inference ? attentionRows(q, k, v, ctx.bias, nHeads) : attendAll(q, k, v, ctx.batch, ctx.length, nHeads, ctx.bias)),
    oneCallLayer: inference && backendCapabilities().layerRowsKernel ? { rows: null, bias: ctx.bias } : undefined,
    training: inference ? undefined : { batch: ctx.batch, length: ctx.length, bias: ctx.bias },
  };
}

/** Every row is computed; only rows `idx` (ascending, into `[B*T]`) take new values. */
export function maskedPlan(ctx: BatchContext, nHeads: number, idx: Int32Array): RowPlan {
  const n = ctx.batch * ctx.length;
  // Full-shape bool conditions `[B*T, width]` built on the host (broadcasting `where` and `tf.tile` are slow on wasm).
  const conds = new Map<number, tf.Tensor>();
  const cond = (width: number) => {
    let c = conds.get(width);
    if (!c) {
      const data = new Uint8Array(n * width);
      for (const i of idx) data.fill(1, i * width, i * width + width);
      c = tf.tensor2d(data, [n, width], 'bool');
      conds.set(width, c);
    }
    return c;
  };
  const merge = (rows: tf.Tensor2D, old: tf.Tensor2D) => tf.where(cond(rows.shape[1]), rows, old) as tf.Tensor2D;
  return { ...densePlan(ctx, nHeads, true), kind: 'masked', merge, mergeInto: merge, rebuild: merge, oneCallLayer: undefined };
}

/**
 * Only rows `idx` run, `[N, C]`. Attention runs the N queries as they are where the
 * backend has the attention-rows kernel; otherwise it packs each batch row's active
 * queries into slots.
 */
export function packedPlan(ctx: BatchContext, nHeads: number, idx: Int32Array, batch: Batch, causal: boolean, mode: RowMode): RowPlan {
  const caps = backendCapabilities();
  return {
    kind: 'packed',
    rope: ctx.rope ? { cos: gatherRows(ctx.rope.cos, idx, mode), sin: gatherRows(ctx.rope.sin, idx, mode) } : undefined,
    select: (x) => gatherRows(x, idx, mode),
    merge: (rows, old) => scatterRows(rows, old, idx, mode),
    mergeInto: (rows, old) => writeRows(rows, old, idx, mode),
    rebuild: (rows, old, spare, stale) => rebuildRows(rows, old, idx, spare, stale, mode),
    attend: caps.attentionRowsKernel
      ? (q, k, v) => attentionRows(q, k, v, ctx.bias, nHeads, idx) // [N, C]
      : slotAttention(idx, batch, causal, nHeads, mode),
    oneCallLayer: caps.layerRowsKernel ? { rows: idx, bias: ctx.bias } : undefined,
  };
}

/** Attention of the active queries packed into per-batch-row slots (slots.ts): `[N, C] -> [B*S, C] -> [N, C]`. */
function slotAttention(idx: Int32Array, batch: Batch, causal: boolean, nHeads: number, mode: RowMode): RowPlan['attend'] {
  const { batch: b, length: len } = batch;
  const slots = querySlots(idx, b, len, batch.mask, causal);
  const bias = tf.tensor4d(slots.bias, [b, 1, slots.width, len]);
  const shape = { batch: b, queries: slots.width, length: len, nHeads, bias };
  return (q, k, v) => gatherRows(attendQueries(gatherRows(q, slots.source, mode), k, v, shape), slots.slotOf, mode);
}

/**
 * One pass of `layers` over the running rows `x [N, C]` under `plan`. With a
 * cache, each layer's keys/values are merged into it and attention reads the
 * merged full rows (frozen tokens stay attendable); without one (training) the
 * plan must be dense, and each layer is layer.ts's `denseLayer`. Where the plan
 * allows it (`oneCallLayer`, no RoPE) and the backend has the kernel, a layer runs
 * as one call that writes its keys and values into the cache in place (tensor's
 * `layerRowsByKernel`: the same operations).
 */
export function runBlock(
  layers: readonly LayerParams[], x: tf.Tensor2D, plan: RowPlan, dims: { nHeads: number; eps: number }, cache?: KvCache,
): tf.Tensor2D {
  if (!cache && plan.kind !== 'dense') throw new Error(`runBlock: a "${plan.kind}" plan needs a K/V cache`);
  layers.forEach((p, r) => {
    if (!cache && plan.training) {
      x = denseLayer(p, x, { ...plan.training, nHeads: dims.nHeads, eps: dims.eps, rope: plan.rope }); // training: every row, differentiable
      return;
    }
    const one = plan.oneCallLayer && !plan.rope ? plan.oneCallLayer : undefined;
    const y = one && cache ? layerRowsByKernel(p, x, cache.read(r, one.rows === null), one.bias, one.rows, dims) : undefined;
    if (y) {
      x = y;
      return;
    }
    const { q, k, v } = projectQkv(p, x, dims.nHeads, dims.eps, plan.rope);
    const full = cache ? cache.update(r, k, v, plan) : { k, v };
    x = finishRows(p, x, plan.attend(q, full.k, full.v), dims.eps);
  });
  return x;
}
