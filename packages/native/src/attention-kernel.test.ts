/**
 * The attention-rows kernel against @anira/tensor's composite `attentionRows`
 * (the same function with only that kernel unregistered: split heads, scaled dot
 * attention on the native products, merge): every token as a query gives the same bits; a subset of
 * query rows agrees within float rounding (the products then have other row
 * counts); causal and broadcast biases, padding, one row, odd sizes; bad inputs
 * refused with a message naming the shapes; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { attentionBias, attentionRows, backendCapabilities, FUSED_KERNELS } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_ROWS_KERNEL_NAME } from './attention-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

interface Case { b: number; t: number; c: number; h: number; causal: boolean; rows?: number[] }

/**
 * Output of `attentionRows` with the native kernels on, with or without the
 * attention-rows kernel (without it the composite runs on the native products),
 * and whether the kernel ran.
 */
async function run(kernel: boolean, k: Case): Promise<{ out: Float32Array; ran: boolean }> {
  expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
  if (!kernel) tf.unregisterKernel(ATTENTION_ROWS_KERNEL_NAME, 'wasm');
  const n = k.rows ? k.rows.length : k.b * k.t;
  const rows = k.rows ? Int32Array.from(k.rows) : undefined;
  const mask = tf.tensor2d(Array.from({ length: k.b * k.t }, (_, i) => (i % k.t < k.t - (Math.floor(i / k.t) % 2) ? 1 : 0)), [k.b, k.t]); // odd rows end in padding
  const bias = attentionBias(mask, k.causal);
  const [q, kk, v] = [[n, 1], [k.b * k.t, 2], [k.b * k.t, 3]].map(([r, s]) => tf.randomNormal([r!, k.c], 0, 1, 'float32', s)) as tf.Tensor2D[];
  let o: tf.Tensor2D | undefined;
  const info = await tf.profile(() => { o = attentionRows(q!, kk!, v!, bias, k.h, rows); });
  const out = o!.dataSync() as Float32Array;
  tf.dispose([mask, bias, q!, kk!, v!, o!]);
  return { out, ran: info.kernelNames.includes(ATTENTION_ROWS_KERNEL_NAME) };
}

const ALL: Case[] = [
  { b: 4, t: 16, c: 32, h: 4, causal: true },
  { b: 3, t: 7, c: 12, h: 3, causal: false },
  { b: 1, t: 1, c: 4, h: 1, causal: true },
  { b: 2, t: 64, c: 128, h: 4, causal: true },
];
const SOME: Case[] = [
  { b: 4, t: 16, c: 32, h: 4, causal: true, rows: [0, 3, 5, 17, 18, 40, 63] },
  { b: 3, t: 7, c: 12, h: 3, causal: false, rows: [2, 20] },
  { b: 2, t: 9, c: 8, h: 2, causal: true, rows: [17] },
  { b: 8, t: 64, c: 128, h: 4, causal: true, rows: Array.from({ length: 512 }, (_, i) => i).filter((i) => (i * 37) % 5 < 2) },
  // one or two queries per batch row, padding and the first and last positions included: the
  // per-query path where dh is a multiple of 8 (exact_queries, with AVX2), else the plain loops (SMALL_M)
  { b: 8, t: 64, c: 128, h: 4, causal: true, rows: [0, 64 + 63, 128 + 5, 128 + 40, 192 + 62, 256 + 31, 320 + 1, 320 + 2, 384 + 63, 448 + 17] },
  { b: 3, t: 10, c: 20, h: 2, causal: false, rows: [4, 10, 19, 29] },
  // 16 and 17 queries in a batch row (dh 8): the last count of the per-query path, and the first of the groups
  { b: 2, t: 24, c: 16, h: 2, causal: true, rows: [...Array.from({ length: 16 }, (_, i) => i + 3), ...Array.from({ length: 17 }, (_, i) => 24 + 6 + i)] },
  // more queries per batch row than a group (8): several groups, each over the keys its queries see
  { b: 4, t: 24, c: 16, h: 2, causal: false, rows: Array.from({ length: 96 }, (_, i) => i).filter((i) => i % 3 !== 0) },
  { b: 2, t: 40, c: 16, h: 2, causal: true, rows: [...Array.from({ length: 9 }, (_, i) => i), 39, 40 + 2, ...Array.from({ length: 20 }, (_, i) => 40 + 19 + i)] },
];

describe('AniraAttentionRows (native) against the composite', () => {
  it('uses the contract name and shows in the capabilities', () => {
    expect(ATTENTION_ROWS_KERNEL_NAME).toBe(FUSED_KERNELS.attentionRows);
    enableNativeKernels({ quiet: true });
    expect(backendCapabilities().attentionRowsKernel).toBe(true);
    disableNativeKernels();
    expect(backendCapabilities().attentionRowsKernel).toBe(false);
  });

  it.each(ALL)('every token a query: the same bits (B $b, T $t, C $c, H $h, causal $causal)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.ran).toBe(true);
    expect(b.ran).toBe(false);
    expect(Array.from(a.out)).toEqual(Array.from(b.out));
  });

  it.each(SOME)('a subset of query rows: within 1e-5 (B $b, T $t, causal $causal)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.ran).toBe(true);
    expect(a.out.length).toBe(k.rows!.length * k.c);
    a.out.forEach((x, i) => expect(Math.abs(x - b.out[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(b.out[i]!))));
  });

  it('refuses bad shapes and rows with a message, and leaves no tensor behind', () => {
    enableNativeKernels({ quiet: true });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const kv = tf.zeros([2 * 4, 8]) as tf.Tensor2D;
      const bias = tf.zeros([2, 1, 4, 4]);
      expect(() => attentionRows(tf.zeros([8, 6]) as tf.Tensor2D, kv, kv, bias, 2)).toThrow(/AniraAttentionRows expects q \[N, C\] and k, v \[B\*T, C\].*q \[8, 6\]/);
      expect(() => attentionRows(tf.zeros([8, 8]) as tf.Tensor2D, kv, kv, bias, 3)).toThrow(/nHeads >= 1 that divides C/);
      expect(() => attentionRows(tf.zeros([2, 8]) as tf.Tensor2D, kv, kv, bias, 2, Int32Array.of(3, 1))).toThrow(/strictly ascending/);
      expect(() => attentionRows(tf.zeros([1, 8]) as tf.Tensor2D, kv, kv, bias, 2, Int32Array.of(8))).toThrow(/strictly ascending token rows in \[0, batch \* t\)/);
      const ok = attentionRows(tf.ones([2, 8]) as tf.Tensor2D, kv, kv, bias, 2, Int32Array.of(1, 6));
      expect(ok.shape).toEqual([2, 8]);
    });
    expect(tf.memory().numTensors).toBe(before);
    disableNativeKernels();
  });
});
