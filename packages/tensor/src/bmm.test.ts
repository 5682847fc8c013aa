/**
 * `batchMatmul` with both kernels ('conv': one depthwise convolution; 'matmul')
 * on cpu and wasm: values against a plain-JS triple loop, gradients against the
 * closed forms dA = dY B^T, dB = A^T dY computed in JS, for a fixed random dY.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { batchMatmul, defaultBatchMatmulKernel, type BatchMatmulKernel } from './bmm.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain JS `out[g] = a[g] @ b[g]`, optionally transposing either operand per group. */
function jsBmm(a: Float32Array, b: Float32Array, g: number, m: number, k: number, n: number, ta = false, tb = false): number[] {
  const out = new Array<number>(g * m * n).fill(0);
  for (let z = 0; z < g; z++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = 0; r < k; r++) {
          const av = ta ? a[z * k * m + r * m + i]! : a[z * m * k + i * k + r]!;
          const bv = tb ? b[z * n * k + j * k + r]! : b[z * k * n + r * n + j]!;
          s += av * bv;
        }
        out[z * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

const expectClose = (xs: ArrayLike<number>, ys: ArrayLike<number>, tol = 1e-4) => {
  expect(xs.length).toBe(ys.length);
  for (let i = 0; i < xs.length; i++) expect(Math.abs(xs[i]! - ys[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(ys[i]!)));
};

const cases: Array<[string, BatchMatmulKernel]> = [
  ['cpu', 'conv'],
  ['cpu', 'matmul'],
  ['wasm', 'conv'],
  ['wasm', 'matmul'],
];

describe.each(cases)('batchMatmul on %s with kernel %s', (backend, kernel) => {
  it('values and gradients match the plain formulas (4-D leading dims, non-square)', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const [b1, b2, m, k, n] = [2, 3, 5, 4, 7];
    const g = b1 * b2;
    tf.tidy(() => {
      const a = tf.randomNormal([b1, b2, m, k], 0, 1, 'float32', 11);
      const b = tf.randomNormal([b1, b2, k, n], 0, 1, 'float32', 12);
      const dy = tf.randomNormal([b1, b2, m, n], 0, 1, 'float32', 13);
      const y = batchMatmul(a, b, kernel);
      expect(y.shape).toEqual([b1, b2, m, n]);
      const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(batchMatmul(x, z, kernel), dy)))([a, b]);
      const av = a.dataSync() as Float32Array;
      const bv = b.dataSync() as Float32Array;
      const dv = dy.dataSync() as Float32Array;
      expectClose(y.dataSync(), jsBmm(av, bv, g, m, k, n));
      expectClose(ga!.dataSync(), jsBmm(dv, bv, g, m, n, k, false, true)); // dY [M, N] @ B^T [N, K]
      expectClose(gb!.dataSync(), jsBmm(av, dv, g, k, m, n, true, false)); // A^T [K, M] @ dY [M, N]
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles a single group and 1-wide dimensions', async () => {
    await tf.setBackend(backend);
    const a = tf.tensor3d([[[2], [3]]]); // [1, 2, 1]
    const b = tf.tensor3d([[[5, 7]]]); // [1, 1, 2]
    expect(Array.from(batchMatmul(a, b, kernel).dataSync())).toEqual([10, 14, 15, 21]);
  });
});

describe('batchMatmul defaults', () => {
  it('picks the conv kernel only on wasm and rejects mismatched shapes', async () => {
    await tf.setBackend('wasm');
    expect(defaultBatchMatmulKernel()).toBe('conv');
    await tf.setBackend('cpu');
    expect(defaultBatchMatmulKernel()).toBe('matmul');
    expect(() => batchMatmul(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 6]))).toThrow(/\[2,3,4\].*\[2,5,6\]/);
  });
});
