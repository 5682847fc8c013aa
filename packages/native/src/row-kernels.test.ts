/**
 * The fused LayerNorm and GELU kernels against @anira/tensor's composites (the
 * same functions with the kernels unregistered): values and gradients within
 * 1e-5 relative for 2-D and 3-D inputs, odd widths and GELU's tails, a
 * hand-computed LayerNorm, the kernel names of the contract, the capability
 * switching with enabling, and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { backendCapabilities, FUSED_KERNELS, gelu, layerNorm, scaledDotAttention, attentionBias } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableNativeKernels, enableNativeKernels } from './enable.js';
import { ROW_KERNEL_NAMES } from './row-kernels.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

/** max |x - y| / max(max |y|, 1e-6) over all elements. */
function relErr(x: tf.Tensor, y: tf.Tensor): number {
  const a = x.dataSync();
  const b = y.dataSync();
  let d = 0;
  let s = 1e-6;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

/** Value and gradients of sum(f(inputs) * w) with the kernels on, then off. */
function both(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): { on: tf.Tensor[]; off: tf.Tensor[] } {
  const run = () => {
    const value = f(...inputs);
    const w = tf.randomUniform(value.shape, -1, 1, 'float32', 5);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(inputs);
    return [value, ...grads];
  };
  expect(enableNativeKernels({ quiet: true }).enabled).toBe(true);
  const on = run();
  disableNativeKernels();
  const off = run();
  return { on, off };
}

describe('fused LayerNorm and GELU kernels (wasm)', () => {
  it('use the kernel names of @anira/tensor\'s contract', () => {
    const { adam, attentionRows, attention, attentionGrad, heapMoveRows, layerRows, mlp, mlpGrad, attentionBlock, attentionBlockGrad, crossEntropy, crossEntropyGrad, ...rows } = FUSED_KERNELS; // the other kernel files' names
    expect(ROW_KERNEL_NAMES).toEqual(rows);
    expect(adam).toBe('AniraAdam');
    expect(attentionRows).toBe('AniraAttentionRows');
    expect([attention, attentionGrad]).toEqual(['AniraAttention', 'AniraAttentionGrad']);
    expect(heapMoveRows).toBe('AniraHeapMoveRows');
    expect(layerRows).toBe('AniraLayerRows');
    expect([crossEntropy, crossEntropyGrad]).toEqual(['AniraCrossEntropy', 'AniraCrossEntropyGrad']);
    expect([mlp, mlpGrad]).toEqual(['AniraMlp', 'AniraMlpGrad']);
    expect([attentionBlock, attentionBlockGrad]).toEqual(['AniraAttentionBlock', 'AniraAttentionBlockGrad']);
  });

  it('turn the capabilities on and off with the native kernels', () => {
    enableNativeKernels({ quiet: true });
    expect(backendCapabilities()).toMatchObject({ layerNormKernel: true, geluKernel: true, softmaxKernel: true });
    disableNativeKernels();
    expect(backendCapabilities()).toMatchObject({ layerNormKernel: false, geluKernel: false, softmaxKernel: false });
  });

  it('LayerNorm equals a hand-computed row', () => {
    enableNativeKernels({ quiet: true });
    // x = [1, 2, 3]: mean 2, var 2/3, rstd = 1/sqrt(2/3 + eps)
    const y = layerNorm(tf.tensor2d([[1, 2, 3]]), tf.tensor1d([1, 2, 1]), tf.tensor1d([0, 0, 0.5]), 1e-5);
    const r = 1 / Math.sqrt(2 / 3 + 1e-5);
    const got = Array.from(y.dataSync());
    [-r, 0, r + 0.5].forEach((e, i) => expect(got[i]).toBeCloseTo(e, 5));
    disableNativeKernels();
  });

  for (const shape of [[1, 5], [3, 7], [64, 128], [2, 33, 65]] as const) {
    it(`LayerNorm [${shape.join(', ')}]: values and the three gradients within 1e-5 of the composite`, () => {
      const c = shape[shape.length - 1]!;
      const x = tf.mul(tf.randomNormal([...shape], 0.3, 2, 'float32', 1), 1);
      const gamma = tf.randomNormal([c], 1, 0.2, 'float32', 2) as tf.Tensor1D;
      const beta = tf.randomNormal([c], 0, 0.2, 'float32', 3) as tf.Tensor1D;
      const { on, off } = both((a, g, b) => layerNorm(a!, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), [x, gamma, beta]);
      on.forEach((t, i) => expect(relErr(t, off[i]!), `output ${i}`).toBeLessThan(1e-5));
    });
  }

  for (const shape of [[5], [64, 512], [3, 4, 9]] as const) {
    it(`GELU [${shape.join(', ')}]: values and gradient within 1e-5 of the composite, tails included`, () => {
      const x = tf.concat([tf.reshape(tf.randomNormal([...shape], 0, 3, 'float32', 4), [-1]), tf.tensor1d([-30, -9, -0.5, 0, 1e-4, 0.5, 9, 30])]);
      const { on, off } = both((a) => gelu(a!), [x]);
      on.forEach((t, i) => expect(relErr(t, off[i]!), `output ${i}`).toBeLessThan(1e-5));
    });
  }

  it('attention (softmax kernel, transposed-product scores) equals the plain path, values and q/k/v gradients, masked keys included', () => {
    const q = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 6) as tf.Tensor4D;
    const k = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 7) as tf.Tensor4D;
    const v = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 8) as tf.Tensor4D;
    const bias = attentionBias(tf.tensor2d([[1, 1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1]]), true);
    const { on, off } = both((a, b, c) => scaledDotAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, bias), [q, k, v]);
    on.forEach((t, i) => expect(relErr(t, off[i]!), `output ${i}`).toBeLessThan(1e-5));
  });

  it('softmax rows sum to 1 and masked scores get exact zeros', () => {
    enableNativeKernels({ quiet: true });
    const q = tf.zeros([1, 1, 2, 4]) as tf.Tensor4D;
    const k = tf.zeros([1, 1, 2, 4]) as tf.Tensor4D;
    const v = tf.tensor4d([[[[1, 0, 0, 0], [0, 1, 0, 0]]]]);
    const bias = attentionBias(tf.tensor2d([[1, 1]]), true); // causal: query 0 sees key 0 only
    expect(Array.from(scaledDotAttention(q, k, v, bias).dataSync())).toEqual([1, 0, 0, 0, 0.5, 0.5, 0, 0]);
    disableNativeKernels();
  });

  it('leaves no tensor behind (forward and gradients)', () => {
    enableNativeKernels({ quiet: true });
    const x = tf.randomNormal([16, 32]);
    const g = tf.ones([32]) as tf.Tensor1D;
    const b = tf.zeros([32]) as tf.Tensor1D;
    const step = () => tf.tidy(() => tf.grads((a: tf.Tensor) => tf.sum(gelu(layerNorm(a, g, b))))([x]));
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g, b]);
    disableNativeKernels();
  });
});
