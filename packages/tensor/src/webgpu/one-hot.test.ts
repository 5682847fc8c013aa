/**
 * The stacked embedding's table gradient on webgpu, against a hand-computed oracle:
 * d/dE sum(oneHot(ids) @ E * r) = r scattered onto the rows the ids pick. With a bare
 * `cast(oneHot)`, tfjs-webgpu's Transpose program failed to compile on the aliased
 * int32 buffer and this gradient came out wrong; `floatOneHot` fixes it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { replicaEmbed } from '../replicas.js';
import { relError, useNodeWebGpu } from './test-gpu.js';

let skip: string | undefined;
beforeAll(async () => {
  skip = await useNodeWebGpu();
  if (skip) console.warn(`skipping the webgpu one-hot tests: ${skip}`);
}, 120_000);

describe('float one-hot on webgpu', () => {
  it('gives the stacked embedding table its exact gradient', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const [K, M, V, C] = [2, 5, 7, 3];
    const ids = Array.from({ length: K * M }, (_, i) => (i * 3 + 1) % V); // replica-major
    const table = tf.randomNormal([K, V, C], 0, 1, 'float32', 11);
    const r = tf.randomNormal([K * M, C], 0, 1, 'float32', 12);
    const rv = await r.data();
    const g = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(replicaEmbed(tf.tensor1d(ids, 'int32'), e), r)))(table);
    const want = new Float32Array(K * V * C); // [K, V, C]
    ids.forEach((id, n) => {
      const k = Math.floor(n / M);
      for (let c = 0; c < C; c++) want[(k * V + id) * C + c]! += rv[n * C + c]!;
    });
    expect(relError(await g.data(), want)).toBeLessThan(1e-6);
  });
});
