/**
 * The cross-entropy kernels against @anira/tensor's composite `tokenCrossEntropy`
 * (the same function with the two kernels unregistered: logSoftmax times a one-hot):
 * values and logits' gradients within 2e-6 relative (the exponent is exp-poly.h's,
 * about 1e-7, and the sums run in another order), ignored targets (-1 and V) giving 0
 * and a zero gradient row, one token, odd V, rank 3 and the W1 shape. Then bad inputs
 * are refused with a message naming the shapes, a broadcast target falls back to the
 * composite, and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { FUSED_KERNELS, tokenCrossEntropy } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';
import { CROSS_ENTROPY_KERNEL_NAMES } from './cross-entropy-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { expectContract, runPair, type PairRun } from './testing/kernel-pair.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

interface Case { lead: number[]; v: number }

/** Targets in [-1, V]: every fifth one ignored (-1 or V), the rest valid. */
function targets(lead: number[], v: number): tf.Tensor {
  const n = lead.reduce((p, d) => p * d, 1);
  return tf.tensor(Array.from({ length: n }, (_, i) => (i % 5 === 4 ? (i % 2 ? v : -1) : (i * 7) % v)), lead, 'int32');
}

function run(kernel: boolean, k: Case): Promise<PairRun> {
  const t = targets(k.lead, k.v);
  const inputs = () => [tf.mul(tf.randomNormal([...k.lead, k.v], 0, 1, 'float32', 1), 3)];
  return runPair((x: tf.Tensor) => tokenCrossEntropy(x, t), inputs, kernel ? [] : Object.values(CROSS_ENTROPY_KERNEL_NAMES)).finally(() => t.dispose());
}

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(1e-6, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `${what}[${i}]`).toBeLessThanOrEqual(2e-6 * scale);
}

const CASES: Case[] = [
  { lead: [1], v: 3 },
  { lead: [10], v: 7 },
  { lead: [3, 11], v: 33 },
  { lead: [32, 64], v: 32 },
];

describe('AniraCrossEntropy and AniraCrossEntropyGrad (native) against the composite', () => {
  it('use the contract names and show in the capabilities', () => {
    expectContract(CROSS_ENTROPY_KERNEL_NAMES, { crossEntropy: FUSED_KERNELS.crossEntropy, crossEntropyGrad: FUSED_KERNELS.crossEntropyGrad }, 'crossEntropyKernel');
  });

  it.each(CASES)('values and the logits\' gradient agree (tokens $lead, V $v)', async (k) => {
    const a = await run(true, k);
    const b = await run(false, k);
    expect(a.kernels).toEqual(expect.arrayContaining([FUSED_KERNELS.crossEntropy, FUSED_KERNELS.crossEntropyGrad]));
    expect(a.kernels).not.toContain('Exp');
    expect(b.kernels).toContain('Exp');
    expectClose(a.value, b.value, 'ce');
    expectClose(a.grads[0]!, b.grads[0]!, 'dlogits');
  });

  it('gives 0 and a zero gradient row for ignored targets, and the hand value elsewhere', () => {
    enableNativeKernels({ quiet: true });
    const logits = tf.tensor2d([[0, 0, 0], [Math.log(3), 0, 0], [1, 2, 3]]);
    const t = tf.tensor1d([1, -1, 3], 'int32');
    const ce = tokenCrossEntropy(logits, t);
    expect(Array.from(ce.dataSync())[0]).toBeCloseTo(Math.log(3), 6);
    expect(Array.from(ce.dataSync()).slice(1)).toEqual([0, 0]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tokenCrossEntropy(x, t)))(logits);
    const rows = g.arraySync() as number[][];
    expect(rows[0]![0]).toBeCloseTo(1 / 3, 6);
    expect(rows[0]![1]).toBeCloseTo(-2 / 3, 6);
    expect([...rows[1]!, ...rows[2]!]).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([logits, t, ce, g]);
  });

  it('keeps targets made inside the differentiated function (int32 or cast from float) until the gradient', () => {
    enableNativeKernels({ quiet: true });
    const logits = tf.tensor2d([[0, 0, 0], [1, 2, 3]]);
    for (const dtype of ['int32', 'float32'] as const) {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tokenCrossEntropy(x, tf.tensor1d([1, 2], dtype))))(logits);
      const rows = g.arraySync() as number[][];
      expect(rows[0]![1], dtype).toBeCloseTo(-2 / 3, 6);
      expect(rows[1]!.reduce((a, b) => a + b, 0), dtype).toBeCloseTo(0, 6);
      g.dispose();
    }
    logits.dispose();
  });

  it('refuses targets of another dtype or shape with a message naming the shapes; a broadcast target takes the composite', () => {
    enableNativeKernels({ quiet: true });
    const logits = tf.zeros([4, 5]);
    const f32 = tf.zeros([4]);
    expect(() => tf.engine().runKernel(FUSED_KERNELS.crossEntropy, { logits, targets: f32 }, {})).toThrow(/AniraCrossEntropy expects int32 targets \[4\]; got logits \[4, 5\], targets \[4\]/);
    const short = tf.zeros([3], 'int32');
    expect(() => tf.engine().runKernel(FUSED_KERNELS.crossEntropy, { logits, targets: short }, {})).toThrow(/expects int32 targets \[4\]/);
    const dy = tf.zeros([4, 1]);
    const lse = tf.zeros([4]);
    const t = tf.zeros([4], 'int32');
    expect(() => tf.engine().runKernel(FUSED_KERNELS.crossEntropyGrad, { dy, logits, lse, targets: t }, {})).toThrow(/expects float32 dy \[4\]/);
    const one = tf.zeros([1], 'int32');
    const ce = tokenCrossEntropy(logits, one); // [4] against [1]: the composite broadcasts
    expect(Array.from(ce.dataSync()).map((x) => x.toFixed(5))).toEqual(Array(4).fill(Math.log(5).toFixed(5)));
    tf.dispose([logits, f32, short, dy, lse, t, one, ce]);
  });

  it('the addon checks every range itself: sizes < 1 or an operand past the heap throw a RangeError before any access', () => {
    const loaded = loadAddon();
    if (!('addon' in loaded)) throw new Error(loaded.error);
    const { addon } = loaded;
    const heap = new ArrayBuffer(4 * 64);
    expect(() => addon.crossEntropy(heap, 0, 4, 0, 64, 96, 128)).toThrow(/crossEntropy: m and v must be >= 1/);
    expect(() => addon.crossEntropy(heap, 4, 8, 128, 0, 16, 32)).not.toThrow(); // logits [4, 8] from byte 128 end at the heap's 256
    expect(() => addon.crossEntropy(heap, 4, 8, 132, 0, 16, 32)).toThrow(/every operand inside the heap/);
    expect(() => addon.crossEntropyGrad(heap, 2, 8, 0, 8, 72, 80, 200)).toThrow(/crossEntropyGrad: m and v must be >= 1 and every operand inside the heap/);
    expect(() => addon.crossEntropyGrad(heap, 2, 8, 0, 8, 72, 80, 88)).not.toThrow();
  });

  it('leaves no tensor behind in a gradient step', () => {
    enableNativeKernels({ quiet: true });
    const logits = tf.randomNormal([6, 9]);
    const t = tf.tensor1d([0, 1, 2, -1, 8, 4], 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(tokenCrossEntropy(x, t)))(logits);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, t]);
  });
});
