/**
 * Isolating the decision on the real model: ANIRA-E decides every token's depth
 * from the shallow state h0 (embedding + positions + prelude) once, so perturbing
 * the shared-block weights (which only affect h1, h2, ...) must leave its exit
 * depths unchanged, and they must equal the plan `start()` makes from h0 alone;
 * perturbing the embedding (which changes h0) must change them. ANIRA-O decides
 * from h_t at every iteration, so the same shared-block perturbation changes its
 * exit depths. Both policies are trained briefly first so their depths vary.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { aniraO, type HaltingPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer, collate, infer, type Batch } from '@anira/model';
import { dimsOf, earlyDecisionPolicies, heldOutExample, tinyModel, trainExample } from './policies-cases.js';

const S = 4;
const batch: Batch = collate(Array.from({ length: 8 }, (_, i) => heldOutExample(i)));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Train `policy` with `model` for a few steps so that depths vary across tokens. */
function trainBriefly(model: LoopedTransformer, policy: HaltingPolicy): void {
  const trainer = new Trainer({ model, policy, example: trainExample, config: { steps: 30, batchSize: 8, evalEvery: 0, warmupSteps: 3, lr: 1e-2 } });
  for (let i = 0; i < 30; i++) trainer.trainStep();
  trainer.dispose();
}

/** Add seeded noise to every parameter whose name starts with `prefix`. */
function perturb(model: LoopedTransformer, prefix: string, seed: number): void {
  let k = 0;
  for (const [name, v] of Object.entries(model.params)) {
    if (!name.startsWith(prefix)) continue;
    v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.5, 'float32', seed + k++))));
  }
  expect(k).toBeGreaterThan(0);
}

/** ANIRA-E's planned depths from `start()` on the model's shallow state, `[B*T]`. */
function plannedDepths(model: LoopedTransformer, policy: HaltingPolicy): number[] {
  const planned = tf.tidy(() => {
    const ctx = model.context(batch);
    const h0 = tf.reshape(model.shallow(batch, ctx), [batch.batch, batch.length, model.config.dModel]) as tf.Tensor3D;
    const out = policy.start!({ shallow: h0, mask: tf.tensor2d(batch.mask, [batch.batch, batch.length]), tMax: S, seed: 0 });
    return out.plannedDepth!;
  });
  const d = Array.from(planned.dataSync());
  planned.dispose();
  return d;
}

const depths = (model: LoopedTransformer, policy: HaltingPolicy) => Array.from(infer(model, policy, batch).exitDepth);
const distinct = (xs: number[]) => new Set(xs).size;

describe('ANIRA-E versus ANIRA-O on the real looped Transformer', () => {
  it.each(earlyDecisionPolicies)('%s exit depths are its plan from h0 and ignore the shared-block weights, but not the embedding', (_name, make) => {
    const model = tinyModel(S);
    const policy = make(dimsOf(model));
    trainBriefly(model, policy);
    const plan = plannedDepths(model, policy);
    const before = depths(model, policy);
    expect(before).toEqual(plan);
    expect(distinct(before)).toBeGreaterThan(1); // not a constant plan, so "unchanged" means something
    perturb(model, 'shared.', 11);
    expect(depths(model, policy)).toEqual(before);
    expect(plannedDepths(model, policy)).toEqual(plan);
    perturb(model, 'embed', 12);
    expect(depths(model, policy)).not.toEqual(before);
    policy.dispose();
    tf.dispose(Object.values(model.params));
  });

  it('ANIRA-O exit depths change when only the shared-block weights change', () => {
    const model = tinyModel(S);
    const policy = aniraO(dimsOf(model));
    trainBriefly(model, policy);
    const before = depths(model, policy);
    perturb(model, 'shared.', 11);
    const after = depths(model, policy);
    expect(after).not.toEqual(before);
    policy.dispose();
    tf.dispose(Object.values(model.params));
  });
});
