// ANIRA-E vs ANIRA-O: the same looped Transformer, task, data and penalty form,
// trained twice; only *when* the depth is decided differs (E: once, from the
// shallow state; O: at every step, from the current state). Prints each policy's
// alignment of depth with ground-truth difficulty, and the decision-timing table
// (how much depth variance static vs dynamic features explain).
// Settings (env): TASK (addition), SIZE (3), STEPS (400), EXAMPLES (96), SEED (0).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { getTask, generateExample, sampleDataset, deriveExampleSeed } from '@anira/tasks';
import { createPolicy } from '@anira/halting';
import { LoopedTransformer, Trainer, defaultModelConfig, traceExamples } from '@anira/model';
import { alignment, decisionTiming, formatAlignment, formatDecisionTiming, formatSummaryTable } from '@anira/metrics';

await tf.setBackend('wasm');
/** @type {(k: string, d: string | number) => string | number} */
const env = (k, d) => process.env[k] ?? d;
const task = getTask(String(env('TASK', 'addition')));
const seed = Number(env('SEED', 0));
const size = Number(env('SIZE', 3));
const params = task.resolveParams({ [task.sizeParam]: size });
const test = sampleDataset(task, params, { n: Number(env('EXAMPLES', 96)), seed: seed + 7 });

/** @param {string} policyName */
function trainAndTrace(policyName) {
  const config = defaultModelConfig({ vocabSize: task.vocab.size, maxLength: task.maxLength(params), dModel: 32, nHeads: 2, tMax: 6, seed });
  const model = new LoopedTransformer(config);
  const policy = createPolicy(policyName, { dModel: config.dModel, vocabSize: config.vocabSize, tMax: config.tMax, seed });
  const trainer = new Trainer({
    model, policy,
    example: (i) => generateExample(task, params, deriveExampleSeed(seed, i)),
    config: { steps: Number(env('STEPS', 400)), batchSize: 32, evalEvery: 0, seed },
  });
  const t0 = Date.now();
  trainer.run();
  console.log(`${policyName}: trained ${trainer.step} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const trace = traceExamples(model, policy, test, {
    trainTMax: config.tMax, trainSizes: [size], taskFeatures: task.features, label: policyName, seed,
  });
  trainer.dispose();
  model.dispose();
  return trace;
}

const traces = ['anira-e', 'anira-o'].map(trainAndTrace);
console.log(`\nTask ${task.name} ${JSON.stringify(params)}, ${test.length} held-out examples\n`);
console.log(formatSummaryTable(traces) + '\n');
for (const t of traces) console.log(formatAlignment(alignment(t, { resamples: 200, seed }), `Alignment [${t.header.label}]: depth vs difficulty`) + '\n');
console.log(formatDecisionTiming(traces.map((t) => decisionTiming(t))));
