// Plain-Node smoke run of the BUILT @anira/model (no vitest transforms): trains a
// few steps on the backend named in argv[2], checkpoints through @anira/model/node,
// restores, and prints one JSON line with the results.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopedTransformer, Trainer, defaultModelConfig, infer, collate } from '@anira/model';
import { readCheckpointFile, writeCheckpointFile } from '@anira/model/node';

await tf.setBackend(process.argv[2]);
const policy = {
  specificationVersion: 'v1', name: 'last-step', variables: {}, options: {},
  train: ({ states }) => {
    const [b, t] = states[0].shape;
    const w = tf.cast(tf.oneHot(tf.fill([b, t], states.length - 1, 'int32'), states.length), 'float32');
    return { weights: w, combine: 'expected-loss', loss: tf.scalar(0) };
  },
  step: ({ t, tMax, active }) => ({ halt: tf.mul(tf.onesLike(active), t >= tMax ? 1 : 0) }),
  dispose() {},
};
const example = (i) => {
  const s = [3 + (i % 4), 3 + ((i * 7) % 4), 3 + ((i * 13) % 4)];
  const input = [1, ...s, 2, ...s];
  return { input, target: input.map((_, k) => (k >= 4 && k < 7 ? s[k - 4] : -1)), difficulty: input.map(() => -1),
    features: { static: {}, dynamic: {} }, size: 3, meta: { task: 'copy', params: {}, seed: i } };
};
const model = new LoopedTransformer(defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 2 }));
const before = Array.from(model.params['shared.0.wq'].dataSync());
const trainer = new Trainer({ model, policy, example, config: { steps: 3, batchSize: 4, evalEvery: 0 } });
const logs = [];
for (let i = 0; i < 3; i++) logs.push(trainer.trainStep());
const file = join(mkdtempSync(join(tmpdir(), 'anira-')), 'run.ckpt');
writeCheckpointFile(file, await trainer.checkpoint());
trainer.restore(readCheckpointFile(file));
const r = infer(model, policy, collate([example(0)]));
const after = Array.from(model.params['shared.0.wq'].dataSync());
console.log(JSON.stringify({
  backend: tf.getBackend(), losses: logs.map((l) => l.loss), changed: after.some((v, i) => v !== before[i]),
  step: trainer.step, depth: Array.from(r.exitDepth),
}));
