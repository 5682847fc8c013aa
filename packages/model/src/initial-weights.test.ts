/**
 * `Trainer.initModel`: a new run starts from another run's model weights (its best or
 * its latest), with a fresh policy, optimizer and step, and keeps the record in its
 * checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig, type ModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';
import type { TrainerConfig } from './trainer-config.js';
import { learnedSteps, randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cfg: ModelConfig = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 2, seed: 9 });
let policySeed = 0;
const values = (vars: Readonly<Record<string, tf.Variable>>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.from(v.dataSync())]));

function setup(modelConfig: ModelConfig = cfg, config: Partial<TrainerConfig> = {}) {
  const model = new LoopedTransformer(modelConfig);
  const policy = learnedSteps(modelConfig.tMax, 100 + policySeed++);
  const evalExamples = Array.from({ length: 4 }, (_, i) => randomCopy(1000 + i, 3));
  const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), evalExamples, config: { steps: 8, batchSize: 4, lr: 3e-2, warmupSteps: 1, evalEvery: 0, ...config } });
  const dispose = () => {
    trainer.dispose();
    model.dispose();
    policy.dispose();
  };
  return { model, policy, trainer, dispose };
}

/**
 * A source run of 8 updates whose best evaluation stays at update 2 (no later one can
 * gain more than minDelta 1), so its best weights differ from its latest ones.
 */
async function sourceRun() {
  const src = setup(cfg, { evalEvery: 2, patience: 100, minDelta: 1 });
  await src.trainer.runAsync();
  const last = values(src.model.params);
  const bytes = await src.trainer.checkpoint();
  const bestFile = (await src.trainer.bestCheckpoint())!;
  src.trainer.useBest();
  const best = values(src.model.params);
  src.dispose();
  return { bytes, bestFile, last, best };
}

describe('Trainer.initModel', () => {
  it('takes the best or the latest model weights, leaves the policy, optimizer and step fresh, and frees what it read', async () => {
    const src = await sourceRun();
    expect(src.best).not.toEqual(src.last); // the two choices differ, so the test can tell them apart
    for (const [which, want, step] of [['best', src.best, 2], ['last', src.last, 8]] as const) {
      const dst = setup();
      const policyBefore = values(dst.policy.variables);
      const before = tf.memory().numTensors;
      expect(dst.trainer.initModel(src.bytes, which)).toEqual({ step, weights: which });
      expect(tf.memory().numTensors).toBe(before);
      expect(values(dst.model.params)).toEqual(want);
      expect(values(dst.policy.variables)).toEqual(policyBefore);
      expect([dst.trainer.step, dst.trainer.initialWeights]).toEqual([0, { step, weights: which }]);
      await dst.trainer.runAsync(1); // the optimizer starts from zero moments: one update trains
      expect(dst.trainer.step).toBe(1);
      dst.dispose();
    }
  });

  it('reads a best-weights file as the best weights and refuses "last" for it', async () => {
    const src = await sourceRun();
    const dst = setup();
    expect(() => dst.trainer.initModel(src.bestFile, 'last')).toThrow('initModel: this is a best-weights file, which holds no latest weights');
    expect(dst.trainer.initModel(src.bestFile)).toEqual({ step: 2, weights: 'best' });
    expect(values(dst.model.params)).toEqual(src.best);
    dst.dispose();
  });

  it('falls back to the latest weights, and says so, where the checkpoint has no evaluation', async () => {
    const src = setup();
    await src.trainer.runAsync(3);
    const bytes = await src.trainer.checkpoint();
    const last = values(src.model.params);
    src.dispose();
    const dst = setup();
    expect(dst.trainer.initModel(bytes, 'best')).toEqual({ step: 3, weights: 'last' });
    expect(values(dst.model.params)).toEqual(last);
    dst.dispose();
  });

  it('keeps the record in its checkpoints, so that a resumed trainer has it', async () => {
    const src = await sourceRun();
    const dst = setup();
    dst.trainer.initModel(src.bytes);
    await dst.trainer.runAsync(2);
    const bytes = await dst.trainer.checkpoint();
    dst.dispose();
    const resumed = setup();
    expect(resumed.trainer.initialWeights).toBeUndefined();
    resumed.trainer.restore(bytes);
    expect(resumed.trainer.initialWeights).toEqual({ step: 2, weights: 'best' });
    resumed.dispose();
  });

  it('allows another tMax, refuses any other model difference and a trainer past update 0', async () => {
    const src = await sourceRun();
    const longer = setup({ ...cfg, tMax: 4 });
    expect(longer.trainer.initModel(src.bytes, 'last')).toEqual({ step: 8, weights: 'last' });
    expect(values(longer.model.params)).toEqual(src.last);
    longer.dispose();
    const wider = setup({ ...cfg, dMlp: cfg.dMlp * 2 });
    expect(() => wider.trainer.initModel(src.bytes)).toThrow(`initModel: model config "dMlp" is ${cfg.dMlp} in the checkpoint, ${cfg.dMlp * 2} here (only tMax and seed may differ)`);
    wider.dispose();
    const started = setup();
    await started.trainer.runAsync(1);
    expect(() => started.trainer.initModel(src.bytes)).toThrow('initModel: the trainer is at update 1; initialise the model before the first update');
    started.dispose();
  });
});
