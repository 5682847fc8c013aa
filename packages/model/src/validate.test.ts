import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO, anyOf, converge } from '@anira/halting';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { defaultModelConfig } from './config.js';
import { trainForward } from './forward.js';
import { infer } from './infer.js';
import { LoopedTransformer } from './model.js';
import { traceExamples } from './trace.js';
import { Trainer } from './trainer.js';
import { policyWidth } from './validate.js';
import { copyExample } from '../test/helpers.js';
import type { Example } from '@anira/tasks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const model = () => new LoopedTransformer(defaultModelConfig({ vocabSize: 9, maxLength: 10, dModel: 16, nHeads: 2, tMax: 3, seed: 1 }));
const dims = (dModel: number) => ({ dModel, vocabSize: 9, tMax: 3, seed: 2 });
const traceOpts = { trainTMax: 3, trainSizes: [3], taskFeatures: [] };

describe('errors at the API boundary', () => {
  it('a policy made for another width fails at entry naming both widths (infer, trainForward, traceExamples)', () => {
    const m = model();
    const p = aniraO(dims(8));
    const batch = collate([copyExample([3, 4])]);
    const msg = 'policy "anira-o" was created for dModel 8, the model has dModel 16';
    expect(() => infer(m, p, batch)).toThrow(`infer: ${msg}`);
    expect(() => tf.tidy(() => void trainForward(m, p, batch, 0))).toThrow(`trainForward: ${msg}`);
    expect(() => traceExamples(m, p, [copyExample([3, 4])], traceOpts)).toThrow(`traceExamples: ${msg}`);
    // composed policies carry their members' heads: the width is found there too
    const composed = anyOf(aniraO(dims(8)), converge(dims(8)));
    expect(policyWidth(composed)).toBe(8);
    expect(() => infer(m, composed, batch)).toThrow(/^infer: policy "anyOf\(anira-o, converge\)" was created for dModel 8, the model has dModel 16$/);
    // the right width passes, and a policy without heads is not judged
    expect(policyWidth(aniraO(dims(16)))).toBe(16);
    expect(policyWidth(converge(dims(8)))).toBeUndefined();
    expect(infer(m, aniraO(dims(16)), batch).iterations).toBeGreaterThan(0);
    m.dispose();
  });

  it('token ids from another vocabulary fail at entry instead of running silently', () => {
    const m = model();
    const p = converge(dims(16));
    const bad: Example = { ...copyExample([3, 4]), input: [1, 3, 12, 2, 3, 4] };
    expect(() => infer(m, p, collate([copyExample([3]), bad]))).toThrow('infer: token id must be in [0, 8] (the model\'s vocabSize is 9), got 12 at example 1 position 2');
    const badTarget: Example = { ...copyExample([3, 4]), target: [-1, -1, -1, 3, 9, -1] };
    expect(() => tf.tidy(() => void trainForward(m, p, collate([badTarget]), 0))).toThrow('trainForward: target id must be in [0, 8] or -1 (the model\'s vocabSize is 9), got 9 at example 0 position 4');
    expect(() => traceExamples(m, p, [bad], traceOpts)).toThrow(/^traceExamples: token id must be in \[0, 8\]/);
    expect(() => infer(m, p, collate([copyExample([3, 4, 5, 6, 7])]))).toThrow('infer: batch length must be in [1, 10] (the model\'s "maxLength"), got 12');
    m.dispose();
  });

  it('an example() that returns undefined gives one line naming the example, not a TypeError', () => {
    expect(() => collate([copyExample([3]), undefined as unknown as Example])).toThrow(
      'collate: example 1 must be an Example { input, target, ... }, got undefined (does your example() function return one?)');
    expect(() => collate([{ input: 'abc', target: [] } as unknown as Example])).toThrow('collate: example 0 field "input" must be an array of token ids, got string');
    expect(() => collate([{ ...copyExample([3]), input: [1, 2.5, 2, 3] }])).toThrow('collate: example 0 input[1] must be an integer token id, got 2.5');
    const m = model();
    const p = aniraO(dims(16));
    const t = new Trainer({ model: m, policy: p, example: () => undefined as unknown as Example, config: { steps: 1, batchSize: 2 } });
    expect(() => t.trainStep()).toThrow(/^collate: example 0 must be an Example/);
    t.dispose();
    p.dispose();
    m.dispose();
  });
});
