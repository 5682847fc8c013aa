/**
 * The one-call inference layer (`AniraLayerRows`) against the same layer built from
 * the separate kernels (LayerNorm, the products, the cache row writes, attention of
 * query rows, GELU, the adds): the output rows and the written cache rows have the
 * same bits, and cache rows that did not run are left as they were. Then whole
 * inference with and without the kernel gives identical results. Where it cannot
 * run (shared cache data, stacked weights, no kernel) it returns undefined and
 * writes nothing; bad shapes are refused with a message naming the tensor.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { createForcedDepthPolicy } from '@anira/halting';
import { collate, infer, LoopedTransformer, defaultModelConfig } from '@anira/model';
import type { Example } from '@anira/tasks';
import { attentionBias, attentionRows, backendCapabilities, FUSED_KERNELS, layerNorm, layerRowsByKernel, matmul, mlp, type LayerRowsWeights } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { LAYER_ROWS_KERNEL_NAME } from './layer-kernel.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

interface Case { b: number; t: number; c: number; h: number; f: number; causal: boolean; rows?: number[] }

function weights(c: number, f: number, seed: number): LayerRowsWeights {
  const r = (shape: number[], s: number, scale = 0.3) => tf.randomNormal(shape, 0, scale, 'float32', seed * 100 + s);
  return tf.tidy(() => ({
    ln1g: tf.add(1, r([c], 1, 0.1)), ln1b: r([c], 2, 0.1), wq: r([c, c], 3), wk: r([c, c], 4), wv: r([c, c], 5), wo: r([c, c], 6),
    ln2g: tf.add(1, r([c], 7, 0.1)), ln2b: r([c], 8, 0.1), w1: r([c, f], 9), b1: r([f], 10, 0.1), w2: r([f, c], 11), b2: r([c], 12, 0.1),
  })) as LayerRowsWeights;
}

/** The layer from the separate kernels: output rows, and the caches with the rows written (copies). */
function reference(w: LayerRowsWeights, x: tf.Tensor2D, kc: tf.Tensor2D, vc: tf.Tensor2D, bias: tf.Tensor, rows: Int32Array | null, nHeads: number) {
  return tf.tidy(() => {
    const a = layerNorm(x, w.ln1g as tf.Tensor1D, w.ln1b as tf.Tensor1D) as tf.Tensor2D;
    const [q, k, v] = [w.wq, w.wk, w.wv].map((m) => matmul(a, m as tf.Tensor2D) as tf.Tensor2D) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const write = (cache: tf.Tensor2D, fresh: tf.Tensor2D) => {
      if (!rows) return fresh;
      const out = Float32Array.from(cache.dataSync());
      const src = fresh.dataSync();
      const c = cache.shape[1];
      rows.forEach((r, i) => out.set(src.subarray(i * c, i * c + c), r * c));
      return tf.tensor2d(out, cache.shape);
    };
    const kFull = write(kc, k);
    const vFull = write(vc, v);
    const y1 = tf.add(x, matmul(attentionRows(q, kFull, vFull, bias, nHeads, rows ?? undefined), w.wo as tf.Tensor2D)) as tf.Tensor2D;
    const y = tf.add(y1, mlp(layerNorm(y1, w.ln2g as tf.Tensor1D, w.ln2b as tf.Tensor1D), w.w1 as tf.Tensor2D, w.b1 as tf.Tensor1D, w.w2 as tf.Tensor2D, w.b2 as tf.Tensor1D));
    return { y: y.dataSync().slice(), k: kFull.dataSync().slice(), v: vFull.dataSync().slice() };
  });
}

// In this order, smaller calls follow larger ones, so they run in a kept scratch that holds an earlier call's floats (layer.c's layer_scratch).
const CASES: Case[] = [
  { b: 2, t: 8, c: 16, h: 2, f: 24, causal: true },
  { b: 3, t: 7, c: 12, h: 3, f: 20, causal: false },
  { b: 2, t: 64, c: 128, h: 4, f: 512, causal: true },
  { b: 4, t: 16, c: 32, h: 4, f: 64, causal: true, rows: [0, 3, 5, 17, 18, 40, 63] },
  { b: 3, t: 10, c: 20, h: 2, f: 16, causal: false, rows: [4, 10, 19, 29] },
  { b: 8, t: 64, c: 128, h: 4, f: 512, causal: true, rows: Array.from({ length: 512 }, (_, i) => i).filter((i) => (i * 37) % 5 < 2) },
  { b: 2, t: 40, c: 16, h: 2, f: 8, causal: true, rows: [...Array.from({ length: 9 }, (_, i) => i), 39, 42, ...Array.from({ length: 20 }, (_, i) => 59 + i)] },
  { b: 1, t: 1, c: 4, h: 1, f: 4, causal: true, rows: [0] },
];

