/**
 * The fused LayerNorm programs (reached through `layerNorm` on webgpu) against
 * the composite (the same call with the fused programs off), forward and the
 * gradients of x, gamma and beta within 1e-5 (norm-wise relative), on odd widths
 * narrower and wider than a workgroup; and the MLP hook. Dispatch counts too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerNorm, mlp } from '../layers.js';
import { setFusedWebGpu } from './backend.js';
import { countDispatches, relError, useNodeWebGpu } from './test-gpu.js';

let skip: string | undefined;
beforeAll(async () => {
  skip = await useNodeWebGpu();
  if (skip) console.warn(`skipping the fused LayerNorm tests: ${skip}`);
}, 120_000);
afterAll(() => setFusedWebGpu(true));

/** Values and gradients of `sum(f(inputs) * r)` with the fused programs on or off. */
async function both(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], r: tf.Tensor): Promise<[Float32Array[], Float32Array[]]> {
  const run = async (fused: boolean) => {
    setFusedWebGpu(fused);
    const y = f(...inputs);
    const gs = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
    setFusedWebGpu(true);
    return (await Promise.all([y, ...gs].map((t) => t.data()))) as Float32Array[];
  };
  return [await run(true), await run(false)];
}

describe('fused LayerNorm (webgpu)', () => {
  it.for([[1, 3], [5, 17], [9, 130]] as const)('matches the composite forward and gradients, x [%i, %i]', async ([m, c], ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.add(tf.randomNormal([m, c], 0, 3, 'float32', m * c), 1.5);
    const g = tf.randomNormal([c], 1, 0.5, 'float32', c);
    const b = tf.randomNormal([c], 0, 0.5, 'float32', c + 1);
    const r = tf.randomNormal([m, c], 0, 1, 'float32', 11);
    const [got, want] = await both((xx, gg, bb) => layerNorm(xx!, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5), [x, g, b], r);
    want.forEach((w, i) => expect(relError(got[i]!, w), `output ${i}`).toBeLessThan(1e-5));
    if (c > 3) expect(Math.max(...Array.from(want[1]!).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('keeps a 3-D input shape and eps (eps 0.1 differs from 1e-5)', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.randomNormal([2, 3, 6], 0, 0.2, 'float32', 5);
    const g = tf.ones([6]) as tf.Tensor1D;
    const b = tf.zeros([6]) as tf.Tensor1D;
    const r = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 6);
    const [got, want] = await both((xx, gg, bb) => layerNorm(xx!, gg as tf.Tensor1D, bb as tf.Tensor1D, 0.1), [x, g, b], r);
    want.forEach((w, i) => expect(relError(got[i]!, w), `output ${i}`).toBeLessThan(1e-5));
    expect(layerNorm(x, g, b, 0.1).shape).toEqual([2, 3, 6]);
    const small = await layerNorm(x, g, b, 1e-5).data();
    expect(relError(small, got[0]!)).toBeGreaterThan(0.01);
  });

  it('the MLP with fused bias + GELU matches the composite MLP', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1);
    const w1 = tf.randomNormal([6, 10], 0, 0.5, 'float32', 2);
    const b1 = tf.randomNormal([10], 0, 0.5, 'float32', 3);
    const w2 = tf.randomNormal([10, 6], 0, 0.5, 'float32', 4);
    const b2 = tf.randomNormal([6], 0, 0.5, 'float32', 5);
    const r = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 6);
    const f = (...xs: tf.Tensor[]) => mlp(xs[0]!, xs[1] as tf.Tensor2D, xs[2] as tf.Tensor1D, xs[3] as tf.Tensor2D, xs[4] as tf.Tensor1D);
    const [got, want] = await both(f, [x, w1, b1, w2, b2], r);
    want.forEach((w, i) => expect(relError(got[i]!, w), `output ${i}`).toBeLessThan(1e-5));
  });

  it('dispatches 1 program forward and 4 backward', (ctx) => {
    if (skip) return ctx.skip(skip);
    const x = tf.randomNormal([4, 6]);
    const g = tf.ones([6]) as tf.Tensor1D;
    const b = tf.zeros([6]) as tf.Tensor1D;
    expect(countDispatches(() => layerNorm(x, g, b))).toBe(1);
    const dy = tf.randomNormal([4, 6]);
    const grads = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => layerNorm(xx, gg as tf.Tensor1D, bb as tf.Tensor1D));
    expect(countDispatches(() => grads([x, g, b], dy))).toBe(5);
    setFusedWebGpu(false);
    const composite = [countDispatches(() => layerNorm(x, g, b)), countDispatches(() => grads([x, g, b], dy))];
    setFusedWebGpu(true);
    console.info(`LayerNorm dispatches, forward / forward + backward: fused 1 / 5, composite ${composite.join(' / ')}`);
    expect(composite[1]).toBeGreaterThan(5);
  });
});
