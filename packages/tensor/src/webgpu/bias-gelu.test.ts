/**
 * The fused bias + GELU programs against the tfjs composite (`gelu(x + b)` from
 * layers.ts) on the same webgpu backend: forward and both gradients within 1e-5
 * (norm-wise relative), on odd sizes, with dispatch counts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gelu } from '../layers.js';
import { setFusedWebGpu } from './backend.js';
import { biasGeluWebGpu } from './bias-gelu.js';
import { countDispatches, relError, useNodeWebGpu } from './test-gpu.js';

let skip: string | undefined;
beforeAll(async () => {
  skip = await useNodeWebGpu();
  if (skip) console.warn(`skipping the fused bias + GELU tests: ${skip}`);
}, 120_000);
afterAll(() => setFusedWebGpu(true));

describe('fused bias + GELU (webgpu)', () => {
  it.for([[1, 1], [7, 5], [33, 70]] as const)('matches the composite forward and gradients, x [%i, %i]', async ([m, n], ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.randomNormal([m, n], 0, 2, 'float32', m + n) as tf.Tensor2D;
    const b = tf.randomNormal([n], 0, 1, 'float32', 3 * n) as tf.Tensor1D;
    const r = tf.randomNormal([m, n], 0, 1, 'float32', 7);
    const composite = (xx: tf.Tensor, bb: tf.Tensor) => gelu(tf.add(xx, bb));
    const run = (f: (xx: tf.Tensor2D, bb: tf.Tensor1D) => tf.Tensor) => {
      const y = f(x, b);
      const [gx, gb] = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor2D, bb as tf.Tensor1D), r)))([x, b]);
      return Promise.all([y, gx!, gb!].map((t) => t.data()));
    };
    const want = await run(composite);
    const got = await run(biasGeluWebGpu);
    want.forEach((w, i) => expect(relError(got[i]!, w), `output ${i}`).toBeLessThan(1e-5));
    // the oracle is not trivially equal: the gradient is not all zero
    expect(Math.max(...Array.from(want[1]!).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('dispatches 1 program forward and 2 backward', (ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.randomNormal([4, 6]) as tf.Tensor2D;
    const b = tf.randomNormal([6]) as tf.Tensor1D;
    expect(countDispatches(() => biasGeluWebGpu(x, b))).toBe(1);
    const dy = tf.randomNormal([4, 6]);
    const g = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => biasGeluWebGpu(xx as tf.Tensor2D, bb as tf.Tensor1D));
    expect(countDispatches(() => g([x, b], dy))).toBe(3); // forward + dx + db
    const composite = (xx: tf.Tensor, bb: tf.Tensor) => gelu(tf.add(xx, bb));
    const counts = [countDispatches(() => composite(x, b)), countDispatches(() => tf.grads(composite)([x, b], dy))];
    console.info(`bias + GELU dispatches, forward / forward + backward: fused 1 / 3, composite ${counts.join(' / ')}`);
    expect(counts[1]).toBeGreaterThan(3);
  });
});
