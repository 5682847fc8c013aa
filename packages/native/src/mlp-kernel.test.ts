/**
 * The MLP kernels against @anira/tensor's composite `mlp` (the same function with
 * the two kernels unregistered: linear, GELU, linear on the native products and
 * row kernels): the output and all five gradients have the same bits, since
 * csrc/mlp.c makes the same sgemm calls and runs the same GELU loops; one row,
 * odd sizes, a rank-3 input and the W1 shape. Then what the kernels are for: a
 * gradient step keeps fewer bytes of tensors alive (tf.profile's peak), bad
 * inputs are refused with a message naming the shapes, and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { FUSED_KERNELS, mlp } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLP_KERNEL_NAMES } from './mlp-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { expectContract, runPair, type PairRun } from './testing/kernel-pair.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

interface Case { lead: number[]; c: number; f: number }

/** Output and gradients (x, w1, b1, w2, b2) of `mlp`, native kernels on, with or without the MLP pair. */
function run(kernel: boolean, k: Case): Promise<PairRun> {
  const inputs = () => [
    tf.randomNormal([...k.lead, k.c], 0, 1, 'float32', 1),
    tf.randomNormal([k.c, k.f], 0, 0.3, 'float32', 2),
    tf.randomNormal([k.f], 0, 0.3, 'float32', 3),
    tf.randomNormal([k.f, k.c], 0, 0.3, 'float32', 4),
    tf.randomNormal([k.c], 0, 0.3, 'float32', 5),
  ];
  const f = (x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => mlp(x, w1 as tf.Tensor2D, b1 as tf.Tensor1D, w2 as tf.Tensor2D, b2 as tf.Tensor1D);
  return runPair(f as (...xs: tf.Tensor[]) => tf.Tensor, inputs, kernel ? [] : Object.values(MLP_KERNEL_NAMES));
}

const CASES: Case[] = [
  { lead: [1], c: 4, f: 8 },
  { lead: [7], c: 5, f: 3 },
  { lead: [2, 9], c: 12, f: 20 },
  { lead: [2048], c: 128, f: 512 },
];

describe('AniraMlp and AniraMlpGrad (native) against the composite', () => {
  it('use the contract names and show in the capabilities', () => {
    expectContract(MLP_KERNEL_NAMES, { mlp: FUSED_KERNELS.mlp, mlpGrad: FUSED_KERNELS.mlpGrad }, 'mlpKernel');
  });

  it.each(CASES)('output and the five gradients have the same bits (rows $lead, C $c, F $f)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.kernels).toEqual(expect.arrayContaining([FUSED_KERNELS.mlp, FUSED_KERNELS.mlpGrad]));
    expect(a.kernels).not.toContain(FUSED_KERNELS.gelu);
    expect(b.kernels).toContain(FUSED_KERNELS.gelu);
    expect(b.kernels).not.toContain(FUSED_KERNELS.mlp);
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    expect(a.grads).toHaveLength(5);
    a.grads.forEach((g, i) => {
      expect(Array.from(g), `gradient ${i}`).toEqual(Array.from(b.grads[i]!));
      expect(g.some((v) => Math.abs(v) > 1e-3), `gradient ${i} not all zero`).toBe(true);
    });
  });

  it('a gradient step at the W1 shape keeps at least 12 MiB less alive at its peak (the GELU output, two [2048, 512] gradients)', async () => {
    const k = CASES[3]!;
    const a = await run(true, k);
    const b = await run(false, k);
    expect(b.peakBytes - a.peakBytes).toBeGreaterThanOrEqual(12 * 2 ** 20);
  });

  it('refuses bad shapes with a message, and leaves no tensor behind', () => {
    enableNativeKernels({ quiet: true });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [x, w1, b1, w2, b2] = [tf.zeros([3, 4]), tf.zeros([4, 6]), tf.zeros([6]), tf.zeros([6, 4]), tf.zeros([4])];
      expect(() => tf.engine().runKernel(FUSED_KERNELS.mlp, { x, w1, b1: tf.zeros([5]), w2, b2 }, {})).toThrow(/AniraMlp expects b1 \[6\].*b1 \[5\]/);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.mlp, { x: tf.zeros([3, 5]), w1, b1, w2, b2 }, {})).toThrow(/AniraMlp expects w1 \[5, 6\]/);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.mlpGrad, { dy: x, x, h: tf.zeros([3, 5]), w1, w2 }, {})).toThrow(/AniraMlpGrad expects h \[3, 6\]/);
      expect(() => tf.engine().runKernel(FUSED_KERNELS.mlp, { x: tf.zeros([3, 4], 'int32'), w1, b1, w2, b2 }, {})).toThrow(/takes float32/);
      const g = tf.grad((v: tf.Tensor) => tf.sum(mlp(v, w1 as tf.Tensor2D, b1 as tf.Tensor1D, w2 as tf.Tensor2D, b2 as tf.Tensor1D)))(tf.ones([3, 4]));
      expect(g.shape).toEqual([3, 4]);
    });
    expect(tf.memory().numTensors).toBe(before);
    disableNativeKernels();
  });
});
