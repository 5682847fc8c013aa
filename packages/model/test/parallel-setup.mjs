// Setup module of the parallel-training tests (imported by the main thread and by
// every worker of the BUILT package): a tiny looped Transformer (dModel 16) on
// addition of 1 to 3 digits (so shards differ in length and loss tokens) with the policy named in setupData (default anira-e). With
// `failWorker`/`failAt`, worker `failWorker` throws (or exits, `failMode: 'exit'`)
// once it is asked for example number >= failAt; the main thread never fails.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { workerData } from 'node:worker_threads';
import { createPolicy } from '@anira/halting';
import { LoopedTransformer, defaultModelConfig } from '@anira/model';
import { addition, deriveExampleSeed, generateExample } from '@anira/tasks';

export function setup(data) {
  const params = (i) => ({ digits: 1 + ((i * 7) % 3) });
  const model = new LoopedTransformer(defaultModelConfig({
    vocabSize: addition.vocab.size, maxLength: addition.maxLength(addition.resolveParams({ digits: 3 })), dModel: 16, nHeads: 2, dMlp: 32, tMax: 3, seed: 7,
  }));
  const policy = createPolicy(data.policy ?? 'anira-e', { dModel: 16, vocabSize: addition.vocab.size, tMax: 3, seed: 3 });
  const here = workerData?.index;
  const example = (i) => {
    if (here !== undefined && here === data.failWorker && i >= data.failAt) {
      if (data.failMode === 'exit') process.exit(3);
      throw new Error(`example ${i} is broken on purpose\nsecond line that must not reach the message`);
    }
    return generateExample(addition, params(i), deriveExampleSeed(1, i));
  };
  const evalExamples = Array.from({ length: 8 }, (_, i) => generateExample(addition, params(i), deriveExampleSeed(2, i)));
  return { model, policy, example, evalExamples };
}
