/**
 * Inference with real compute skipping. At iteration t every active token is
 * updated; a halted token's state is frozen and active tokens keep attending to
 * its last keys/values (a K/V cache per shared layer keeps the rows of frozen
 * tokens from their last iteration). Only active rows go through LayerNorm, the
 * Q/K/V projections, the output projection, the MLP and the head (gathered rows
 * [N, C], scattered back with a gather from concat([rows, zeroRow]) and `where`);
 * attention is dense over each batch row's keys. The loop stops when no token is
 * active. `mode: 'masked'` computes every row and selects with `where` instead:
 * the same semantics without skipping, used as a test oracle.
 * The loop is one generator (`inferLoop`) that yields the tensors it must read
 * each iteration (halt mask, argmax, halting probability); `infer` reads them
 * with `dataSync`, `inferAsync` with `await data()` (see read-loop.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HaltingPolicy, PolicyCarry } from '@anira/halting';
import { deriveSeed } from '@anira/tensor';
import type { Batch } from './batch.js';
import { tidyTyped } from './tidy.js';
import type { LoopedTransformer } from './model.js';
import { attendAll, attendQueries, finishRows, projectQkv } from './layer.js';
import { defaultRowMode, gatherRows, scatterRows, type RowMode } from './rows.js';
import { activeRows, querySlots } from './slots.js';
import { iterationFlops, keysAttended, layerFlops } from './flops.js';
import { runAsync, runSync, type ReadLoop, type ReadValues } from './read-loop.js';

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
}

/** Per-token results; arrays are `[B*T]` row-major, padding has depth 0 and prediction -1. */
export interface InferResult {
  readonly batch: number;
  readonly length: number;
  readonly tMax: number;
  /** Iterations actually executed for the batch. */
  readonly iterations: number;
  readonly exitDepth: Int32Array;
  /** Argmax of the logits at the exit state. */
  readonly prediction: Int32Array;
  /** Argmax after each executed step t (index t-1); -1 where the token did not run step t. */
  readonly stepPredictions: readonly Int32Array[];
  /** Halting probability after each step, NaN where not run; null when the policy gives none. */
  readonly haltProbs: readonly Float32Array[] | null;
  /** Expected depth from `policy.start`, or null. */
  readonly expectedDepth: Float32Array | null;
  /** FLOPs executed per token (see flops.ts). */
  readonly flops: Float64Array;
  /** States after each iteration `[B*T*C]` when `recordStates`. */
  readonly states?: readonly Float32Array[];
}

