/**
 * The zero-copy Identity: a clone shares the input's wasm memory (no new bytes),
 * has the same values, outlives the input and frees the memory with the last
 * holder; gradients through `tf.clone` and a variable's assign are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@anira/tensor'; // registers the tfjs gradients
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableNativeKernels, enableNativeKernels } from './enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
});
afterAll(() => disableNativeKernels());

describe('zero-copy Identity on wasm', () => {
  it('clones share memory, keep their values after the input is disposed, and free it with the last holder', () => {
    const before = tf.memory();
    const x = tf.tensor2d([[1, -2, 3], [4.5, 5, -6]]);
    const buffers = tf.memory().numDataBuffers;
    const c = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers); // no copy: one buffer, two tensors
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    x.dispose();
    expect(c.arraySync()).toEqual([[1, -2, 3], [4.5, 5, -6]]);
    c.dispose();
    expect(tf.memory()).toMatchObject({ numTensors: before.numTensors, numBytes: before.numBytes, numDataBuffers: before.numDataBuffers });
  });

  it('gives the same values and gradients as the copying kernel, and a variable assigned from a clone stays independent', () => {
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.clone(tf.square(x)), x));
    const x = tf.tensor1d([0.5, -1.25, 2]);
    const shared = tf.grad(f)(x).arraySync();
    disableNativeKernels();
    const copied = tf.grad(f)(x).arraySync();
    enableNativeKernels({ quiet: true });
    expect(shared).toEqual(copied);
    expect(shared).toEqual([0.75, 4.6875, 12]); // 3 x^2

    const v = tf.variable(tf.clone(x));
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(x.arraySync()).toEqual([0.5, -1.25, 2]);
    expect(v.arraySync()).toEqual([7, 8, 9]);
    v.dispose();
    x.dispose();
  });

  it('leaves strings to the original kernel', () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = tf.clone(s);
    expect(c.arraySync()).toEqual(['a', 'b']);
    tf.dispose([s, c]);
  });
});
