/**
 * Async variants (`inferAsync`, `evaluateAsync`, `traceExamplesAsync`,
 * `Trainer.trainStepAsync`/`runAsync`) against their synchronous twins on cpu and
 * wasm: bit-identical results, weights and checkpoints; no `dataSync` on the async
 * paths; no tensor growth.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createPolicy, type HaltingPolicy } from '@anira/halting';
import { afterAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { evaluate, evaluateAsync } from './evaluate.js';
import { infer, inferAsync, type InferOptions, type InferResult } from './infer.js';
import { runAsync, runSync, type ReadLoop } from './read-loop.js';
import { traceExamples, traceExamplesAsync } from './trace.js';
import { Trainer, type TrainLogEntry } from './trainer.js';
import { forcedDepth } from '../test/helpers.js';
import { TASK, dimsOf, heldOutExample, tinyModel, trainExample } from '../test/policies-cases.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Make `Tensor.dataSync` throw while `fn` runs (proves a path reads only asynchronously). */
async function forbidDataSync<T>(fn: () => Promise<T>): Promise<T> {
  const proto = tf.Tensor.prototype as unknown as { dataSync: () => unknown };
  const original = proto.dataSync;
  proto.dataSync = () => {
    throw new Error('dataSync called on an async path');
  };
  try {
    return await fn();
  } finally {
    proto.dataSync = original;
  }
}

const plain = (r: InferResult) => ({
  ...r,
  exitDepth: Array.from(r.exitDepth), prediction: Array.from(r.prediction), flops: Array.from(r.flops),
  stepPredictions: r.stepPredictions.map((x) => Array.from(x)), haltProbs: r.haltProbs?.map((x) => Array.from(x)) ?? null,
  expectedDepth: r.expectedDepth ? Array.from(r.expectedDepth) : null, states: r.states?.map((x) => Array.from(x)),
});
const withoutTime = (e: TrainLogEntry) => ({ ...e, timeMs: 0 });

/** A trainer on the addition task; two calls with the same arguments build identical trainers. */
function makeTrainer(policyName: string, steps = 6) {
  const model = tinyModel(3);
  const policy = createPolicy(policyName, dimsOf(model));
  const logs: TrainLogEntry[] = [];
  const evalExamples = Array.from({ length: 6 }, (_, i) => heldOutExample(i));
  const trainer = new Trainer({
    model, policy, example: trainExample, evalExamples, onLog: (e) => logs.push(e),
    config: { steps, batchSize: 8, lr: 1e-2, warmupSteps: 2, evalEvery: 3, seed: 4 },
  });
  const dispose = () => {
    trainer.dispose();
    model.dispose();
    policy.dispose();
  };
  return { model, policy, trainer, logs, dispose };
}

const weightsOf = (m: { params: Record<string, tf.Variable> }, p: HaltingPolicy) =>
  [...Object.values(m.params), ...Object.values(p.variables)].map((v) => Array.from(v.dataSync()));

