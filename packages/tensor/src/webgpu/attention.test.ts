/**
 * The fused attention programs (reached through `scaledDotAttention` on webgpu)
 * against the composite (the same call with the fused programs off): output and
 * the gradients of q, k and v within 1e-5 (norm-wise relative), with a padding
 * mask and causality, odd sizes, fewer queries than keys (skipping inference's
 * shape), values wider than keys, and a row longer than a workgroup. Dispatch counts too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionBias, scaledDotAttention } from '../attention.js';
import { setFusedWebGpu } from './backend.js';
import { countDispatches, relError, useNodeWebGpu } from './test-gpu.js';

let skip: string | undefined;
beforeAll(async () => {
  skip = await useNodeWebGpu();
  if (skip) console.warn(`skipping the fused attention tests: ${skip}`);
}, 120_000);
afterAll(() => setFusedWebGpu(true));

/** A `[B, T]` padding mask whose row r has `T - r` real tokens (at least one). */
const paddingMask = (b: number, t: number) =>
  tf.tensor2d(Array.from({ length: b * t }, (_, i) => (i % t < Math.max(1, t - Math.floor(i / t)) ? 1 : 0)), [b, t]);

async function compare(b: number, h: number, s: number, t: number, dh: number, causal: boolean, dv = dh): Promise<Float32Array[]> {
  const q = tf.randomNormal([b, h, s, dh], 0, 1, 'float32', 1) as tf.Tensor4D;
  const k = tf.randomNormal([b, h, t, dh], 0, 1, 'float32', 2) as tf.Tensor4D;
  const v = tf.randomNormal([b, h, t, dv], 0, 1, 'float32', 3) as tf.Tensor4D;
  const full = attentionBias(paddingMask(b, t), causal); // [B, 1, T, T], or [B, 1, 1, T] when not causal
  const bias = causal ? tf.slice(full, [0, 0, t - s, 0], [b, 1, s, t]) : full; // causal: the last s queries
  const r = tf.randomNormal([b, h, s, dv], 0, 1, 'float32', 4);
  const run = async (fused: boolean) => {
    setFusedWebGpu(fused);
    const f = (...xs: tf.Tensor[]) => scaledDotAttention(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, xs[2] as tf.Tensor4D, bias);
    const y = f(q, k, v);
    const gs = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))([q, k, v]);
    setFusedWebGpu(true);
    return (await Promise.all([y, ...gs].map((x) => x.data()))) as Float32Array[];
  };
  const got = await run(true);
  const want = await run(false);
  want.forEach((w, i) => expect(relError(got[i]!, w), `output ${i}`).toBeLessThan(1e-5));
  return want;
}

describe('fused attention (webgpu)', () => {
  it.for([
    [1, 1, 1, 1, 1, false],
    [2, 3, 5, 5, 4, true],
    [3, 2, 7, 7, 3, false],
    [2, 2, 3, 6, 5, true],
  ] as const)('matches the composite, B %i H %i S %i T %i dh %i causal %s', async ([b, h, s, t, dh, causal], ctx) => {
    if (skip) return ctx.skip(skip);
    const want = await compare(b, h, s, t, dh, causal);
    if (t > 1) expect(Math.max(...Array.from(want[2]!).map(Math.abs))).toBeGreaterThan(1e-3); // dk is not trivially 0
  });

  it('matches the composite when values are wider than queries and keys (dh 3, dv 5)', async (ctx) => {
    if (skip) return ctx.skip(skip);
    await compare(2, 2, 4, 4, 3, true, 5);
  });

  it('matches the composite on a row longer than a workgroup (T 70)', async (ctx) => {
    if (skip) return ctx.skip(skip);
    await compare(1, 1, 70, 70, 2, true);
  });

  it('dispatches 2 programs forward and 4 backward', (ctx) => {
    if (skip) return ctx.skip(skip);
    const [q, k, v, dy] = [1, 2, 3, 4].map((seed) => tf.randomNormal([1, 2, 3, 4], 0, 1, 'float32', seed)) as tf.Tensor4D[];
    const bias = attentionBias(tf.ones([1, 3]) as tf.Tensor2D, true);
    expect(countDispatches(() => scaledDotAttention(q!, k!, v!, bias))).toBe(2);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => scaledDotAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, bias));
    expect(countDispatches(() => g([q!, k!, v!], dy))).toBe(6);
    setFusedWebGpu(false);
    const composite = [countDispatches(() => scaledDotAttention(q!, k!, v!, bias)), countDispatches(() => g([q!, k!, v!], dy))];
    setFusedWebGpu(true);
    console.info(`attention dispatches, forward / forward + backward: fused 2 / 6, composite ${composite.join(' / ')}`);
    expect(composite[1]).toBeGreaterThan(6);
  });
});
