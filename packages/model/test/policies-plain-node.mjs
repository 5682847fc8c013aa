// Plain-Node run of the BUILT packages (no vitest transforms, so a missing gradient
// registration or an unregistered chained op would fail here): on the backend in
// argv[2] (default wasm), every halting policy trains 3 Trainer steps on addition
// (2 digits) and infers once, after a warm-up step; prints one JSON line per policy
// with its losses, the tensor counts around the measured steps, how many trainable
// policy variables moved, and the exit-depth range at inference tMax 6 (training 3).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  allOf, aniraE, aniraO, anyOf, assertPolicyDefinition, converge, createPolicy, listPolicyDefinitions, maxDepth, minDepth,
} from '@anira/halting';
import { LoopedTransformer, Trainer, collate, defaultModelConfig, infer } from '@anira/model';
import { addition, deriveExampleSeed, generateExample } from '@anira/tasks';

await tf.setBackend(process.argv[2] ?? 'wasm');
const params = { digits: 2 };
const example = (i) => generateExample(addition, params, deriveExampleSeed(1, i));
const user = (await import(new URL('../../../examples/custom-halting-policy/my-policy.js', import.meta.url).href)).default;
assertPolicyDefinition(user, 'my-policy.js');
const cases = [
  ...listPolicyDefinitions().map((d) => [d.name, (dims) => createPolicy(d.name, dims)]),
  ['anira-e (gumbel)', (dims) => aniraE(dims, { gumbel: true })],
  ['minDepth(anira-o, 2)', (dims) => minDepth(aniraO(dims), 2)],
  ['maxDepth(anira-e, 2)', (dims) => maxDepth(aniraE(dims), 2)],
  ['anyOf(anira-o, converge)', (dims) => anyOf(aniraO(dims), converge(dims))],
  ['allOf(anira-e, converge)', (dims) => allOf(aniraE(dims), converge(dims, { criterion: 'argmax' }))],
  [`user: ${user.name}`, (dims) => user.create(dims)],
];
const batch = collate([0, 1, 2, 3].map((i) => generateExample(addition, params, deriveExampleSeed(2, i))));
for (const [name, make] of cases) {
  const model = new LoopedTransformer(defaultModelConfig({
    vocabSize: addition.vocab.size, maxLength: addition.maxLength(addition.resolveParams(params)), dModel: 16, nHeads: 2, dMlp: 32, tMax: 3, seed: 7,
  }));
  const policy = make({ dModel: 16, vocabSize: addition.vocab.size, tMax: 3, seed: 3 });
  const trainer = new Trainer({ model, policy, example, config: { steps: 10, batchSize: 4, evalEvery: 0 } });
  trainer.trainStep();
  infer(model, policy, batch);
  const vars = Object.values(policy.variables).filter((v) => v.trainable);
  const initial = vars.map((v) => Array.from(v.dataSync()));
  const before = tf.memory().numTensors;
  const losses = [1, 2, 3].map(() => trainer.trainStep().loss);
  const depth = Array.from(infer(model, policy, batch, { tMax: 6 }).exitDepth);
  const after = tf.memory().numTensors;
  const moved = vars.filter((v, k) => v.dataSync().some((x, i) => x !== initial[k][i])).length;
  console.log(JSON.stringify({
    name, backend: tf.getBackend(), losses, before, after, trainableVariables: vars.length, moved,
    maxDepth: Math.max(...depth), minDepth: Math.min(...depth),
  }));
  trainer.dispose();
  policy.dispose();
  model.dispose();
}
