/**
 * The attention-block kernels against @anira/tensor's composite `attentionBlock` (the
 * same function with the two kernels unregistered: the projections on the native
 * products, `AniraAttention` and its gradient, the output projection): the output and
 * the five gradients (a, wq, wk, wv, wo) have the same bits, since
 * csrc/attention-block.c makes the same calls and sums a's gradient in the tape's
 * order; causal and broadcast biases, padding, one token, odd sizes and the W1
 * shape. Then what the kernels are for: a gradient step keeps fewer bytes alive at its
 * peak; bad inputs are refused with a message naming the shapes; no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { attentionBlock, FUSED_KERNELS } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_BLOCK_KERNEL_NAMES } from './attention-block-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { ATTENTION_CASES, expectContract, paddedBias, runPair, type AttentionCase, type PairRun } from './testing/kernel-pair.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

type Case = AttentionCase;

/** Output and gradients (a, wq, wk, wv, wo) of `attentionBlock`, native kernels on, with or without the block pair. */
async function run(kernel: boolean, k: Case): Promise<PairRun> {
  const bias = paddedBias(k); // odd rows end in padding
  const inputs = () => [tf.randomNormal([k.b * k.t, k.c], 0, 1, 'float32', 1), ...[2, 3, 4, 5].map((s) => tf.randomNormal([k.c, k.c], 0, 0.4, 'float32', s))];
  const f = (...xs: tf.Tensor[]) => attentionBlock(...(xs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]), bias, k.h);
  const out = await runPair(f, inputs, kernel ? [] : Object.values(ATTENTION_BLOCK_KERNEL_NAMES));
  bias.dispose();
  return out;
}

const CASES: Case[] = [...ATTENTION_CASES, { b: 32, t: 64, c: 128, h: 4, causal: true }];

describe('AniraAttentionBlock and AniraAttentionBlockGrad (native) against the composite', () => {
  it('use the contract names and show in the capabilities', () => {
    expectContract(ATTENTION_BLOCK_KERNEL_NAMES, { attentionBlock: FUSED_KERNELS.attentionBlock, attentionBlockGrad: FUSED_KERNELS.attentionBlockGrad }, 'attentionBlockKernel');
  });

  it.each(CASES)('output and the five gradients have the same bits (B $b, T $t, C $c, H $h, causal $causal)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.kernels).toEqual(expect.arrayContaining([FUSED_KERNELS.attentionBlock, FUSED_KERNELS.attentionBlockGrad]));
    expect(a.kernels).not.toContain(FUSED_KERNELS.attention);
    expect(b.kernels).toContain(FUSED_KERNELS.attention);
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    expect(a.grads).toHaveLength(5);
    a.grads.forEach((g, i) => {
      expect(Array.from(g), `gradient ${i}`).toEqual(Array.from(b.grads[i]!));
      // not all zero (else the check above is empty); with one key the softmax is constant, so wq's and wk's are
      expect(g.some((v) => Math.abs(v) > 1e-3), `gradient ${i} not all zero`).toBe(k.t > 1 || (i !== 1 && i !== 2));
    });
  });

  it('a gradient step at the W1 shape keeps at least 8 MiB less alive at its peak', async () => {
    const k = CASES[4]!;
    const a = await run(true, k);
    const b = await run(false, k);
    expect(b.peakBytes - a.peakBytes).toBeGreaterThanOrEqual(8 * 2 ** 20);
  });

  it('refuses bad shapes with a message, and leaves no tensor behind', () => {
    enableNativeKernels({ quiet: true });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const a = tf.zeros([8, 8]) as tf.Tensor2D;
      const w = tf.zeros([8, 8]) as tf.Tensor2D;
      const bias = tf.zeros([2, 1, 4, 4]);
      const run1 = (inputs: Record<string, tf.Tensor>, nHeads = 2) => tf.engine().runKernel(FUSED_KERNELS.attentionBlock, { a, wq: w, wk: w, wv: w, wo: w, bias, ...inputs }, { nHeads });
      expect(() => run1({ wk: tf.zeros([8, 6]) })).toThrow(/AniraAttentionBlock expects \[8, 8\] weights.*wk \[8, 6\]/);
      expect(() => run1({ a: tf.zeros([6, 8]) })).toThrow(/expects \[B\*T, C\] rows/);
      expect(() => run1({}, 3)).toThrow(/nHeads >= 1 that divides C/);
      expect(() => run1({ bias: tf.zeros([2, 4, 4]) })).toThrow(/expects bias \[B, 1, T or 1, T\]/);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.attentionBlockGrad, { dz: a, a, q: a, k: a, v: a, o: a, p: tf.zeros([2, 3, 4, 4]), wq: w, wk: w, wv: w, wo: w }, { nHeads: 2 })).toThrow(/expects p \[B, H, T, T\] with H = nHeads/);
      const g = tf.grad((x: tf.Tensor) => tf.sum(attentionBlock(x as tf.Tensor2D, w, w, w, w, bias, 2)))(tf.ones([8, 8]));
      expect(g.shape).toEqual([8, 8]);
    });
    expect(tf.memory().numTensors).toBe(before);
    disableNativeKernels();
  });
});
