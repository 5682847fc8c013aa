import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';
import { forcedDepth, randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modelConfig = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 32, nHeads: 2, tMax: 2, seed: 3 });
const evalSet = Array.from({ length: 64 }, (_, i) => randomCopy(1_000_000 + i, 3));

describe('Trainer', () => {
  it('learns a copy task to >= 99% held-out token accuracy', () => {
    const model = new LoopedTransformer(modelConfig);
    const policy = forcedDepth(() => 2);
    const trainer = new Trainer({
      model, policy, example: (i) => randomCopy(i, 3), evalExamples: evalSet,
      config: { steps: 600, batchSize: 16, lr: 1e-2, warmupSteps: 20, evalEvery: 50, targetAccuracy: 0.995 },
    });
    const t0 = Date.now();
    const r = trainer.run();
    console.log('copy learning:', r, `${Date.now() - t0} ms`);
    expect(r.eval!.accuracy).toBeGreaterThanOrEqual(0.99);
    trainer.dispose();
    model.dispose();
  });
});
