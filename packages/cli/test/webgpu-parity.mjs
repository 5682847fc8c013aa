// Plain-Node parity run of the BUILT @anira/cli backend setup (see webgpu-node.test.ts).
// argv: <phase> <dir>. Phases:
//   init   (wasm)   writes init.anira (fresh weights) and trains 3 steps from it: losses
//   train  (webgpu) restores init.anira, trains the same 3 steps with runAsync, writes trained.anira
//   infer  (argv[4] backend) restores trained.anira and infers (async) on fixed examples
//   counts (webgpu) device work (@anira/tensor's counters) of a run of 4 updates read every 2,
//          and of one inference call (after a warm-up of each)
// Each prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBackend } from '@anira/cli';
import { createPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer, collate, defaultModelConfig, inferAsync } from '@anira/model';

const [phase, dir, backendArg] = process.argv.slice(2);
const backend = phase === 'init' ? 'wasm' : phase === 'train' || phase === 'counts' ? 'webgpu' : backendArg;
let info;
try {
  info = await setupBackend(backend);
} catch (e) {
  console.log(JSON.stringify({ unavailable: e.message }));
  process.exit(0);
}
// copy task over digits 3..6: input [BOS, s, SEP, s], targets the copy; 8 tokens
const example = (i) => {
  const s = [3 + (i % 4), 3 + ((i * 7) % 4), 3 + ((i * 13) % 4)];
  const input = [1, ...s, 2, ...s];
  return { input, target: input.map((_, k) => (k >= 4 && k < 7 ? s[k - 4] : -1)), difficulty: input.map(() => -1),
    features: { static: {}, dynamic: {}, position: {} }, size: 3, meta: { task: 'copy', params: {}, seed: i } };
};
const cfg = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 8, seed: 5 });
const model = new LoopedTransformer(cfg);
const policy = createPolicy('anira-o', { dModel: cfg.dModel, vocabSize: cfg.vocabSize, tMax: cfg.tMax, seed: cfg.seed });
const trainer = new Trainer({ model, policy, example, config: { steps: 3, batchSize: 4, evalEvery: 0, seed: 5, lr: 0.01 } });
const losses = [];
const log = (l) => losses.push(l.loss);
let out;
if (phase === 'init') {
  writeFileSync(join(dir, 'init.anira'), await trainer.checkpoint());
  for (let i = 0; i < 3; i++) log(trainer.trainStep());
  out = { losses };
} else if (phase === 'train') {
  trainer.restore(new Uint8Array(readFileSync(join(dir, 'init.anira'))));
  for (let i = 0; i < 3; i++) log(await trainer.trainStepAsync());
  writeFileSync(join(dir, 'trained.anira'), await trainer.checkpoint());
  out = { losses };
} else if (phase === 'counts') {
  const { countDeviceWork } = await import('@anira/tensor');
  const run = new Trainer({ model, policy, example, readEvery: 2, config: { steps: 5, batchSize: 4, evalEvery: 0, seed: 5, lr: 0.01 } });
  await run.runAsync(1); // warm-up: shaders, Adam's moments, buffer pool
  const train = (await countDeviceWork(() => run.runAsync(5))).counts;
  run.dispose();
  const batch = collate(Array.from({ length: 6 }, (_, i) => example(100 + i)));
  await inferAsync(model, policy, batch);
  const infer = (await countDeviceWork(() => inferAsync(model, policy, batch))).counts;
  out = { train, updates: 4, infer };
} else {
  trainer.restore(new Uint8Array(readFileSync(join(dir, 'trained.anira'))));
  const batch = collate(Array.from({ length: 6 }, (_, i) => example(100 + i)));
  const r = await inferAsync(model, policy, batch, { recordStates: true, rowSelection: 'device' });
  const last = r.states[r.states.length - 1];
  const logits = tf.tidy(() => model.head(tf.tensor2d(last, [batch.batch * batch.length, cfg.dModel])));
  out = { depth: Array.from(r.exitDepth), prediction: Array.from(r.prediction), logits: Array.from(await logits.data()) };
  logits.dispose();
}
console.log(JSON.stringify({ backend: tf.getBackend(), adapter: info.adapter ?? null, useAsync: info.useAsync, ...out }));
process.exit(0);
