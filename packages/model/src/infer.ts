/**
 * Inference with real compute skipping. At iteration t every active token is
 * updated; a halted token's state is frozen and active tokens keep attending to
 * its last keys/values (`KvCache`, kv-cache.ts, keeps the rows of frozen tokens
 * from their last iteration). Each iteration builds a row plan (row-plan.ts):
 * dense while every token runs, then 'packed' (only the active rows `[N, C]` go
 * through LayerNorm, the Q/K/V projections, the output projection, the MLP and
 * the head) or, with `mode: 'masked'`, every row computed and selected with
 * `where`: the same semantics without skipping, used as the test oracle. The loop
 * stops when no token is active; per-token bookkeeping is in token-record.ts.
 * The loop is one generator (`inferLoop`) that yields the tensors it must read
 * each iteration (halt mask, argmax, halting probability); `infer` reads them
 * with `dataSync`, `inferAsync` with `await data()` (see read-loop.ts).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { HaltingPolicy, PolicyCarry } from '@anira/halting';
import { deriveSeed } from '@anira/tensor';
import type { Batch } from './batch.js';
import { KvCache } from './kv-cache.js';
import type { BatchContext, LoopedTransformer } from './model.js';
import { runAsync, runSync, type ReadLoop, type ReadValues } from './read-loop.js';
import { densePlan, maskedPlan, packedPlan, runBlock, type RowPlan } from './row-plan.js';
import { defaultInferReads, defaultRowMode, type RowMode } from './rows.js';
import { residentLoop } from './infer-resident.js';
import { activeRows } from './slots.js';
import { tidyTyped } from './tidy.js';
import { TokenRecord } from './token-record.js';
import { checkBatchFits, checkPolicyFits } from './validate.js';

export interface InferOptions {
  /** Maximum iterations at inference (default: the model's training tMax; may exceed it). */
  readonly tMax?: number;
  readonly seed?: number;
  /** 'skip' (default) runs only active rows; 'masked' computes all rows (test oracle). */
  readonly mode?: 'skip' | 'masked';
  /** Record the full state `[B*T*C]` after every iteration (tests and debugging). */
  readonly recordStates?: boolean;
  /** How 'skip' gathers/scatters rows: 'host' (JS copies; default on cpu/wasm) or 'device' (tf.gather; default elsewhere). */
  readonly rowSelection?: RowMode;
  /**
   * 'each-iteration' (default on cpu, wasm, tensorflow): read the halting decisions
   * after every iteration and run only the active rows. 'once' (default on GPU
   * backends): the active mask stays on the device (every row computed, halted rows
   * kept with `where`, as in 'masked' mode), all iterations run, and the decisions,
   * predictions and probabilities are read once at the end (infer-resident.ts).
   */
  readonly reads?: 'each-iteration' | 'once';
}

/**
 * Per-token results of `infer`. `B` = `batch`, `T` = `length`; per-token arrays
 * are `[B*T]` row-major (token `t` of example `b` at `b*T + t`). Padding tokens
 * never run: depth 0, prediction -1, FLOPs 0.
 */
export interface InferResult {
  /** B: examples in the batch. */
  readonly batch: number;
  /** T: padded sequence length. */
  readonly length: number;
  /** The iteration cap used (`options.tMax` or the model's training tMax). */
  readonly tMax: number;
  /** Iterations actually executed for the batch (the deepest token's exit depth), in [0, tMax]. */
  readonly iterations: number;
  /** `[B*T]`: the iteration at which each token halted, in [1, tMax]; 0 on padding. */
  readonly exitDepth: Int32Array;
  /** `[B*T]`: argmax of the logits at each token's exit state; -1 on padding. */
  readonly prediction: Int32Array;
  /** `iterations` arrays of `[B*T]`: argmax after step t at index t-1; -1 where the token did not run step t. */
  readonly stepPredictions: readonly Int32Array[];
  /** `iterations` arrays of `[B*T]`: halting probability after step t at index t-1, NaN where not run; null when the policy gives none. */
  readonly haltProbs: readonly Float32Array[] | null;
  /** `[B*T]`: expected depth from `policy.start` (policies that plan ahead, e.g. anira-e), or null. */
  readonly expectedDepth: Float32Array | null;
  /** `[B*T]`: FLOPs executed per token, prelude included (see flops.ts). */
  readonly flops: Float64Array;
  /** With `recordStates`: `iterations` arrays of `[B*T*C]` (C = dModel), the state after each iteration. */
  readonly states?: readonly Float32Array[];
}

