/**
 * The halting phase (schedule.ts): a warm start at full depth, then the halting penalty
 * ramped from 0. Hand cases of `haltingPhase`, then its effect on `trainForward` (depth
 * T_max, no penalty, no gradient into the halting head during the warm start; a scaled
 * penalty on the ramp) and on a Trainer's log.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO } from '@anira/halting';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { defaultModelConfig } from './config.js';
import { trainForward } from './forward.js';
import { LoopedTransformer } from './model.js';
import { FULL_PHASE, haltingPhase } from './schedule.js';
import { Trainer } from './trainer.js';
import { defaultTrainerConfig } from './trainer-config.js';
import { randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('haltingPhase', () => {
  it('warm start, then a linear ramp, then the whole penalty', () => {
    expect(haltingPhase(0, 2, 4)).toEqual({ fullDepth: true, penaltyScale: 0 });
    expect(haltingPhase(1, 2, 4)).toEqual({ fullDepth: true, penaltyScale: 0 });
    expect([2, 3, 4, 5, 6, 100].map((s) => haltingPhase(s, 2, 4).penaltyScale)).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    expect(haltingPhase(0, 0, 0)).toEqual(FULL_PHASE);
    expect(haltingPhase(0, 0, 2)).toEqual({ fullDepth: false, penaltyScale: 0.5 });
  });

  it('trainer config: defaults 0, bad values named in one line', () => {
    expect(defaultTrainerConfig()).toMatchObject({ warmStartSteps: 0, penaltyRampSteps: 0 });
    expect(() => defaultTrainerConfig({ warmStartSteps: 1.5 })).toThrow('trainer config: "warmStartSteps" must be an integer in [0, 1000000000], got 1.5');
  });
});

describe('trainForward under a halting phase', () => {
  const config = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 3, seed: 5 });
  const batch = collate(Array.from({ length: 4 }, (_, i) => randomCopy(i, 3)));

  it('warm start: mean depth T_max, zero penalty, zero gradient into the halting head; ramp: the penalty scaled', () => {
    const model = new LoopedTransformer(config);
    const policy = aniraO({ dModel: 16, vocabSize: 7, tMax: 3, seed: 5 }, { beta: 1 });
    const plain = trainForward(model, policy, batch, 1);
    expect(plain.meanDepth.dataSync()[0]!).toBeLessThan(2.99);
    expect(plain.policyLoss.dataSync()[0]!).toBeGreaterThan(0);
    const warm = trainForward(model, policy, batch, 1, haltingPhase(0, 5, 0));
    expect(warm.meanDepth.dataSync()[0]!).toBeCloseTo(3, 6);
    expect(warm.policyLoss.dataSync()[0]!).toBe(0);
    // the task loss is the last step's cross-entropy alone
    const half = trainForward(model, policy, batch, 1, { fullDepth: false, penaltyScale: 0.5 });
    expect(half.policyLoss.dataSync()[0]!).toBeCloseTo(plain.policyLoss.dataSync()[0]! / 2, 6);
    expect(half.taskLoss.dataSync()[0]!).toBeCloseTo(plain.taskLoss.dataSync()[0]!, 6);
    const head = Object.values(policy.variables);
    const { grads } = tf.variableGrads(() => trainForward(model, policy, batch, 1, haltingPhase(0, 5, 0)).objective, head);
    for (const v of head) expect(Array.from(grads[v.name]!.dataSync()).every((g) => g === 0), v.name).toBe(true);
    const plainGrads = tf.variableGrads(() => trainForward(model, policy, batch, 1).objective, head).grads;
    expect(head.some((v) => Array.from(plainGrads[v.name]!.dataSync()).some((g) => g !== 0))).toBe(true);
    model.dispose();
    policy.dispose();
  });

  it('a Trainer logs depth T_max during its warm start and the policy\'s depth after it', () => {
    const model = new LoopedTransformer(config);
    const policy = aniraO({ dModel: 16, vocabSize: 7, tMax: 3, seed: 5 }, { biasInit: 1 });
    const log: { step: number; meanDepth: number }[] = [];
    const trainer = new Trainer({
      model, policy, example: (i) => randomCopy(i, 3),
      config: { steps: 4, batchSize: 4, warmupSteps: 0, evalEvery: 0, warmStartSteps: 2, penaltyRampSteps: 2 },
      onLog: (e) => log.push({ step: e.step, meanDepth: e.meanDepth }),
    });
    trainer.run();
    expect(log.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(log[0]!.meanDepth).toBeCloseTo(3, 6);
    expect(log[1]!.meanDepth).toBeCloseTo(3, 6);
    expect(log[2]!.meanDepth).toBeLessThan(2.9); // biasInit 1: the policy halts early once it decides
    trainer.dispose();
    model.dispose();
    policy.dispose();
  });
});
