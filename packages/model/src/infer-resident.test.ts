/**
 * Inference that reads once (`reads: 'once'`, the GPU default) equals the masked
 * iteration-by-iteration loop bit for bit (depths, predictions, per-step records,
 * probabilities, expected depths, FLOPs, states), matches skipping within float
 * error, reads once per call, and leaks nothing. On cpu, where both paths run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraE, aniraO } from '@anira/halting';
import { countDeviceWork } from '@anira/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { defaultModelConfig } from './config.js';
import { infer, inferAsync, type InferResult } from './infer.js';
import { LoopedTransformer } from './model.js';
import { copyExample, forcedDepth } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const C = 16;
const cfg = defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: C, nHeads: 2, tMax: 4, seed: 5, preludeLayers: 1, sharedLayers: 2 });
const batch = collate([copyExample([3, 4, 5]), copyExample([6, 7]), copyExample([1])]); // lengths 8, 6, 4: padded to 8

const plain = (r: InferResult) => ({
  iterations: r.iterations, exitDepth: Array.from(r.exitDepth), prediction: Array.from(r.prediction),
  stepPredictions: r.stepPredictions.map((a) => Array.from(a)), haltProbs: r.haltProbs?.map((a) => Array.from(a)) ?? null,
  expectedDepth: r.expectedDepth ? Array.from(r.expectedDepth) : null, flops: Array.from(r.flops), states: r.states?.map((s) => Array.from(s)),
});

describe("infer reads: 'once'", () => {
  it('equals the masked loop bit for bit, for forced depths, ANIRA-O and ANIRA-E, beyond the training tMax', () => {
    const model = new LoopedTransformer(cfg);
    const policies = [
      forcedDepth((b, t) => ((b * 3 + t * 5) % 4) + 1),
      aniraO({ dModel: C, vocabSize: 9, tMax: 4, seed: 3 }),
      aniraE({ dModel: C, vocabSize: 9, tMax: 4, seed: 3 }),
    ];
    for (const policy of policies) {
      for (const tMax of [4, 6]) {
        const masked = infer(model, policy, batch, { mode: 'masked', reads: 'each-iteration', recordStates: true, tMax });
        const once = infer(model, policy, batch, { reads: 'once', recordStates: true, tMax });
        expect(plain(once), `${policy.name} tMax ${tMax}`).toEqual(plain(masked));
      }
      policy.dispose();
    }
    model.dispose();
  });

  it('matches skipping within 1e-5 (states) with the same depths and predictions', async () => {
    const model = new LoopedTransformer(cfg);
    const policy = forcedDepth((b, t) => ((b + t) % 4) + 1);
    const skip = infer(model, policy, batch, { reads: 'each-iteration', recordStates: true });
    const once = await inferAsync(model, policy, batch, { reads: 'once', recordStates: true });
    expect(Array.from(once.exitDepth)).toEqual(Array.from(skip.exitDepth));
    expect(Array.from(once.prediction)).toEqual(Array.from(skip.prediction));
    const last = (r: InferResult) => r.states![r.iterations - 1]!;
    last(once).forEach((v, i) => expect(Math.abs(v - last(skip)[i]!)).toBeLessThan(1e-5));
    model.dispose();
  });

  it("reads once per call, a planning policy's expected depth included", async () => {
    const model = new LoopedTransformer(cfg);
    const o = aniraO({ dModel: C, vocabSize: 9, tMax: 4, seed: 3 });
    const e = aniraE({ dModel: C, vocabSize: 9, tMax: 4, seed: 3 });
    for (const policy of [o, e]) {
      infer(model, policy, batch, { reads: 'once' }); // warm-up
      const { counts } = await countDeviceWork(() => inferAsync(model, policy, batch, { reads: 'once' }));
      expect(counts.reads, policy.name).toBe(1);
      const each = await countDeviceWork(() => inferAsync(model, policy, batch, { reads: 'each-iteration' }));
      expect(each.counts.reads, policy.name).toBeGreaterThan(1);
    }
    [o, e, model].forEach((x) => x.dispose());
  });

  it('leaks no tensor', () => {
    const model = new LoopedTransformer(cfg);
    const policy = aniraE({ dModel: C, vocabSize: 9, tMax: 4, seed: 3 });
    infer(model, policy, batch, { reads: 'once' });
    const before = tf.memory().numTensors;
    infer(model, policy, batch, { reads: 'once', recordStates: true, tMax: 6 });
    expect(tf.memory().numTensors).toBe(before);
    policy.dispose();
    model.dispose();
  });
});
