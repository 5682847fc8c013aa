/**
 * `readEvery` n > 1: a run reads once per interval of n updates, logs the same
 * entries and reaches the same weights as reading every update; a non-finite
 * update inside an interval rolls the weights and optimizer back to the interval's
 * start (all finite) and names the first bad update; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO } from '@anira/halting';
import { countsBetween, deviceCounts } from '@anira/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { NonFiniteTrainingError } from './errors.js';
import { LoopedTransformer } from './model.js';
import { Trainer, type TrainerOptions, type TrainLogEntry } from './trainer.js';
import { randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modelConfig = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 2, seed: 5 });
const evalSet = Array.from({ length: 4 }, (_, i) => randomCopy(1_000_000 + i, 3));
const owned: { dispose(): void }[] = [];
afterEach(() => owned.splice(0).forEach((o) => o.dispose()));

function build(config: NonNullable<TrainerOptions['config']>, readEvery: number, onLog?: (e: TrainLogEntry) => void) {
  const model = new LoopedTransformer(modelConfig);
  const policy = aniraO({ dModel: 16, vocabSize: 7, tMax: 2, seed: 5 });
  const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), evalExamples: evalSet, config, readEvery, ...(onLog ? { onLog } : {}) });
  owned.push(trainer, policy, model);
  return { model, trainer };
}

const values = (vars: Record<string, tf.Variable>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.from(v.dataSync())]));
const withoutTime = (e: TrainLogEntry) => ({ ...e, timeMs: 0 });
const exploding = { steps: 60, batchSize: 8, lr: 10, weightDecay: 1, clipNorm: 1e9, warmupSteps: 0, evalEvery: 0 };

describe('Trainer readEvery', () => {
  it('logs the same entries, evaluates at the same updates and reaches the same weights as reading every update', () => {
    const cfg = { steps: 9, batchSize: 2, evalEvery: 4 };
    const logA: TrainLogEntry[] = [];
    const logB: TrainLogEntry[] = [];
    const a = build(cfg, 1, (e) => logA.push(e));
    const b = build(cfg, 3, (e) => logB.push(e));
    a.trainer.run();
    b.trainer.run();
    expect(logB.map((e) => e.step)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(logB.map(withoutTime)).toEqual(logA.map(withoutTime));
    expect(logB.filter((e) => e.eval).map((e) => e.step)).toEqual([4, 8, 9]);
    expect(values(b.model.params)).toEqual(values(a.model.params));
  });

  it('reads once per interval (device→host reads counted on the backend)', () => {
    const { trainer } = build({ steps: 20, batchSize: 2, evalEvery: 0 }, 5);
    trainer.run(5); // warm-up interval
    const before = deviceCounts();
    trainer.run(15);
    expect(countsBetween(before, deviceCounts()).reads).toBe(2);
  });

  it('rolls a non-finite interval back to its start, all finite, naming the first bad update', () => {
    const lone = build(exploding, 1);
    let loneErr: unknown;
    try {
      lone.trainer.run();
    } catch (e) {
      loneErr = e;
    }
    expect(loneErr).toBeInstanceOf(NonFiniteTrainingError);
    const bad = (loneErr as NonFiniteTrainingError).step;

    const n = 7;
    const b = build(exploding, n);
    let err: unknown;
    try {
      b.trainer.run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteTrainingError);
    expect((err as NonFiniteTrainingError).step).toBe(bad);
    const start = Math.floor((bad - 1) / n) * n;
    expect(b.trainer.step).toBe(start);
    expect((err as NonFiniteTrainingError).keptStep).toBe(start);
    expect((err as Error).message).toMatch(new RegExp(`update ${bad}: .*rolled back to the weights of update ${start}$`));
    const kept = values(b.model.params);
    expect(Object.values(kept).flat().every(Number.isFinite)).toBe(true);
    // the same weights as a run that read every update and stopped at `start`
    const c = build(exploding, 1);
    c.trainer.run(start);
    expect(kept).toEqual(values(c.model.params));
  });

  it('does not leak tensors across intervals, evaluations and rollbacks', () => {
    const { trainer } = build({ steps: 30, batchSize: 2, evalEvery: 6 }, 4);
    trainer.run(6);
    const n = tf.memory().numTensors;
    trainer.run(12);
    expect(tf.memory().numTensors).toBe(n);
    const boom = build(exploding, 5);
    const m = tf.memory().numTensors;
    expect(() => boom.trainer.run()).toThrow(NonFiniteTrainingError);
    expect(tf.memory().numTensors).toBe(m);
  });

  it('refuses a readEvery outside [1, 10000] in one line naming the field', () => {
    expect(() => build({ steps: 1 }, 0)).toThrow(/^Trainer: "readEvery" must be an integer in \[1, 10000\], got 0$/);
    expect(() => build({ steps: 1 }, 1.5)).toThrow(/"readEvery"/);
  });
});
