/**
 * Training through the native kernels: the losses of 50 updates equal plain
 * wasm's within 1e-4 relative (the gradients switch from explicit transposes to
 * transpose flags, so only float reassociation differs), no tensor is leaked per
 * step, and a run resumed from a checkpoint is bit-identical to an
 * uninterrupted one (the serial BLAS is deterministic).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { LoopedTransformer, Trainer, defaultModelConfig } from '@anira/model';
import type { HaltingPolicy } from '@anira/halting';
import type { Example } from '@anira/tasks';
import { backendCapabilities } from '@anira/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableNativeKernels, enableNativeKernels } from '../src/enable.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(() => disableNativeKernels());

/** Exits after the last step: the loss is the last step's. */
const lastStep = {
  specificationVersion: 'v1',
  name: 'last-step',
  variables: {},
  options: {},
  train: ({ states }: { states: tf.Tensor[] }) => {
    const [b, t] = states[0]!.shape as [number, number];
    const w = tf.cast(tf.oneHot(tf.fill([b, t], states.length - 1, 'int32'), states.length), 'float32');
    return { weights: w, combine: 'expected-loss', loss: tf.scalar(0) };
  },
  step: ({ t, tMax, active }: { t: number; tMax: number; active: tf.Tensor }) => ({ halt: tf.mul(tf.onesLike(active), t >= tMax ? 1 : 0) }),
  dispose() {},
} as unknown as HaltingPolicy;

/** Reverse a sequence of 6 symbols: prompt, separator, answer. */
function example(i: number): Example {
  const s = Array.from({ length: 6 }, (_, k) => 3 + ((i * 7 + k * 13 + ((i * k) % 5)) % 9));
  const input = [1, ...s, 2, ...s.slice().reverse()];
  const target = input.map((_, k) => (k >= 7 && k < 13 ? input[k + 1]! : -1));
  return {
    input,
    target,
    difficulty: input.map(() => -1),
    features: { static: {}, dynamic: {} },
    size: 6,
    meta: { task: 'reverse', params: {}, seed: i },
  } as unknown as Example;
}

function makeTrainer(): { trainer: Trainer; model: LoopedTransformer } {
  const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 12, maxLength: 16, dModel: 48, nHeads: 2, tMax: 2, seed: 5 }));
  const trainer = new Trainer({ model, policy: lastStep, example, config: { steps: 100, batchSize: 16, lr: 3e-3, warmupSteps: 5, evalEvery: 0 } });
  return { trainer, model };
}

function losses(trainer: Trainer, n: number): number[] {
  return Array.from({ length: n }, () => trainer.trainStep().loss);
}

describe('training on native kernels', () => {
  it('50 updates: losses within 1e-4 relative of plain wasm, no tensor growth', () => {
    disableNativeKernels();
    expect(backendCapabilities().transposedProductCheap).toBe(false);
    const plain = makeTrainer();
    const ref = losses(plain.trainer, 50);
    plain.trainer.dispose();
    plain.model.dispose();

    expect(enableNativeKernels().enabled).toBe(true);
    expect(backendCapabilities()).toMatchObject({ transposedProductCheap: true, attention: 'matmul' });
    const nat = makeTrainer();
    const got = losses(nat.trainer, 5);
    const tensors = tf.memory().numTensors;
    got.push(...losses(nat.trainer, 45));
    expect(tf.memory().numTensors).toBe(tensors);
    nat.trainer.dispose();
    nat.model.dispose();

    expect(ref[49]!).toBeLessThan(ref[0]! * 0.8); // it learns, so the comparison means something
    for (let i = 0; i < 50; i++) expect(Math.abs(got[i]! - ref[i]!) / Math.abs(ref[i]!)).toBeLessThan(1e-4);
  });

  it('a resumed run is bit-identical to an uninterrupted one', async () => {
    expect(enableNativeKernels().enabled).toBe(true);
    const a = makeTrainer();
    losses(a.trainer, 8);
    const bytes = await a.trainer.checkpoint();
    const straight = losses(a.trainer, 8);
    const b = makeTrainer();
    b.trainer.restore(bytes);
    const resumed = losses(b.trainer, 8);
    expect(resumed).toEqual(straight);
    for (const t of [a, b]) {
      t.trainer.dispose();
      t.model.dispose();
    }
  });
});
