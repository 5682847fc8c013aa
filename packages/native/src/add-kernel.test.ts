/**
 * The native `Add` against the wasm kernel it replaces: the same bits for
 * same-shape float32 tensors (odd sizes, one element, a tensor added to itself,
 * infinities and NaN), the original kernel for broadcasting and int32, the
 * gradient through it, the range checks of the addon's entry point, and no tensor
 * left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@anira/tensor'; // registers every gradient
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';
import { disableNativeKernels, enableNativeKernels, nativeKernelsEnabled } from './enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

/** The bits of f() with the native kernels on, then off. */
function onOff(f: () => tf.Tensor): { on: Uint32Array; off: Uint32Array; dtype: string } {
  enableNativeKernels({ quiet: true });
  const a = f();
  const on = new Uint32Array(Float32Array.from(a.dataSync()).buffer);
  disableNativeKernels();
  const b = f();
  const off = new Uint32Array(Float32Array.from(b.dataSync()).buffer);
  const dtype = b.dtype;
  tf.dispose([a, b]);
  return { on, off, dtype };
}

describe('native Add', () => {
  it.each([[1], [7], [1023], [2048 * 128]])('same bits as the wasm kernel for %i floats', (n) => {
    const { on, off } = onOff(() => tf.tidy(() => tf.add(tf.randomNormal([n], 0, 3, 'float32', 1), tf.randomNormal([n], 0, 1e-3, 'float32', 2))));
    expect(on).toEqual(off);
  });

  it('a tensor added to itself, 3-D, with infinities and NaN', () => {
    const values = [1.5, -2, Infinity, -Infinity, NaN, 3e38, -0, 1e-45, 0.1, 0.2, 7, 8];
    const { on, off } = onOff(() => tf.tidy(() => {
      const x = tf.tensor3d(values, [2, 3, 2]);
      return tf.add(x, tf.add(x, tf.reverse(x)));
    }));
    expect(on).toEqual(off);
  });

  it('broadcasting and int32 run the original kernel, correctly', () => {
    enableNativeKernels({ quiet: true });
    expect(nativeKernelsEnabled()).toBe(true);
    const y = tf.add(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor1d([10, 20, 30]));
    expect(Array.from(y.dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    const z = tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32'));
    expect([z.dtype, Array.from(z.dataSync())]).toEqual(['int32', [4, 6]]);
    tf.dispose([y, z]);
  });

  it('gradients flow through it and no tensor is left behind', () => {
    enableNativeKernels({ quiet: true });
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([4, 5, 6]);
    const before = tf.memory().numTensors;
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.add(x, y), tf.add(x, y))))([a, b]);
    expect(Array.from(ga!.dataSync())).toEqual([10, 14, 18]);
    expect(Array.from(gb!.dataSync())).toEqual([10, 14, 18]);
    tf.dispose([ga!, gb!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('the addon refuses operands outside the buffer and a zero count', () => {
    const loaded = loadAddon();
    if (!('addon' in loaded)) throw new Error(loaded.error);
    const buf = new ArrayBuffer(64);
    expect(() => loaded.addon.add(buf, 8, 0, 32, 0)).not.toThrow();
    expect(() => loaded.addon.add(buf, 9, 0, 32, 0)).toThrow(/add: n must be >= 1 and every operand inside the heap/);
    expect(() => loaded.addon.add(buf, 0, 0, 0, 0)).toThrow(/add: n must be >= 1/);
    expect(() => loaded.addon.add(buf, 2, 2, 0, 0)).toThrow(/4-byte aligned/);
  });
});
