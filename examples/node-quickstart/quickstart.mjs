// ANIRA quickstart: train a looped Transformer with online halting (ANIRA-O) on
// 2-digit addition, evaluate it, and analyse whether per-token depth tracks the
// ground-truth difficulty. Settings: STEPS, EXAMPLES env vars (defaults 300, 64).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // the application picks the backend
import { getTask, generateExample, sampleDataset, deriveExampleSeed } from '@anira/tasks';
import { createPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer, defaultModelConfig, evaluate, traceExamples } from '@anira/model';
import { formatAnalysis } from '@anira/metrics';

await tf.setBackend('wasm');
const steps = Number(process.env.STEPS ?? 300);
const task = getTask('addition');
const params = task.resolveParams({ digits: 2 });
const config = defaultModelConfig({ vocabSize: task.vocab.size, maxLength: task.maxLength(params), dModel: 32, nHeads: 2, tMax: 4 });
const model = new LoopedTransformer(config);
const policy = createPolicy('anira-o', { dModel: config.dModel, vocabSize: config.vocabSize, tMax: config.tMax, seed: 0 });

const trainer = new Trainer({
  model, policy,
  example: (i) => generateExample(task, params, deriveExampleSeed(1, i)),
  config: { steps, batchSize: 32, lr: 3e-3, evalEvery: 0 },
  onProgress: (p) => { if (p.step % 50 === 0 || p.step === p.totalSteps) console.log(`step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(3)}`); },
});
trainer.run();

const test = sampleDataset(task, params, { n: Number(process.env.EXAMPLES ?? 64), seed: 2 });
const ev = evaluate(model, policy, test);
console.log(`held-out token accuracy ${ev.accuracy.toFixed(3)}, exact match ${ev.exact.toFixed(3)}, mean exit depth ${ev.meanDepth.toFixed(2)}`);

const trace = traceExamples(model, policy, test, { trainTMax: config.tMax, trainSizes: [2], taskFeatures: task.features, label: 'quickstart' });
console.log(formatAnalysis([trace], { resamples: 200 }));
