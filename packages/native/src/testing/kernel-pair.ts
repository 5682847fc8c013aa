/**
 * For the tests of a fused kernel pair (forward and gradient): the value of `f` and
 * its gradients with respect to every input, with the native kernels on and the
 * kernels named in `off` unregistered (the composite path), under `tf.profile`
 * (the kernels that ran and the peak bytes). `f`'s output is reduced as
 * sum(f(...) * r) with a fixed random r, so every gradient entry is exercised.
 * The inputs and every tensor made here are disposed; the caller disposes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { attentionBias, backendCapabilities, type BackendCapabilities } from '@anira/tensor';
import { disableNativeKernels, enableNativeKernels } from '../enable.js';

export interface PairRun {
  readonly value: Float32Array;
  readonly grads: Float32Array[];
  readonly kernels: string[];
  readonly peakBytes: number;
}

export async function runPair(f: (...xs: tf.Tensor[]) => tf.Tensor, makeInputs: () => tf.Tensor[], off: readonly string[]): Promise<PairRun> {
  expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
  for (const name of off) tf.unregisterKernel(name, 'wasm');
  const inputs = makeInputs();
  const value = f(...inputs);
  const r = tf.randomNormal(value.shape, 0, 1, 'float32', 99);
  let grads: tf.Tensor[] = [];
  const info = await tf.profile(() => {
    grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
  });
  const out = { value: value.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array), kernels: [...new Set(info.kernelNames)], peakBytes: info.peakBytes };
  tf.dispose([...inputs, value, r, ...grads]);
  return out;
}

/**
 * A pair's names are the contract's (@anira/tensor's FUSED_KERNELS entries) and its
 * capability follows enabling and disabling the native kernels.
 */
export function expectContract(names: Record<string, string>, contract: Record<string, string>, capability: keyof BackendCapabilities): void {
  expect(names).toEqual(contract);
  enableNativeKernels({ quiet: true });
  expect(backendCapabilities()[capability]).toBe(true);
  disableNativeKernels();
  expect(backendCapabilities()[capability]).toBe(false);
}

/** A batch shape for attention tests: B, T, C, heads, causal or not. */
export interface AttentionCase { b: number; t: number; c: number; h: number; causal: boolean }

/** Causal and broadcast biases, one token, odd sizes; each test adds its W1 shape. */
export const ATTENTION_CASES: readonly AttentionCase[] = [
  { b: 4, t: 16, c: 32, h: 4, causal: true },
  { b: 3, t: 7, c: 12, h: 3, causal: false },
  { b: 1, t: 1, c: 4, h: 1, causal: true },
  { b: 2, t: 9, c: 10, h: 5, causal: true },
];

/** The attention bias `[B, 1, T, T]` of a batch whose odd rows end in one padding token (the caller disposes it). */
export function paddedBias(k: AttentionCase): tf.Tensor {
  return tf.tidy(() => {
    const mask = tf.tensor2d(Array.from({ length: k.b * k.t }, (_, i) => (i % k.t < k.t - (Math.floor(i / k.t) % 2) ? 1 : 0)), [k.b, k.t]);
    return attentionBias(mask, k.causal);
  });
}
