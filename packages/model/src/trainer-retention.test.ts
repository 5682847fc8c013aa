/**
 * A long training run retains nothing per update: driven like the CLI (one `run`
 * call per update, held-out evaluation, onLog and onProgress, checkpoints), the
 * tensors, the registered variables and the JS heap after a full GC stay flat.
 * The bound is on retained memory, never on time. (A heap-snapshot diff of the CLI
 * between updates 151 and 750 found only V8's compiled code growing, about 0.9 MB:
 * code, deopt data, relocation info; no object of ours.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO } from '@anira/halting';
import { addition, deriveExampleSeed, generateExample } from '@anira/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const heapAfterGc = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

describe('Trainer retention', () => {
  it('200 updates after a warm-up: same tensors and variables, heap growth under 1.5 MB (7.5 KB per update; a 10 KB-per-update leak fails)', async () => {
    const params = addition.resolveParams({ digits: 2 });
    const model = new LoopedTransformer(defaultModelConfig({ vocabSize: addition.vocab.size, maxLength: addition.maxLength(params), dModel: 8, nHeads: 2, dMlp: 16, tMax: 2, seed: 1 }));
    const policy = aniraO({ dModel: 8, vocabSize: addition.vocab.size, tMax: 2, seed: 0 });
    const evalExamples = Array.from({ length: 4 }, (_, i) => generateExample(addition, params, deriveExampleSeed(2, i)));
    const log: unknown[] = [];
    const trainer = new Trainer({
      model, policy, evalExamples,
      example: (i) => generateExample(addition, params, deriveExampleSeed(1, i)),
      config: { steps: 300, batchSize: 2, warmupSteps: 0, evalEvery: 50 },
      onLog: (e) => { log.length = 0; log.push(e); }, // a consumer that keeps only the last entry
      onProgress: () => {},
    });
    const drive = async (until: number) => {
      while (trainer.step < until) {
        trainer.run(trainer.step + 1);
        if (trainer.step % 100 === 0) await trainer.checkpoint();
      }
    };
    await drive(100); // warm-up: the JIT compiles the hot paths
    const tensors = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().registeredVariables).length;
    const heap = heapAfterGc();
    await drive(300);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
    const grown = heapAfterGc() - heap;
    expect(grown, `heap grew ${(grown / 1024).toFixed(0)} KB over 200 updates`).toBeLessThan(1.5 * 1024 * 1024); // measured: 460 KB, mostly compiled code
    trainer.dispose();
    model.dispose();
    policy.dispose();
  }, 600_000);
});
