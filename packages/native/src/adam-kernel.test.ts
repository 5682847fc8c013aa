/**
 * The one-kernel Adam update against @anira/tensor's composite `Adam` (the same
 * optimizer with the kernel unregistered): the same bits over 5 updates for 1-D,
 * 2-D and odd shapes, with and without weight decay, a parameter without a
 * gradient left alone, the kernel name of the contract, bad inputs refused with
 * a message, and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { Adam, FUSED_KERNELS } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_KERNEL_NAME } from './adam-kernel.js';
import { disableNativeKernels, enableNativeKernels } from './enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

const SHAPES: Record<string, number[]> = { w: [7, 13], b: [13], big: [128, 512], one: [1] };

/** Parameters after 5 updates with seeded gradients (seeds >= 1: tfjs draws a random seed for 0) (no gradient for `one` at odd steps), and the moments. */
async function train(native: boolean, weightDecay: number): Promise<Record<string, Float32Array>> {
  if (native) expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
  else disableNativeKernels();
  const params = Object.fromEntries(Object.entries(SHAPES).map(([k, s], i) => [k, tf.tidy(() => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 1 + i), true, `adam-kernel-${native}-${weightDecay}-${k}`))]));
  const opt = new Adam(params, { weightDecay });
  for (let step = 0; step < 5; step++) {
    const grads = tf.tidy(() => Object.fromEntries(Object.entries(SHAPES)
      .filter(([k]) => k !== 'one' || step % 2 === 0)
      .map(([k, s], i) => [k, tf.randomNormal(s, 0, step === 0 ? 1e-3 : 2, 'float32', 1 + 100 * step + i)])));
    const info = await tf.profile(() => opt.apply(grads, 0.01 * (step + 1)));
    expect(info.kernelNames.includes(FUSED_KERNELS.adam)).toBe(native); // the kernel ran, or the composite did
    tf.dispose(Object.values(grads));
  }
  const out: Record<string, Float32Array> = {};
  for (const [k, p] of Object.entries(params)) out[k] = p.dataSync() as Float32Array;
  for (const [k, t] of Object.entries(opt.state())) out[k] = t.dataSync() as Float32Array;
  opt.dispose();
  tf.dispose(Object.values(params));
  return out;
}

describe('AniraAdam (native) against the composite Adam', () => {
  it('uses the contract name', () => {
    expect(ADAM_KERNEL_NAME).toBe(FUSED_KERNELS.adam);
  });

  it.each([0, 0.1])('gives the same bits over 5 updates (weight decay %s)', async (wd) => {
    const before = tf.memory().numTensors;
    const composite = await train(false, wd);
    const native = await train(true, wd);
    expect(Object.keys(native).sort()).toEqual(Object.keys(composite).sort());
    for (const k of Object.keys(composite)) expect(Array.from(native[k]!), k).toEqual(Array.from(composite[k]!));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses mismatched shapes and dtypes with the kernel name', () => {
    enableNativeKernels({ quiet: true });
    tf.tidy(() => {
      const run = (grad: tf.Tensor) => tf.engine().runKernel(FUSED_KERNELS.adam, { param: tf.zeros([3]), grad, m: tf.zeros([3]), v: tf.zeros([3]) },
        { beta1: 0.9, beta2: 0.999, c1: 0.1, c2: 0.001, epsilon: 1e-8, weightDecay: 0, lr: 0.1 });
      expect(() => run(tf.zeros([4]))).toThrow('AniraAdam takes float32 tensors of one shape [3], got grad float32 [4]');
      expect(() => run(tf.zeros([3], 'int32'))).toThrow('got grad int32 [3]');
    });
  });
});