export function disposeReplaced(old: PolicyCarry, next: PolicyCarry): void {
  const keep = new Set(Object.values(next));
  for (const t of Object.values(old)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}

/** Run inference on a batch with `policy` deciding per-token exits (synchronous reads). */
export function infer(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, options: InferOptions = {}): InferResult {
  return runSync(inferLoop(model, policy, batch, options));
}

/**
 * `infer` with asynchronous reads (`await data()`, never `dataSync`): the same
 * semantics and bit-identical results on the same backend. Use it in browsers,
 * and on WebGPU. With `rowSelection: 'host'` (the default only on cpu/wasm) row
 * copies still read synchronously, which is free there.
 */
export function inferAsync(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, options: InferOptions = {}): Promise<InferResult> {
  return runAsync(inferLoop(model, policy, batch, options));
}


/** Tensors that live across iterations: per-batch constants, the state and the policy's carry. */
export interface Loop {
  readonly ctx: BatchContext;
  /** Shallow state `[B*T, C]`. */
  readonly h0: tf.Tensor2D;
  /** `[B, T]`, 1 for real tokens. */
  readonly mask: tf.Tensor2D;
  /** Current state `[B*T, C]` and logits `[B*T, V]`. */
  h: tf.Tensor2D;
  logits: tf.Tensor2D;
  carry: PolicyCarry;
  /**
   * Double-buffered state: the state of the iteration before last `[B*T, C]` (owned
   * by the loop, never h0), which equals `h` outside rows `ranLast` (the rows that
   * ran in the last iteration). A packed iteration builds its new state in it.
   */
  spare?: tf.Tensor2D | undefined;
  ranLast?: Int32Array | undefined;
}

/** The rows running at this iteration: dense while every row runs, else packed ('skip') or masked. */
function planFor(model: LoopedTransformer, loop: Loop, batch: Batch, idx: Int32Array, skip: boolean, mode: RowMode): RowPlan {
  const { nHeads, attention } = model.config;
  if (idx.length === batch.batch * batch.length) return densePlan(loop.ctx, nHeads, true);
  return skip ? packedPlan(loop.ctx, nHeads, idx, batch, attention === 'causal', mode) : maskedPlan(loop.ctx, nHeads, idx);
}

/**
 * One iteration (inside a tidy): the block over the running rows, the head, then the
 * policy's step (`active` `[B, T]`, 1 = running). `pred` is the argmax of the plan's
 * rows: `[N]` in the order of the running rows for a packed plan, `[B*T]` otherwise.
 * The returned `logits` may be `loop.logits` itself, updated in place.
 */
export function iteration(model: LoopedTransformer, policy: HaltingPolicy, loop: Loop, cache: KvCache, plan: RowPlan, step: { t: number; tMax: number; seed: number; active: tf.Tensor2D }) {
  const cfg = model.config;
  const [b, len, c] = [loop.ctx.batch, loop.ctx.length, cfg.dModel];
  const rowsIn = plan.select(loop.h); // [N, C]; reinjection adds the shallow state of the running rows only
  const u = cfg.reinject ? (tf.add(rowsIn, plan.select(loop.h0)) as tf.Tensor2D) : rowsIn;
  const x = runBlock(model.shared, u, plan, { nHeads: cfg.nHeads, eps: cfg.layerNormEps }, cache); // [N, C]
  // [B*T, C]: not loop.h, which the policy reads as the previous state; built in the spare buffer where it can be
  const h = loop.spare && loop.ranLast ? plan.rebuild(x, loop.h, loop.spare, loop.ranLast) : plan.merge(x, loop.h);
  const rows = model.head(x); // [N, V]
  const logits = plan.mergeInto(rows, loop.logits); // [B*T, V], loop.logits itself where written in place
  const out = policy.step({
    t: step.t, tMax: step.tMax,
    state: tf.reshape(h, [b, len, c]), previousState: tf.reshape(loop.h, [b, len, c]),
    logits: tf.reshape(logits, [b, len, cfg.vocabSize]),
    active: step.active, mask: loop.mask, carry: loop.carry, seed: deriveSeed(step.seed, `step${step.t}`),
  });
  const predRows = plan.kind === 'packed' ? ('running' as const) : ('all' as const); // pred [N]: the plan's rows
  return { h, logits, pred: tf.argMax(rows, -1), predRows, halt: out.halt, prob: out.haltProb, carry: out.carry };
}

/**
 * The loop's tensors before the first iteration, and the policy's expected depth
 * `[B, T]` if it plans ahead. With `rows`, the embedding rows are selected in that
 * row mode (the same values as training's one-hot product, which runs without it).
 */
export function startLoop(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, tMax: number, seed: number, rows?: RowMode) {
  const cfg = model.config;
  return tidyTyped(() => {
    const ctx = model.context(batch);
    const h0 = model.shallow(batch, ctx, rows); // [B*T, C]
    const mask = tf.tensor2d(batch.mask, [batch.batch, batch.length]);
    const start = policy.start?.({ shallow: tf.reshape(h0, [batch.batch, batch.length, cfg.dModel]), mask, tMax, seed: deriveSeed(seed, 'start') });
    const logits = tf.fill([batch.batch * batch.length, cfg.vocabSize], 0) as tf.Tensor2D; // fill: written in the wasm heap, no JS array
    return { ctx, h0, mask, logits, carry: start?.carry ?? ({} as PolicyCarry), expected: start?.expectedDepth };
  });
}

/** Free the loop's tensors (the carry, the state unless it is h0, the per-batch constants). */
export function disposeLoop(loop: Loop): void {
  disposeReplaced(loop.carry, {});
  if (loop.h !== loop.h0) loop.h.dispose();
  if (loop.spare && loop.spare !== loop.h && !loop.spare.isDisposed) loop.spare.dispose();
  const { ctx } = loop;
  tf.dispose([loop.h0, loop.mask, loop.logits, ctx.bias, ctx.maskRows, ...(ctx.rope ? [ctx.rope.cos, ctx.rope.sin] : [])]);
}

/** The inference loop; yields the tensors it needs read (see read-loop.ts). */
export function* inferLoop(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, options: InferOptions = {}): ReadLoop<InferResult> {
  const cfg = model.config;
  const tMax = options.tMax ?? cfg.tMax;
  if (!Number.isInteger(tMax) || tMax < 1) throw new AniraInputError(`infer: "tMax" must be an integer >= 1, got ${tMax}`);
  checkPolicyFits('infer', model, policy);
  checkBatchFits('infer', model, batch);
  if ((options.reads ?? defaultInferReads()) === 'once') return yield* residentLoop(model, policy, batch, tMax, options);
  const seed = options.seed ?? 0;
  const mode = options.rowSelection ?? defaultRowMode();
  const n = batch.batch * batch.length;
  const rec = new TokenRecord(cfg, batch, tMax);
  const states: Float32Array[] = [];
  // the masked oracle keeps training's one-hot embedding; skipping selects the rows in its row mode
  const init = startLoop(model, policy, batch, tMax, seed, options.mode === 'masked' ? undefined : mode);
  const loop: Loop = { ...init, h: init.h0 };
  const cache = new KvCache(cfg.sharedLayers, n, cfg.dModel);
  let expectedDepth: Float32Array | null = null;
  let iterations = 0;
  try {
    if (init.expected) {
      const [values] = yield [init.expected];
      expectedDepth = Float32Array.from(values!);
      if (!Object.values(init.carry).includes(init.expected)) init.expected.dispose();
    }
    for (let t = 1; t <= tMax; t++) {
      const idx = activeRows(rec.active);
      if (idx.length === 0) break;
      iterations = t;
      const active = new Float32Array(n);
      for (const i of idx) active[i] = 1;
      const out = tidyTyped(() =>
        iteration(model, policy, loop, cache, planFor(model, loop, batch, idx, options.mode !== 'masked', mode), { t, tMax, seed, active: tf.tensor2d(active, [batch.batch, batch.length]) }),
      );
      cache.commit();
      const read = [out.halt, out.pred, ...(out.prob ? [out.prob] : []), ...(options.recordStates ? [out.h] : [])];
      let values: readonly ReadValues[];
      try {
        values = yield read;
      } finally {
        tf.dispose([out.halt, out.pred, ...(out.prob ? [out.prob] : [])]);
        if (loop.spare && loop.spare !== out.h) loop.spare.dispose(); // not rebuilt this iteration
        const prev = loop.h;
        [loop.spare, loop.ranLast] = prev !== loop.h0 && prev !== out.h ? [prev, idx] : [undefined, undefined];
        if (loop.logits !== out.logits) loop.logits.dispose();
        [loop.h, loop.logits] = [out.h, out.logits];
        if (out.carry) {
          disposeReplaced(loop.carry, out.carry);
          loop.carry = out.carry;
        }
      }
      rec.step(t, idx, values[0]!, values[1]!, out.prob ? values[2] : undefined, out.predRows);
      if (options.recordStates) states.push(Float32Array.from(values[read.length - 1]!));
    }
  } finally {
    cache.dispose();
    disposeLoop(loop);
  }
  const result: InferResult = {
    batch: batch.batch, length: batch.length, tMax, iterations, exitDepth: rec.exitDepth, prediction: rec.prediction,
    stepPredictions: rec.stepPredictions, haltProbs: rec.sawProb ? rec.haltProbs : null, expectedDepth, flops: rec.flops,
  };
  return options.recordStates ? { ...result, states } : result;
}
