/**
 * Inference reads the embedding by row selection (model.ts `shallow(…, rows)`):
 * the same bits as training's one-hot product, on cpu and wasm, with padding, an
 * out-of-range id (a zero row either way) and both row modes; and the tensor count
 * does not grow.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { collate, type Batch } from './batch.js';
import { LoopedTransformer } from './model.js';
import { copyExample } from '../test/helpers.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('shallow state with the embedding read by rows', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`equals the one-hot product bit for bit on ${backend}`, async () => {
      await tf.setBackend(backend);
      const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 11, maxLength: 10, dModel: 16, nHeads: 2, tMax: 2, preludeLayers: 1, seed: 4 }));
      const padded = collate([copyExample([3, 4, 5, 6]), copyExample([7, 8])]); // the second example is padded
      const input = Int32Array.from(padded.input);
      input[3] = 11; // out of range: the one-hot row is all zeros
      const batches: Batch[] = [padded, { ...padded, input }];
      const before = tf.memory().numTensors;
      for (const batch of batches) {
        const [want, host, device] = tf.tidy(() => {
          const ctx = model.context(batch);
          return [model.shallow(batch, ctx), model.shallow(batch, ctx, 'host'), model.shallow(batch, ctx, 'device')].map(bits);
        });
        expect(host).toEqual(want);
        expect(device).toEqual(want);
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }
});
