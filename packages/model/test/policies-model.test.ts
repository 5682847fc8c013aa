/**
 * Policy × model integration on the cpu backend: every halting policy (built-ins,
 * a Gumbel variant, combinators, the documented user policy) trains with the real
 * `Trainer` on a real task (addition, 2 digits) and infers with the real looped
 * Transformer. Checks: finite losses, trainable variables move, no tensor growth
 * over 50 training steps and 50 inference calls, exit depths in [1, tMax] for real
 * tokens (0 for padding) at the training tMax and beyond it, and skip inference
 * equal to masked inference (predictions and exit depths).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HaltingPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer, collate, infer, type Batch } from '@anira/model';
import { generateExample } from '@anira/tasks';
import { TASK, dimsOf, heldOutExample, policyCases, tinyModel, trainExample } from './policies-cases.js';

const S = 3; // training tMax
const cases = await policyCases();

/** A held-out batch mixing 2-digit (length 9) and 1-digit (length 6, padded) sums. */
function evalBatch(): Batch {
  const short = (i: number) => generateExample(TASK, { digits: 1 }, 900 + i);
  return collate([heldOutExample(0), short(0), heldOutExample(1), heldOutExample(2), short(1), heldOutExample(3)]);
}

const snapshot = (vars: Readonly<Record<string, tf.Variable>>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.from(v.dataSync())]));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(cases)('policy $name with the looped Transformer', (c) => {
  let model: LoopedTransformer;
  let policy: HaltingPolicy;
  let trainer: Trainer;

  beforeAll(() => {
    model = tinyModel(S);
    policy = c.create(dimsOf(model));
    trainer = new Trainer({ model, policy, example: trainExample, config: { steps: 200, batchSize: 6, evalEvery: 0, warmupSteps: 5 } });
  });
  afterAll(() => {
    trainer.dispose();
    policy.dispose();
    tf.dispose(Object.values(model.params));
  });

  it('trains 50 steps and infers 50 times with finite losses, moving variables and no tensor growth', () => {
    const policyBefore = snapshot(policy.variables);
    const modelBefore = Array.from(model.params['shared.0.wq']!.dataSync());
    const batch = evalBatch();
    // warm-up: the optimizer state and any lazily built constants
    for (let i = 0; i < 2; i++) trainer.trainStep();
    infer(model, policy, batch);
    const n0 = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) losses.push(trainer.trainStep().loss);
    expect(tf.memory().numTensors).toBe(n0);
    for (let i = 0; i < 50; i++) infer(model, policy, batch, { tMax: i % 2 === 0 ? S : 2 * S });
    expect(tf.memory().numTensors).toBe(n0);

    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    const modelAfter = model.params['shared.0.wq']!.dataSync();
    expect(modelBefore.some((v, i) => v !== modelAfter[i])).toBe(true);
    const trainable = Object.entries(policy.variables).filter(([, v]) => v.trainable);
    expect(trainable.length > 0).toBe(c.trainable);
    for (const [k, v] of trainable) {
      const now = v.dataSync();
      expect(policyBefore[k]!.some((x, i) => x !== now[i]), `policy variable "${k}" did not change`).toBe(true);
    }
  });

  for (const tMax of [S, 2 * S]) {
    it(`exits every real token in [1, ${tMax}] and skip equals masked inference (inference tMax ${tMax}, training ${S})`, () => {
      const batch = evalBatch();
      const skip = infer(model, policy, batch, { tMax, seed: 5 });
      const masked = infer(model, policy, batch, { tMax, seed: 5, mode: 'masked' });
      const [lo, hi] = c.depthRange?.(tMax, S) ?? [1, tMax];
      let real = 0;
      for (let i = 0; i < batch.mask.length; i++) {
        const d = skip.exitDepth[i]!;
        if (batch.mask[i]! > 0) {
          real++;
          expect(d).toBeGreaterThanOrEqual(lo);
          expect(d).toBeLessThanOrEqual(hi);
          expect(skip.prediction[i]).toBeGreaterThanOrEqual(0);
        } else {
          expect(d).toBe(0);
          expect(skip.prediction[i]).toBe(-1);
        }
      }
      expect(real).toBeLessThan(batch.mask.length); // the batch really has padding
      expect(skip.iterations).toBe(Math.max(...skip.exitDepth));
      expect(Array.from(skip.exitDepth)).toEqual(Array.from(masked.exitDepth));
      expect(Array.from(skip.prediction)).toEqual(Array.from(masked.prediction));
    });
  }
});
