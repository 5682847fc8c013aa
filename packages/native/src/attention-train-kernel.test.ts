/**
 * The training attention kernels against @anira/tensor's composite `attendTokens`
 * (the same function with the two kernels unregistered: split heads, scaled dot
 * attention on the native products, merge): the forward gives the same bits, the
 * gradients of q, k and v agree within 1e-5 relative; causal and broadcast biases,
 * padding, one token, odd sizes and the W1 shape; bad inputs refused with a
 * message naming the shapes; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { attendTokens, FUSED_KERNELS } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_KERNEL_NAMES } from './attention-train-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { ATTENTION_CASES, expectContract, paddedBias, type AttentionCase } from './testing/kernel-pair.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

type Case = AttentionCase;

interface Result { o: Float32Array; grads: Float32Array[]; kernels: string[] }

/** Output and gradients of sum(attendTokens(...) * w) with the native kernels on, with or without the two attention kernels. */
async function run(kernel: boolean, k: Case): Promise<Result> {
  expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
  if (!kernel) for (const name of Object.values(ATTENTION_KERNEL_NAMES)) tf.unregisterKernel(name, 'wasm');
  const bias = paddedBias(k); // odd rows end in padding
  const [q, kk, v, w] = [1, 2, 3, 4].map((s) => tf.randomNormal([k.b * k.t, k.c], 0, 1, 'float32', s)) as tf.Tensor2D[];
  let o: tf.Tensor | undefined;
  let grads: tf.Tensor[] = [];
  const info = await tf.profile(() => {
    o = attendTokens(q!, kk!, v!, bias, k.h);
    grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(attendTokens(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, bias, k.h), w!)))([q!, kk!, v!]);
  });
  const out = { o: o!.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array), kernels: info.kernelNames };
  tf.dispose([bias, q!, kk!, v!, w!, o!, ...grads]);
  return out;
}

const CASES: Case[] = [...ATTENTION_CASES, { b: 4, t: 64, c: 128, h: 4, causal: true }];

const close = (a: Float32Array, b: Float32Array) => a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b[i]!))));

describe('AniraAttention and AniraAttentionGrad (native) against the composite', () => {
  it('use the contract names and show in the capabilities', () => {
    expectContract(ATTENTION_KERNEL_NAMES, { attention: FUSED_KERNELS.attention, attentionGrad: FUSED_KERNELS.attentionGrad }, 'attentionKernel');
  });

  it.each(CASES)('forward bits equal, gradients within 1e-5 (B $b, T $t, C $c, H $h, causal $causal)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.kernels).toEqual(expect.arrayContaining([FUSED_KERNELS.attention, FUSED_KERNELS.attentionGrad]));
    expect(a.kernels).not.toContain('Transpose');
    expect(b.kernels).not.toContain(FUSED_KERNELS.attention);
    expect(Array.from(a.o)).toEqual(Array.from(b.o));
    expect(a.grads).toHaveLength(3);
    a.grads.forEach((g, i) => close(g, b.grads[i]!));
    // the gradients are not all zero (the check above would then be empty); with one key
    // the softmax is constant, so only v's gradient is
    a.grads.forEach((g, i) => expect(g.some((x) => Math.abs(x) > 1e-3)).toBe(k.t > 1 || i === 2));
  });

  it('refuses bad shapes with a message, and leaves no tensor behind', () => {
    enableNativeKernels({ quiet: true });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const kv = tf.zeros([2 * 4, 8]) as tf.Tensor2D;
      const bias = tf.zeros([2, 1, 4, 4]);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.attention, { q: tf.zeros([8, 6]), k: kv, v: kv, bias }, { nHeads: 2 })).toThrow(/AniraAttention expects \[B\*T, C\] rows.*k \[8, 8\].*q \[8, 6\]/);
      expect(() => attendTokens(tf.zeros([8, 8]) as tf.Tensor2D, kv, kv, bias, 3)).toThrow(/nHeads >= 1 that divides C/);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.attentionGrad, { dy: kv, q: kv, k: kv, v: kv, p: tf.zeros([2, 3, 4, 4]) }, { nHeads: 2 })).toThrow(/expects p \[B, H, T, T\] with H = nHeads/);
      const g = tf.grad((x: tf.Tensor) => tf.sum(attendTokens(x as tf.Tensor2D, kv, kv, bias, 2)))(tf.ones([8, 8]));
      expect(g.shape).toEqual([8, 8]);
    });
    expect(tf.memory().numTensors).toBe(before);
    disableNativeKernels();
  });
});
