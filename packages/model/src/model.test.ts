import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { collate } from './batch.js';
import { LoopedTransformer } from './model.js';
import { trainForward } from './forward.js';
import { infer } from './infer.js';
import { copyExample, forcedDepth } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LoopedTransformer', () => {
  it('training forward gives finite scalars and infer gives per-token results', () => {
    const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 8, maxLength: 12, dModel: 16, nHeads: 2, preludeLayers: 1 }));
    const batch = collate([copyExample([3, 4]), copyExample([5, 6, 7])]);
    const policy = forcedDepth(() => 2);
    const r = tf.tidy(() => {
      const f = trainForward(model, policy, batch, 1);
      return [f.objective.dataSync()[0]!, f.meanDepth.dataSync()[0]!];
    });
    expect(Number.isFinite(r[0])).toBe(true);
    expect(r[1]).toBeCloseTo(2, 5);
    const res = infer(model, policy, batch);
    expect(res.exitDepth.length).toBe(2 * 8);
    expect(Array.from(res.exitDepth.slice(0, 8))).toEqual([2, 2, 2, 2, 2, 2, 0, 0]);
    expect(res.iterations).toBe(2);
    model.dispose();
  });
});
