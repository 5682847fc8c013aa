/**
 * The trainer never keeps a non-finite update, stops early on patience, keeps the
 * best-evaluation weights, and carries all of that (and the calibration knob)
 * through a checkpoint so a resumed run equals an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO, fixed as fixedDepth } from '@anira/halting';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { NonFiniteTrainingError } from './errors.js';
import { LoopedTransformer } from './model.js';
import { Trainer, type TrainerOptions } from './trainer.js';
import { randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modelConfig = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 2, seed: 5 });
const evalSet = Array.from({ length: 16 }, (_, i) => randomCopy(1_000_000 + i, 3));
const owned: { dispose(): void }[] = [];
afterEach(() => owned.splice(0).forEach((o) => o.dispose()));

function build(config: NonNullable<TrainerOptions['config']>, extra: Partial<TrainerOptions> = {}) {
  const model = new LoopedTransformer(modelConfig);
  const policy = aniraO({ dModel: 16, vocabSize: 7, tMax: 2, seed: 5 });
  const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), evalExamples: evalSet, config, ...extra });
  owned.push(trainer, policy, model);
  return { model, policy, trainer };
}

const snapshot = (vars: Record<string, tf.Variable>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('Trainer integrity', () => {
  it('stops at the first non-finite loss without applying that update', () => {
    const { model, trainer } = build({ steps: 5, batchSize: 4, evalEvery: 0 });
    trainer.trainStep();
    const before = snapshot(model.params);
    // Poison one weight: the next forward pass gives a NaN loss.
    const name = Object.keys(model.params)[0]!;
    const v = model.params[name]!;
    const saved = v.clone();
    v.assign(tf.fill(v.shape, Number.NaN));
    let err: unknown;
    try {
      trainer.trainStep();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteTrainingError);
    expect((err as NonFiniteTrainingError).step).toBe(2);
    expect((err as Error).message).toMatch(/update 2: loss is NaN/);
    expect(trainer.step).toBe(1);
    v.assign(saved);
    saved.dispose();
    expect(snapshot(model.params)).toEqual(before); // no update was applied to any weight
  });

  it('reports the exploding configuration as divergence, never as a finished run', () => {
    const { trainer } = build({ steps: 60, batchSize: 8, lr: 10, weightDecay: 1, clipNorm: 1e9, warmupSteps: 0, evalEvery: 0 });
    expect(() => trainer.run()).toThrow(NonFiniteTrainingError);
    expect(trainer.step).toBeLessThan(60);
  });

  it('stops on patience, keeps the best weights and restores them with useBest()', () => {
    // lr 0: accuracy never changes, so after the first evaluation no later one improves
    const { model, trainer } = build({ steps: 40, batchSize: 4, lr: 0, evalEvery: 5, patience: 2 });
    const r = trainer.run();
    expect(r.stopped).toBe('patience');
    expect(r.step).toBe(15); // best at 5, no improvement at 10 and 15
    expect(trainer.bestStep).toBe(5);
    const best = snapshot(model.params);
    model.params[Object.keys(model.params)[0]!]!.assign(tf.zeros(model.params[Object.keys(model.params)[0]!]!.shape));
    expect(trainer.useBest()).toBe(true);
    expect(snapshot(model.params)).toEqual(best);
  });

  it('a resumed run equals an uninterrupted one, including the early-stopping state', async () => {
    const cfg = { steps: 30, batchSize: 4, lr: 5e-3, warmupSteps: 2, evalEvery: 5, patience: 3 };
    const a = build(cfg);
    const ra = a.trainer.run();
    const b = build(cfg);
    b.trainer.run(10);
    const bytes = await b.trainer.checkpoint();
    const c = build(cfg);
    c.trainer.restore(bytes);
    expect(c.trainer.bestStep).toBe(b.trainer.bestStep);
    const rc = c.trainer.run();
    expect(rc.stopped).toBe(ra.stopped);
    expect(rc.step).toBe(ra.step);
    expect(c.trainer.bestStep).toBe(a.trainer.bestStep);
    expect(snapshot(c.model.params)).toEqual(snapshot(a.model.params));
    // the best-weights file loads into a fresh trainer
    const best = await a.trainer.bestCheckpoint();
    const d = build(cfg);
    d.trainer.restoreBest(best!);
    expect(d.trainer.bestStep).toBe(a.trainer.bestStep);
    expect(() => d.trainer.restore(best!)).toThrow(/best-weights file/);
  });

  it('restores the calibration knob saved in the checkpoint', async () => {
    const a = build({ steps: 2, batchSize: 4, evalEvery: 0 });
    a.trainer.run();
    a.policy.calibration!.set(0.8);
    const bytes = await a.trainer.checkpoint();
    const b = build({ steps: 2, batchSize: 4, evalEvery: 0 });
    expect(b.policy.calibration!.get()).toBe(0.5);
    b.trainer.restore(bytes);
    expect(b.policy.calibration!.get()).toBeCloseTo(0.8, 12);
  });

  it('keeps a knob value outside the knob range as it is (fixed depth 0 = tMax)', async () => {
    const model = new LoopedTransformer(modelConfig);
    const policy = fixedDepth({ dModel: 16, vocabSize: 7, tMax: 2, seed: 5 }, { depth: 0 });
    const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), config: { steps: 1, batchSize: 4, evalEvery: 0 } });
    owned.push(trainer, policy, model);
    trainer.run();
    const bytes = await trainer.checkpoint();
    const policy2 = fixedDepth({ dModel: 16, vocabSize: 7, tMax: 2, seed: 5 }, { depth: 0 });
    const t2 = new Trainer({ model, policy: policy2, example: (i) => randomCopy(i, 3), config: { steps: 1, batchSize: 4, evalEvery: 0 } });
    owned.push(t2, policy2);
    t2.restore(bytes);
    expect(policy2.options['depth']).toBe(0);
  });

  it('does not leak tensors across steps, evaluations and snapshots', () => {
    const { trainer } = build({ steps: 12, batchSize: 4, evalEvery: 2, patience: 100 });
    trainer.run(4);
    const n = tf.memory().numTensors;
    trainer.run(8);
    expect(tf.memory().numTensors).toBe(n);
  });
});