function disposeReplaced(old: PolicyCarry, next: PolicyCarry): void {
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

/** The inference loop; yields the tensors it needs read (see read-loop.ts). */
export function* inferLoop(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, options: InferOptions = {}): ReadLoop<InferResult> {
  const cfg = model.config;
  const tMax = options.tMax ?? cfg.tMax;
  if (!Number.isInteger(tMax) || tMax < 1) throw new Error(`infer: "tMax" must be an integer >= 1, got ${tMax}`);
  const seed = options.seed ?? 0;
  const skip = (options.mode ?? 'skip') === 'skip';
  const { batch: b, length: len } = batch;
  const n = b * len;
  const c = cfg.dModel;
  const causal = cfg.attention === 'causal';
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = keysAttended(batch.mask, Math.floor(i / len) * len, len, i % len, causal);

  const exitDepth = new Int32Array(n);
  const prediction = new Int32Array(n).fill(-1);
  const flops = new Float64Array(n);
  const stepPredictions: Int32Array[] = [];
  const haltProbs: Float32Array[] = [];
  let sawProb = false;
  const states: Float32Array[] = [];
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    active[i] = batch.mask[i]! > 0 ? 1 : 0;
    if (active[i]) flops[i] = cfg.preludeLayers * layerFlops(cfg, keys[i]!);
  }

  const init = tidyTyped(() => {
    const ctx = model.context(batch);
    const h0 = model.shallow(batch, ctx); // [B*T, C]
    const mask = tf.tensor2d(batch.mask, [b, len]);
    const start = policy.start?.({ shallow: tf.reshape(h0, [b, len, c]), mask, tMax, seed: deriveSeed(seed, 'start') });
    const kv = model.shared.map(() => tf.zeros([n, c]) as tf.Tensor2D);
    return {
      ctx, h0, mask, kCache: kv, vCache: model.shared.map(() => tf.zeros([n, c]) as tf.Tensor2D),
      logits: tf.zeros([n, cfg.vocabSize]) as tf.Tensor2D,
      carry: start?.carry ?? {}, expected: start?.expectedDepth,
    };
  });
  const { ctx, h0, mask } = init;
  let expectedDepth: Float32Array | null = null;
  if (init.expected) {
    const [values] = yield [init.expected];
    expectedDepth = Float32Array.from(values!);
    if (!Object.values(init.carry).includes(init.expected)) init.expected.dispose();
  }
  let h = h0;
  let kCache = init.kCache;
  let vCache = init.vCache;
  let logits = init.logits;
  let carry: PolicyCarry = init.carry;
  let iterations = 0;

  const rowMode = options.rowSelection ?? defaultRowMode();
  for (let t = 1; t <= tMax; t++) {
    const idx = activeRows(active);
    if (idx.length === 0) break;
    const activeF = new Float32Array(n);
    for (const i of idx) activeF[i] = 1;
    iterations = t;
    const out = tidyTyped(() => {
      // Every row active (no padding, nobody halted): plain dense compute, nothing to select.
      const dense = idx.length === n;
      const packed = skip && !dense;
      const u = cfg.reinject ? (tf.add(h, h0) as tf.Tensor2D) : h; // [B*T, C]
      const ks: tf.Tensor2D[] = [];
      const vs: tf.Tensor2D[] = [];
      let hNew: tf.Tensor2D;
      let logitsNew: tf.Tensor2D;
      if (packed) {
        // Active rows only: [N, C]; each batch row's active queries packed into S slots.
        const slots = querySlots(idx, b, len, batch.mask, causal);
        const slotBias = tf.tensor4d(slots.bias, [b, 1, slots.width, len]);
        let xa = gatherRows(u, idx, rowMode); // [N, C]
        const rope = ctx.rope ? { cos: gatherRows(ctx.rope.cos, idx, rowMode), sin: gatherRows(ctx.rope.sin, idx, rowMode) } : undefined;
        model.shared.forEach((p, r) => {
          const { q, k, v } = projectQkv(p, xa, cfg.nHeads, cfg.layerNormEps, rope);
          const kFull = scatterRows(k, kCache[r]!, idx, rowMode); // [B*T, C]
          const vFull = scatterRows(v, vCache[r]!, idx, rowMode);
          const qSlots = gatherRows(q, slots.source, rowMode); // [B*S, C]
          const shape = { batch: b, queries: slots.width, length: len, nHeads: cfg.nHeads, bias: slotBias };
          const o = gatherRows(attendQueries(qSlots, kFull, vFull, shape), slots.slotOf, rowMode); // [N, C]
          xa = finishRows(p, xa, o, cfg.layerNormEps);
          ks.push(kFull);
          vs.push(vFull);
        });
        hNew = scatterRows(xa, h, idx, rowMode);
        logitsNew = scatterRows(model.head(xa), logits, idx, rowMode); // [B*T, V]
      } else {
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
        const full = (r: tf.Tensor2D, old: tf.Tensor2D): tf.Tensor2D => (dense ? r : (tf.where(cond(r.shape[1]), r, old) as tf.Tensor2D));
        let xa = u;
        model.shared.forEach((p, r) => {
          const { q, k, v } = projectQkv(p, xa, cfg.nHeads, cfg.layerNormEps, ctx.rope);
          const kFull = full(k, kCache[r]!);
          const vFull = full(v, vCache[r]!);
          xa = finishRows(p, xa, attendAll(q, kFull, vFull, b, len, cfg.nHeads, ctx.bias), cfg.layerNormEps);
          ks.push(kFull);
          vs.push(vFull);
        });
        hNew = full(xa, h);
        logitsNew = full(model.head(xa), logits); // [B*T, V]
      }
      const step = policy.step({
        t, tMax,
        state: tf.reshape(hNew, [b, len, c]), previousState: tf.reshape(h, [b, len, c]),
        logits: tf.reshape(logitsNew, [b, len, cfg.vocabSize]),
        active: tf.tensor2d(activeF, [b, len]), mask, carry, seed: deriveSeed(seed, `step${t}`),
      });
      return {
        h: hNew, ks, vs, logits: logitsNew, pred: tf.argMax(logitsNew, -1),
        halt: step.halt, prob: step.haltProb, carry: step.carry,
      };
    });
    const read = [out.halt, out.pred, ...(out.prob ? [out.prob] : []), ...(options.recordStates ? [out.h] : [])];
    const values = yield read;
    const [halt, pred] = values as [ReadValues, ReadValues];
    const prob = out.prob ? values[2] : undefined;
    if (options.recordStates) states.push(Float32Array.from(values[read.length - 1]!));
    const sp = new Int32Array(n).fill(-1);
    const hp = new Float32Array(n).fill(NaN);
    for (const i of idx) {
      sp[i] = pred[i]!;
      if (prob) hp[i] = prob[i]!;
      flops[i]! += iterationFlops(cfg, keys[i]!);
      if (halt[i]! > 0 || t === tMax) {
        active[i] = 0;
        exitDepth[i] = t;
        prediction[i] = pred[i]!;
      }
    }
    stepPredictions.push(sp);
    haltProbs.push(hp);
    sawProb ||= prob !== undefined;
    tf.dispose([out.halt, out.pred, ...(out.prob ? [out.prob] : [])]);
    if (h !== h0) h.dispose();
    tf.dispose([...kCache, ...vCache, logits]);
    h = out.h;
    kCache = out.ks;
    vCache = out.vs;
    logits = out.logits;
    if (out.carry) {
      disposeReplaced(carry, out.carry);
      carry = out.carry;
    }
  }
  disposeReplaced(carry, {});
  if (h !== h0) h.dispose();
  tf.dispose([h0, mask, ctx.bias, ctx.maskRows, ...(ctx.rope ? [ctx.rope.cos, ctx.rope.sin] : [])]);
  tf.dispose([...kCache, ...vCache, logits]);
  const result: InferResult = {
    batch: b, length: len, tMax, iterations, exitDepth, prediction, stepPredictions,
    haltProbs: sawProb ? haltProbs : null, expectedDepth, flops,
  };
  return options.recordStates ? { ...result, states } : result;
}
