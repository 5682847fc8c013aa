/**
 * Inference that reads once (`InferOptions.reads: 'once'`, the default on GPU
 * backends). The active mask stays on the device: every iteration computes every
 * row and keeps halted rows' state, logits and K/V with `where` (the 'masked'
 * semantics, so results equal `mode: 'masked'` bit for bit), then updates the mask
 * as `active ∧ ¬halt`. All tMax iterations are queued without a read; the halt
 * decisions, predictions and halting probabilities of every iteration are read in
 * ONE read at the end (with the policy's expected depth, if any), and the per-token
 * record (exit depth, predictions, FLOPs) is replayed from them on the host exactly
 * as the iteration-by-iteration loop records it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from './batch.js';
import { disposeLoop, disposeReplaced, iteration, startLoop, type InferOptions, type InferResult, type Loop } from './infer.js';
import { KvCache } from './kv-cache.js';
import type { BatchContext, LoopedTransformer } from './model.js';
import type { ReadLoop } from './read-loop.js';
import { densePlan, type RowPlan } from './row-plan.js';
import { activeRows } from './slots.js';
import { tidyTyped } from './tidy.js';
import { TokenRecord } from './token-record.js';

/** Every row is computed; rows whose `active [B*T, 1]` (bool, broadcast over the width) is false keep their old values. */
function deviceMaskedPlan(ctx: BatchContext, nHeads: number, active: tf.Tensor2D): RowPlan {
  const merge = (rows: tf.Tensor2D, old: tf.Tensor2D) => tf.where(active, rows, old) as tf.Tensor2D;
  return { ...densePlan(ctx, nHeads, true), kind: 'masked', merge, mergeInto: merge, rebuild: merge };
}

/** The resident loop (validation done by the caller); yields one read. */
export function* residentLoop(model: LoopedTransformer, policy: HaltingPolicy, batch: Batch, tMax: number, options: InferOptions): ReadLoop<InferResult> {
  const cfg = model.config;
  const seed = options.seed ?? 0;
  const [b, len] = [batch.batch, batch.length];
  const n = b * len;
  const init = startLoop(model, policy, batch, tMax, seed, 'device'); // embedding rows by tf.gather: no read
  const loop: Loop = { ...init, h: init.h0 };
  const cache = new KvCache(cfg.sharedLayers, n, cfg.dModel);
  let active = tf.tensor1d(Float32Array.from(batch.mask, (m) => (m > 0 ? 1 : 0))); // [B*T], 1 = running
  const perStep: tf.Tensor[] = []; // per iteration: halt, pred, prob? (each [B*T] float32), state? [B*T*C]
  let sawProb = false;
  let all: tf.Tensor | undefined;
  try {
    for (let t = 1; t <= tMax; t++) {
      const out = tidyTyped(() => {
        const running = tf.cast(tf.reshape(active, [n, 1]), 'bool') as tf.Tensor2D;
        const r = iteration(model, policy, loop, cache, deviceMaskedPlan(loop.ctx, cfg.nHeads, running), { t, tMax, seed, active: tf.reshape(active, [b, len]) });
        const halt = tf.cast(tf.greater(tf.reshape(r.halt, [n]), 0), 'float32'); // [B*T]
        const next = tf.mul(active, tf.sub(1, halt)) as tf.Tensor1D;
        // a step without a probability reads as NaN, which is what the record keeps for it
        const prob = r.prob ? tf.reshape(r.prob, [n]) : tf.fill([n], Number.NaN);
        const step = [halt, tf.cast(r.pred, 'float32'), prob, ...(options.recordStates ? [tf.reshape(r.h, [-1])] : [])];
        return { h: r.h, logits: r.logits, carry: r.carry, next, step, hasProb: r.prob !== undefined };
      });
      cache.commit();
      sawProb ||= out.hasProb;
      perStep.push(...out.step);
      if (loop.h !== loop.h0) loop.h.dispose();
      if (loop.logits !== out.logits) loop.logits.dispose();
      [loop.h, loop.logits] = [out.h, out.logits];
      if (out.carry) {
        disposeReplaced(loop.carry, out.carry);
        loop.carry = out.carry;
      }
      active.dispose();
      active = out.next;
    }
    const expected = init.expected;
    all = tf.tidy(() => tf.concat([...perStep.map((x) => tf.reshape(x, [-1])), ...(expected ? [tf.reshape(expected, [-1])] : [])]));
    const [values] = yield [all];
    return replay(model, batch, tMax, values!, sawProb, options.recordStates === true, init.expected !== undefined);
  } finally {
    all?.dispose();
    tf.dispose(perStep);
    active.dispose();
    if (init.expected && !Object.values(loop.carry).includes(init.expected) && !init.expected.isDisposed) init.expected.dispose();
    cache.dispose();
    disposeLoop(loop);
  }
}

/** The per-token record from the one read: per iteration halt, pred, prob (NaN where none), state?, then the expected depth. */
function replay(model: LoopedTransformer, batch: Batch, tMax: number, v: ArrayLike<number>, sawProb: boolean, withStates: boolean, withExpected: boolean): InferResult {
  const cfg = model.config;
  const n = batch.batch * batch.length;
  const values = v instanceof Float32Array ? v : Float32Array.from(v);
  const per = 3 * n + (withStates ? n * cfg.dModel : 0);
  const rec = new TokenRecord(cfg, batch, tMax);
  const states: Float32Array[] = [];
  let iterations = 0;
  for (let t = 1; t <= tMax; t++) {
    const idx = activeRows(rec.active);
    if (idx.length === 0) break;
    iterations = t;
    const base = (t - 1) * per;
    const halt = values.subarray(base, base + n);
    const pred = Int32Array.from(values.subarray(base + n, base + 2 * n));
    const prob = sawProb ? values.subarray(base + 2 * n, base + 3 * n) : undefined;
    rec.step(t, idx, halt, pred, prob);
    if (withStates) states.push(values.slice(base + 3 * n, base + per));
  }
  const expectedDepth = withExpected ? values.slice(tMax * per, tMax * per + n) : null;
  const result: InferResult = {
    batch: batch.batch, length: batch.length, tMax, iterations, exitDepth: rec.exitDepth, prediction: rec.prediction,
    stepPredictions: rec.stepPredictions, haltProbs: rec.sawProb ? rec.haltProbs : null, expectedDepth, flops: rec.flops,
  };
  return withStates ? { ...result, states } : result;
}