describe('AniraLayerRows (native) against the separate kernels', () => {
  it('uses the contract name and shows in the capabilities', () => {
    expect(LAYER_ROWS_KERNEL_NAME).toBe(FUSED_KERNELS.layerRows);
    enableNativeKernels({ quiet: true });
    expect(backendCapabilities().layerRowsKernel).toBe(true);
    disableNativeKernels();
    expect(backendCapabilities().layerRowsKernel).toBe(false);
  });

  it.each(CASES)('the same bits, rows that did not run untouched (B $b, T $t, C $c, rows $rows.length)', (k) => {
    enableNativeKernels({ quiet: true });
    const before = tf.memory().numTensors;
    const w = weights(k.c, k.f, k.b + k.t);
    const rows = k.rows ? Int32Array.from(k.rows) : null;
    const n = rows ? rows.length : k.b * k.t;
    const mask = tf.tensor2d(Array.from({ length: k.b * k.t }, (_, i) => (i % k.t < k.t - (Math.floor(i / k.t) % 2) ? 1 : 0)), [k.b, k.t]); // odd rows end in padding
    const bias = attentionBias(mask, k.causal);
    const x = tf.randomNormal([n, k.c], 0, 1, 'float32', 1) as tf.Tensor2D;
    const kc = tf.randomNormal([k.b * k.t, k.c], 0, 1, 'float32', 2) as tf.Tensor2D;
    const vc = tf.randomNormal([k.b * k.t, k.c], 0, 1, 'float32', 3) as tf.Tensor2D;
    const [kOld, vOld] = [kc.dataSync().slice(), vc.dataSync().slice()];
    const want = reference(w, x, kc, vc, bias, rows, k.h);
    const y = layerRowsByKernel(w, x, { k: kc, v: vc }, bias, rows, { nHeads: k.h, eps: 1e-5 });
    expect(y).toBeDefined();
    expect(Array.from(y?.dataSync() ?? [])).toEqual(Array.from(want.y));
    expect(Array.from(kc.dataSync())).toEqual(Array.from(want.k));
    expect(Array.from(vc.dataSync())).toEqual(Array.from(want.v));
    if (rows) { // a row that did not run keeps its old keys (the reference copies them, this checks the kernel left them)
      const ran = new Set(rows);
      const idle = Array.from({ length: k.b * k.t }, (_, i) => i).find((i) => !ran.has(i));
      if (idle !== undefined) expect(Array.from(kc.dataSync().subarray(idle * k.c, idle * k.c + k.c))).toEqual(Array.from(kOld.subarray(idle * k.c, idle * k.c + k.c)));
      if (idle !== undefined) expect(Array.from(vc.dataSync().subarray(idle * k.c, idle * k.c + k.c))).toEqual(Array.from(vOld.subarray(idle * k.c, idle * k.c + k.c)));
    }
    tf.dispose([...Object.values(w), mask, bias, x, kc, vc, ...(y ? [y] : [])]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('declines (undefined, nothing written) with shared cache data, stacked weights or no kernel', () => {
    enableNativeKernels({ quiet: true });
    const w = weights(8, 16, 1);
    const bias = attentionBias(tf.ones([1, 4]) as tf.Tensor2D, true);
    const x = tf.ones([4, 8]) as tf.Tensor2D;
    const kc = tf.zeros([4, 8]) as tf.Tensor2D;
    const vc = tf.zeros([4, 8]) as tf.Tensor2D;
    const view = tf.reshape(kc, [32]); // shares kc's data: an in-place write would change it
    expect(layerRowsByKernel(w, x, { k: kc, v: vc }, bias, null, { nHeads: 2, eps: 1e-5 })).toBeUndefined();
    expect(Array.from(kc.dataSync()).every((z) => z === 0)).toBe(true);
    view.dispose();
    const stacked = { ...w, wq: tf.stack([w.wq, w.wq]) };
    expect(layerRowsByKernel(stacked, x, { k: kc, v: vc }, bias, null, { nHeads: 2, eps: 1e-5 })).toBeUndefined();
    disableNativeKernels();
    expect(layerRowsByKernel(w, x, { k: kc, v: vc }, bias, null, { nHeads: 2, eps: 1e-5 })).toBeUndefined();
    expect(Array.from(vc.dataSync()).every((z) => z === 0)).toBe(true);
    tf.dispose([...Object.values(w), stacked.wq, bias, x, kc, vc]);
  });

  it('refuses bad shapes with a message naming the tensor', () => {
    enableNativeKernels({ quiet: true });
    const w = weights(8, 16, 2);
    const bias = attentionBias(tf.ones([1, 4]) as tf.Tensor2D, true);
    const cache = () => tf.zeros([4, 8]) as tf.Tensor2D;
    const [kc, vc, x] = [cache(), cache(), tf.ones([4, 8]) as tf.Tensor2D];
    const badW1 = { ...w, w1: tf.zeros([8, 16]), w2: tf.zeros([12, 8]) };
    expect(() => layerRowsByKernel(badW1, x, { k: kc, v: vc }, bias, null, { nHeads: 2, eps: 1e-5 })).toThrow(/AniraLayerRows expects w2 \[16, 8\], got \[12, 8\]/);
    expect(() => layerRowsByKernel(w, x, { k: kc, v: vc }, bias, null, { nHeads: 3, eps: 1e-5 })).toThrow(/nHeads >= 1 that divides C/);
    expect(() => layerRowsByKernel(w, tf.ones([2, 8]) as tf.Tensor2D, { k: kc, v: vc }, bias, Int32Array.of(3, 1), { nHeads: 2, eps: 1e-5 })).toThrow(/strictly ascending/);
    tf.dispose([...Object.values(w), badW1.w1, badW1.w2, bias, kc, vc, x]);
    disableNativeKernels();
  });
});

describe('inference with the one-call layer', () => {
  const example = (i: number, len: number): Example => ({
    input: Array.from({ length: len }, (_, k) => 1 + ((i * 5 + k * 3) % 11)), target: Array.from({ length: len }, (_, k) => 1 + ((i + k) % 11)),
    difficulty: new Array<number>(len).fill(0), features: { static: {}, position: {}, dynamic: {} }, size: len, meta: { task: 't', params: {}, seed: i },
  });

  it.each(['causal', 'bidirectional'] as const)('gives identical results with and without it (%s, padding, 2 shared layers)', async (attention) => {
    const cfg = defaultModelConfig({ vocabSize: 12, maxLength: 12, dModel: 16, nHeads: 2, dMlp: 32, sharedLayers: 2, tMax: 5, attention, seed: 4 });
    const model = new LoopedTransformer(cfg);
    const batch = collate([example(0, 12), example(1, 9), example(2, 12), example(3, 5)], 12);
    const policy = createForcedDepthPolicy((b, t) => 1 + ((b * 7 + t * 3) % 5));
    const run = async (on: boolean) => {
      enableNativeKernels({ quiet: true });
      if (!on) tf.unregisterKernel(LAYER_ROWS_KERNEL_NAME, 'wasm');
      let r: ReturnType<typeof infer> | undefined;
      const info = await tf.profile(() => { r = infer(model, policy, batch, { recordStates: true }); });
      return { r, ran: info.kernelNames.includes(LAYER_ROWS_KERNEL_NAME) };
    };
    const before = tf.memory().numTensors;
    const a = await run(true);
    const b = await run(false);
    expect(tf.memory().numTensors).toBe(before);
    expect([a.ran, b.ran]).toEqual([true, false]);
    expect(Array.from(a.r?.exitDepth ?? [])).toEqual(Array.from(b.r?.exitDepth ?? []));
    expect(Array.from(a.r?.prediction ?? [])).toEqual(Array.from(b.r?.prediction ?? []));
    expect(a.r?.states?.map((s) => Array.from(s))).toEqual(b.r?.states?.map((s) => Array.from(s)));
    expect(a.r?.iterations).toBe(5);
    model.dispose();
  });
});
