// Setup module of parallel-bench.mjs: the bench's W1 replica (d_model 128, 4 heads,
// MLP 512, T_max 8, vocabulary 32, causal, learned positions, ANIRA-O) on seeded
// uniform tokens of exactly `length` (setupData.length) with a target everywhere.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { aniraO } from '@anira/halting';
import { LoopedTransformer, defaultModelConfig } from '@anira/model';
import { createRng } from '@anira/tasks';

export function setup({ length }) {
  const model = new LoopedTransformer(defaultModelConfig({
    vocabSize: 32, maxLength: length, dModel: 128, nHeads: 4, dMlp: 512, sharedLayers: 1, preludeLayers: 0,
    tMax: 8, attention: 'causal', positions: 'learned', seed: 1,
  }));
  const policy = aniraO({ dModel: 128, vocabSize: 32, tMax: 8, seed: 2 });
  const example = (index) => {
    const rng = createRng(index);
    const input = Array.from({ length }, () => rng.int(1, 31));
    const target = Array.from({ length }, () => rng.int(1, 31));
    return { input, target, difficulty: new Array(length).fill(0), features: { static: {}, position: {}, dynamic: {} }, size: length, meta: { task: 'synthetic', params: { length }, seed: index } };
  };
  return { model, policy, example, maxLength: length };
}
