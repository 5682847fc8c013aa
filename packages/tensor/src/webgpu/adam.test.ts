/**
 * Adam on webgpu with packed moments (webgpu/adam.ts) against the composite
 * update on the same backend: parameters and `state()` within 1e-5 (norm-wise
 * relative) after several steps, with AdamW decay, odd sizes and ranks 1-3; a
 * step with a missing gradient (composite fallback) and `setState` keep both in
 * step; dispatches per update are counted.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { setFusedWebGpu } from './backend.js';
import { countDispatches, relError, useNodeWebGpu } from './test-gpu.js';

let skip: string | undefined;
beforeAll(async () => {
  skip = await useNodeWebGpu();
  if (skip) console.warn(`skipping the fused Adam tests: ${skip}`);
}, 120_000);
afterAll(() => setFusedWebGpu(true));

const SHAPES: Record<string, number[]> = { a: [3], b: [5, 7], c: [2, 3, 11], d: [1] };

function makeParams(): Record<string, tf.Variable> {
  return Object.fromEntries(Object.entries(SHAPES).map(([k, s], i) => [k, tf.variable(tf.randomNormal(s, 0, 1, 'float32', 10 + i), true, `adamtest_${k}_${Math.random()}`)]));
}
const gradsAt = (step: number, drop?: string) =>
  Object.fromEntries(Object.entries(SHAPES).filter(([k]) => k !== drop).map(([k, s], i) => [k, tf.randomNormal(s, 0, 1, 'float32', 100 * step + i)]));

/** Run `steps` updates (gradient of key `drop` missing at step `dropAt`), fused or not; returns params then state. */
async function run(fused: boolean, steps: number, dropAt = -1): Promise<Record<string, Float32Array>> {
  setFusedWebGpu(fused);
  const params = makeParams();
  const adam = new Adam(params, { weightDecay: 0.01 });
  for (let s = 1; s <= steps; s++) {
    const g = gradsAt(s, s === dropAt ? 'b' : undefined);
    tf.tidy(() => adam.apply(g, 0.05)); // the trainer applies inside its own tidy
    Object.values(g).forEach((t) => t.dispose());
  }
  const out: Record<string, Float32Array> = {};
  for (const [k, p] of Object.entries(params)) out[`p/${k}`] = (await p.data()) as Float32Array;
  for (const [k, t] of Object.entries(adam.state())) out[k] = (await t.data()) as Float32Array;
  adam.dispose();
  Object.values(params).forEach((p) => p.dispose());
  setFusedWebGpu(true);
  return out;
}

describe('fused Adam (webgpu)', () => {
  it('matches the composite over 4 steps: parameters and moments', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const got = await run(true, 4);
    const want = await run(false, 4);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expect(relError(got[k]!, want[k]!), k).toBeLessThan(1e-5);
    const start = await makeParams()['b']!.data();
    expect(relError(want['p/b']!, start)).toBeGreaterThan(1e-3); // the parameters moved
  });

  it('matches the composite when one step lacks a gradient (fallback, then packed again)', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const got = await run(true, 4, 2);
    const want = await run(false, 4, 2);
    for (const k of Object.keys(want)) expect(relError(got[k]!, want[k]!), k).toBeLessThan(1e-5);
  });

  it('continues from setState like the composite', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const results: Float32Array[] = [];
    for (const fused of [true, false]) {
      setFusedWebGpu(fused);
      const params = makeParams();
      const adam = new Adam(params);
      adam.apply(gradsAt(1), 0.1);
      const saved = Object.fromEntries(Object.entries(adam.state()).map(([k, t]) => [k, tf.clone(t)]));
      adam.apply(gradsAt(2), 0.1);
      adam.setState(saved, 1); // back to the state after step 1 (parameters stay where they are)
      adam.apply(gradsAt(3), 0.1);
      results.push((await params['c']!.data()) as Float32Array, (await adam.state()['v/c']!.data()) as Float32Array);
      adam.dispose();
    }
    setFusedWebGpu(true);
    expect(relError(results[0]!, results[2]!)).toBeLessThan(1e-5);
    expect(relError(results[1]!, results[3]!)).toBeLessThan(1e-5);
  });

  it('keeps the tensor count stable across updates (packed moments are kept, old ones freed)', (ctx) => {
    if (skip) return ctx.skip(skip);
    const params = makeParams();
    const adam = new Adam(params);
    const g = gradsAt(1);
    tf.tidy(() => adam.apply(g, 0.1));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.tidy(() => adam.apply(g, 0.1));
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
  });

  it('dispatches 1 moments program + 1 per parameter + the gradient packing', (ctx) => {
    if (skip) return ctx.skip(skip);
    const params = makeParams();
    const adam = new Adam(params);
    const g = gradsAt(1);
    adam.apply(g, 0.1); // packs the moments once
    const fused = countDispatches(() => adam.apply(g, 0.1));
    setFusedWebGpu(false);
    adam.state();
    const composite = countDispatches(() => adam.apply(g, 0.1));
    setFusedWebGpu(true);
    console.info(`Adam update, 4 parameters: ${fused} dispatches fused, ${composite} composite`);
    expect(fused).toBe(1 + 1 + 4); // concat of 4 gradients (fits one program), moments, 4 parameters
    expect(composite).toBeGreaterThan(fused);
  });
});