describe.each(['cpu', 'wasm'])('async equals sync (%s)', (backend) => {
  it('inferAsync: same depths, predictions, halting probabilities, FLOPs and states in every mode', async () => {
    await tf.setBackend(backend);
    const model = tinyModel(3, { positions: 'rope' });
    const batch = collate(Array.from({ length: 3 }, (_, i) => heldOutExample(i)));
    const policies: HaltingPolicy[] = [
      forcedDepth((b, t) => ((b * 2 + t) % 4) + 1),
      createPolicy('anira-o', dimsOf(model)),
      createPolicy('anira-e', dimsOf(model)),
    ];
    const modes: InferOptions[] = [{}, { mode: 'masked' }, { rowSelection: 'device' }, { rowSelection: 'host' }];
    for (const policy of policies) {
      for (const mode of modes) {
        const opts = { ...mode, tMax: 4, seed: 9, recordStates: true };
        const sync = infer(model, policy, batch, opts);
        // 'host' row selection (the default on cpu/wasm) copies rows with synchronous reads of CPU memory
        const hostRows = mode.mode !== 'masked' && (mode.rowSelection ?? 'host') === 'host';
        const async = hostRows
          ? await inferAsync(model, policy, batch, opts)
          : await forbidDataSync(() => inferAsync(model, policy, batch, opts));
        expect(plain(async)).toEqual(plain(sync));
      }
    }
    // the comparison is not vacuous: the forced policy produced several depths
    expect(new Set(infer(model, policies[0]!, batch).exitDepth).size).toBeGreaterThan(2);
    expect(infer(model, policies[1]!, batch).haltProbs).not.toBeNull();
    expect(infer(model, policies[2]!, batch).expectedDepth).not.toBeNull();
    policies.forEach((p) => p.dispose());
    model.dispose();
  });

  it('Trainer.runAsync / trainStepAsync: same log, weights and checkpoint bytes as run / trainStep', async () => {
    await tf.setBackend(backend);
    const a = makeTrainer('anira-o');
    const b = makeTrainer('anira-o');
    const ra = a.trainer.run();
    const rb = await b.trainer.runAsync();
    expect(rb).toEqual(ra);
    expect(b.logs.map(withoutTime)).toEqual(a.logs.map(withoutTime));
    expect(b.logs.filter((e) => e.eval)).toHaveLength(2); // evaluated at steps 3 and 6
    expect(a.logs[0]!.lossTerms).not.toEqual({}); // the policy's loss terms are part of the comparison
    expect(weightsOf(b.model, b.policy)).toEqual(weightsOf(a.model, a.policy));
    expect(await b.trainer.checkpoint()).toEqual(await a.trainer.checkpoint());
    expect(a.logs[0]!.loss).not.toBe(a.logs[5]!.loss); // the weights moved
    a.dispose();
    b.dispose();

    // interleaving async and sync steps equals all-sync steps
    const c = makeTrainer('anira-e', 4);
    const d = makeTrainer('anira-e', 4);
    const sync = [c.trainer.trainStep(), c.trainer.trainStep(), c.trainer.trainStep()];
    const mixed = [await forbidDataSync(() => d.trainer.trainStepAsync()), d.trainer.trainStep(), await d.trainer.trainStepAsync()];
    expect(mixed.map(withoutTime)).toEqual(sync.map(withoutTime));
    expect(await d.trainer.evaluateAsync()).toEqual(c.trainer.evaluate());
    expect(weightsOf(d.model, d.policy)).toEqual(weightsOf(c.model, c.policy));
    c.dispose();
    d.dispose();
  });

  it('evaluateAsync and traceExamplesAsync equal evaluate and traceExamples', async () => {
    await tf.setBackend(backend);
    const model = tinyModel(3);
    const policy = createPolicy('anira-o', dimsOf(model));
    const examples = Array.from({ length: 5 }, (_, i) => heldOutExample(i));
    const opts = { batchSize: 2, tMax: 5, seed: 2 };
    expect(await evaluateAsync(model, policy, examples, opts)).toEqual(evaluate(model, policy, examples, opts));
    const tOpts = { batchSize: 3, trainTMax: 3, trainSizes: [2], taskFeatures: TASK.features };
    const trace = traceExamples(model, policy, examples, tOpts);
    expect(await traceExamplesAsync(model, policy, examples, tOpts)).toEqual(trace);
    expect(trace.examples).toHaveLength(5);
    policy.dispose();
    model.dispose();
  });

  it('keeps numTensors unchanged across async inference and training calls', async () => {
    await tf.setBackend(backend);
    const t = makeTrainer('anira-o', 20);
    const batch = collate([heldOutExample(0), heldOutExample(1)]);
    await inferAsync(t.model, t.policy, batch);
    await t.trainer.trainStepAsync();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      await inferAsync(t.model, t.policy, batch, { recordStates: true });
      await t.trainer.trainStepAsync();
    }
    await t.trainer.evaluateAsync();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('read loops', () => {
  it('runSync and runAsync feed each request its values and surface read errors at the yield', async () => {
    await tf.setBackend('cpu');
    function* loop(): ReadLoop<number[]> {
      const x = tf.tensor1d([1, 2, 3]);
      const [v] = yield [x];
      x.dispose();
      const y = tf.tensor1d([4]);
      const [w] = yield [y];
      y.dispose();
      return [...Array.from(v!), ...Array.from(w!)];
    }
    expect(runSync(loop())).toEqual([1, 2, 3, 4]);
    expect(await runAsync(loop())).toEqual([1, 2, 3, 4]);
    function* disposedRead(): ReadLoop<string> {
      const x = tf.tensor1d([1]);
      x.dispose();
      try {
        yield [x];
        return 'read';
      } catch (e) {
        return `caught: ${(e as Error).message.split(' ')[0]}`;
      }
    }
    expect(runSync(disposedRead())).toMatch(/^caught/);
    expect(await runAsync(disposedRead())).toMatch(/^caught/);
  });

  it('refuses a synchronous step while an async one is in flight', async () => {
    await tf.setBackend('cpu');
    const t = makeTrainer('anira-o');
    const pending = t.trainer.trainStepAsync();
    expect(() => t.trainer.trainStep()).toThrow(/in progress/);
    await expect(t.trainer.runAsync()).rejects.toThrow(/in progress/);
    expect((await pending).step).toBe(1);
    t.dispose();
  });
});
