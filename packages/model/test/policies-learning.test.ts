/**
 * Learning with adaptive depth, on wasm: ANIRA-E and ANIRA-O each train a small
 * looped Transformer on Dyck-(2 types, depth 3, length 12) bracket tagging (a
 * stack task a tiny model learns in ~100-150 steps; measured) with an
 * expected-depth compute penalty, and must reach >= 95% held-out token accuracy
 * within 400 steps while their held-out mean exit depth (skipping inference)
 * stays below the training T_max. depthCost 0.02 was measured: it pushes mean
 * depth to about 2.2 (E) and 1.0 (O) out of 4 without hurting accuracy.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { aniraE, aniraO, type HaltingPolicy, type PolicyDims } from '@anira/halting';
import { LoopedTransformer, Trainer, defaultModelConfig, evaluate } from '@anira/model';
import { deriveExampleSeed, dyck, generateExample } from '@anira/tasks';

const PARAMS = { types: 2, depth: 3, length: 12 };
const S = 4; // training T_max
const example = (stream: number) => (i: number) => generateExample(dyck, PARAMS, deriveExampleSeed(stream, i));
const heldOut = Array.from({ length: 200 }, (_, i) => example(2)(i));
const penalty = { penalty: 'expected-depth', depthCost: 0.02 } as const;

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe.each([
  { name: 'anira-e', make: (d: PolicyDims): HaltingPolicy => aniraE(d, penalty) },
  { name: 'anira-o', make: (d: PolicyDims): HaltingPolicy => aniraO(d, penalty) },
])('$name learns Dyck tagging with less than T_max compute', ({ make }) => {
  it('reaches >= 95% held-out token accuracy within 400 steps with mean depth < T_max', () => {
    const model = new LoopedTransformer(defaultModelConfig({
      vocabSize: dyck.vocab.size, maxLength: dyck.maxLength(dyck.resolveParams(PARAMS)), dModel: 32, nHeads: 4, tMax: S, seed: 1,
    }));
    const policy = make({ dModel: 32, vocabSize: dyck.vocab.size, tMax: S, seed: 2 });
    const trainer = new Trainer({
      model, policy, example: example(1), evalExamples: heldOut,
      config: { steps: 400, batchSize: 32, evalEvery: 50, targetAccuracy: 0.95 },
    });
    const run = trainer.run();
    // an independent evaluation of the final weights (the early stop read the same set)
    const ev = evaluate(model, policy, heldOut, { batchSize: 50 });
    expect(run.step).toBeLessThanOrEqual(400);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ev.meanDepth).toBeGreaterThanOrEqual(1);
    expect(ev.meanDepth).toBeLessThan(S);
    expect(ev.tokens).toBe(200 * PARAMS.length);
    trainer.dispose();
    policy.dispose();
    tf.dispose(Object.values(model.params));
  });
});
