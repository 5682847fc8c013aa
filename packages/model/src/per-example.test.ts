/** perExample: hand-built results, and the view of a real infer() call. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fixed } from '@anira/halting';
import { addition, AniraInputError, sampleDataset, type Example } from '@anira/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { defaultModelConfig } from './config.js';
import { infer, type InferResult } from './infer.js';
import { LoopedTransformer } from './model.js';
import { perExample } from './per-example.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ex = (target: number[], difficulty: number[], size: number): Example => ({
  input: target.map(() => 1), target, difficulty, size, features: { static: {}, position: {}, dynamic: {} }, meta: { task: 't', params: {}, seed: 0 },
});

describe('perExample', () => {
  it('picks each example\'s target positions out of the flat [B*T] arrays', () => {
    // B = 2, T = 3; example 0 has targets at 1 and 2, example 1 (length 2) at 1
    const result = {
      batch: 2, length: 3, tMax: 4, iterations: 3,
      exitDepth: Int32Array.from([1, 2, 3, 1, 4, 0]),
      prediction: Int32Array.from([5, 7, 9, 5, 6, -1]),
      flops: Float64Array.from([10, 20, 30, 10, 40, 0]),
    } as unknown as InferResult;
    const views = perExample(result, [ex([-1, 7, 8], [-1, 1, 2], 3), ex([-1, 6], [-1, 5], 1)]);
    expect(views).toEqual([
      { index: 0, size: 3, exactMatch: false, meanDepth: 2.5, tokens: [
        { position: 1, target: 7, prediction: 7, correct: true, exitDepth: 2, difficulty: 1, flops: 20 },
        { position: 2, target: 8, prediction: 9, correct: false, exitDepth: 3, difficulty: 2, flops: 30 },
      ] },
      { index: 1, size: 1, exactMatch: true, meanDepth: 4, tokens: [{ position: 1, target: 6, prediction: 6, correct: true, exitDepth: 4, difficulty: 5, flops: 40 }] },
    ]);
  });

  it('refuses examples that are not the batch the result came from', () => {
    const result = { batch: 1, length: 2 } as unknown as InferResult;
    expect(() => perExample(result, [])).toThrow('perExample: "examples" must be the 1 examples the result was inferred on, got 0');
    const e = (() => {
      try {
        perExample(result, [ex([1, 2, 3], [0, 0, 0], 1)]);
      } catch (err) {
        return err;
      }
    })();
    expect(AniraInputError.isInstance(e)).toBe(true);
  });

  it('agrees with a real infer(): every target token once, depth within tMax', () => {
    const params = addition.resolveParams({ digits: 2 });
    const examples = sampleDataset(addition, params, { n: 3, seed: 4 });
    const model = new LoopedTransformer(defaultModelConfig({ vocabSize: addition.vocab.size, maxLength: addition.maxLength(params), dModel: 16, nHeads: 2, dMlp: 32, tMax: 3, seed: 1 }));
    const policy = fixed({ dModel: 16, vocabSize: addition.vocab.size, tMax: 3, seed: 0 }, { depth: 2 });
    const views = perExample(infer(model, policy, collate(examples)), examples);
    for (const [b, v] of views.entries()) {
      expect(v.tokens.map((k) => k.position)).toEqual(examples[b]!.target.flatMap((t, i) => (t === -1 ? [] : [i])));
      for (const k of v.tokens) expect(k.exitDepth).toBe(2);
    }
    model.dispose();
    policy.dispose();
  });
});
