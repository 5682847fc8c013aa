/** `transpose2d` equals the element-wise definition on cpu and wasm for row counts with and without a power-of-2 split. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import './gradients.js';
import { transpose2d } from './transpose.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('transpose2d on %s', (backend) => {
  it('out[j][i] = x[i][j] for many shapes, differentiably', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    for (const [m, n] of [[64, 7], [96, 5], [80, 3], [67, 4], [1, 5], [128, 1], [256, 128]] as const) {
      tf.tidy(() => {
        const data = Float32Array.from({ length: m * n }, (_, i) => i * 0.5 - 3);
        const y = transpose2d(tf.tensor2d(data, [m, n]));
        expect(y.shape).toEqual([n, m]);
        const out = y.dataSync();
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(out[j * m + i]).toBe(data[i * n + j]);
        // Gradient of sum(transpose(x) * r) is transpose(r).
        const r = tf.randomNormal([n, m], 0, 1, 'float32', 5) as tf.Tensor2D;
        const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(transpose2d(x as tf.Tensor2D), r)))(tf.zeros([m, n]));
        expect(Array.from(g.dataSync())).toEqual(Array.from(tf.transpose(r).dataSync()));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
