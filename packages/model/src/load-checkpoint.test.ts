import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { aniraO, anyOf, converge, createForcedDepthPolicy, definePolicy, listPolicyDefinitions, type HaltingPolicy, type PolicyDims } from '@anira/halting';
import { addition, AniraInputError, deriveExampleSeed, generateExample } from '@anira/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { collate } from './batch.js';
import { defaultModelConfig } from './config.js';
import { infer, type InferResult } from './infer.js';
import { loadCheckpoint, loadCheckpointBytes, saveCheckpoint } from './load-checkpoint.js';
import { readCheckpointHeader } from './checkpoint.js';
import { loadCheckpoint as loadCheckpointNode } from './load-checkpoint-node.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = { digits: 2 };
const example = (i: number) => generateExample(addition, params, deriveExampleSeed(1, i));
const heldOut = collate(Array.from({ length: 4 }, (_, i) => generateExample(addition, params, deriveExampleSeed(2, i))));
const newModel = () => new LoopedTransformer(defaultModelConfig({
  vocabSize: addition.vocab.size, maxLength: addition.maxLength(addition.resolveParams(params)), dModel: 16, nHeads: 2, dMlp: 32, tMax: 3, seed: 7,
}));
const dimsOf = (m: LoopedTransformer): PolicyDims => ({ dModel: m.config.dModel, vocabSize: m.config.vocabSize, tMax: m.config.tMax, seed: 3 });

/** Train `policy` with a fresh model for a few steps; its checkpoint bytes and the original pair. */
async function trained(make: (dims: PolicyDims) => HaltingPolicy, steps = 3) {
  const model = newModel();
  const policy = make(dimsOf(model));
  const trainer = new Trainer({ model, policy, example, config: { steps, batchSize: 4, warmupSteps: 0, evalEvery: 0 } });
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const bytes = await trainer.checkpoint();
  trainer.dispose();
  return { model, policy, bytes };
}

const same = (a: InferResult, b: InferResult) => {
  expect(Array.from(b.exitDepth)).toEqual(Array.from(a.exitDepth));
  expect(Array.from(b.prediction)).toEqual(Array.from(a.prediction));
  expect(b.haltProbs?.map((p) => Array.from(p))).toEqual(a.haltProbs?.map((p) => Array.from(p)));
  expect(b.states!.map((s) => Array.from(s))).toEqual(a.states!.map((s) => Array.from(s)));
};

describe('loadCheckpoint', () => {
  it('round-trips every built-in policy: the loaded model and policy infer exactly like the originals', async () => {
    const names = listPolicyDefinitions().map((d) => d.name);
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const def of listPolicyDefinitions()) {
      const { model, policy, bytes } = await trained((dims) => def.create(dims));
      const before = tf.memory().numTensors;
      const loaded = loadCheckpointBytes(bytes);
      expect(loaded.policy.name, def.name).toBe(def.name);
      expect(loaded.model.config).toEqual(model.config);
      expect(loaded.meta.policy.name).toBe(def.name);
      // the loaded policy was created with another init seed: equal results prove the weights were loaded
      for (const [k, v] of Object.entries(policy.variables)) expect(Array.from(loaded.policy.variables[k]!.dataSync()), `${def.name} ${k}`).toEqual(Array.from(v.dataSync()));
      same(infer(model, policy, heldOut, { recordStates: true, tMax: 5 }), infer(loaded.model, loaded.policy, heldOut, { recordStates: true, tMax: 5 }));
      loaded.model.dispose();
      loaded.policy.dispose();
      expect(tf.memory().numTensors, `${def.name}: loading leaks no tensors`).toBe(before);
      model.dispose();
      policy.dispose();
    }
  }, 120_000);

  it('a composed or user policy needs a factory; the factory must make the saved policy', async () => {
    const make = (dims: PolicyDims) => anyOf(aniraO(dims), converge(dims));
    const { model, policy, bytes } = await trained(make);
    expect(() => loadCheckpointBytes(bytes)).toThrow('loadCheckpoint: policy "anyOf(anira-o, converge)" is not built in; pass its factory: loadCheckpoint(source, { policy: (dims, options) => ... })');
    expect(() => loadCheckpointBytes(bytes, { policy: (dims) => aniraO(dims) })).toThrow('loadCheckpoint: the policy factory made "anira-o", the checkpoint holds "anyOf(anira-o, converge)"');
    const before = tf.memory().numTensors;
    const loaded = loadCheckpointBytes(bytes, { policy: (dims) => make(dims) });
    same(infer(model, policy, heldOut, { recordStates: true }), infer(loaded.model, loaded.policy, heldOut, { recordStates: true }));
    loaded.model.dispose();
    loaded.policy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    policy.dispose();
  }, 60_000);

  it('a definePolicy definition that composes a user policy with a built-in one reloads with its own definition', async () => {
    // a user rule: halt every token at depth k (an inference-time criterion, no variables)
    const atDepth = definePolicy<{ k: number }>('at-depth', 'halt at depth k', [{ name: 'k', type: 'integer', default: 2, min: 1, max: 8, description: 'depth' }], (_dims, o) =>
      createForcedDepthPolicy(() => o.k, 'at-depth'),
    );
    const composed = definePolicy<{ k: number; q: number }>(
      'my-composed',
      'anira-o, or at-depth k, whichever halts first',
      [{ name: 'k', type: 'integer', default: 2, min: 1, max: 8, description: 'depth' }, { name: 'q', type: 'number', default: 0.5, min: 0.01, max: 0.99, description: 'anira-o threshold' }],
      (dims, o) => anyOf(aniraO(dims, { q: o.q }), atDepth.create(dims, { k: o.k })),
    );
    const { model, policy, bytes } = await trained((dims) => composed.create(dims, { k: 3 }));
    expect(policy.source).toEqual({ name: 'my-composed', options: { k: 3, q: 0.5 } });
    const meta = readCheckpointHeader(bytes).meta as { policy: { name: string; source: unknown } };
    expect(meta.policy.name).toBe(policy.name);
    expect(meta.policy.source).toEqual(policy.source);
    const before = tf.memory().numTensors;
    const loaded = loadCheckpointBytes(bytes, { policy: (d, o) => composed.create(d, o) });
    expect(loaded.policy.name).toBe(policy.name);
    same(infer(model, policy, heldOut, { recordStates: true }), infer(loaded.model, loaded.policy, heldOut, { recordStates: true }));
    loaded.model.dispose();
    loaded.policy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    policy.dispose();
  }, 60_000);

  it('loads through a tf.io save/load handler pair, fetch(url), a file path (Node entry), and refuses bad input in one line', async () => {
    const { model, policy, bytes } = await trained((dims) => aniraO(dims));
    const reference = infer(model, policy, heldOut, { recordStates: true });
    const check = async (p: Promise<{ model: LoopedTransformer; policy: HaltingPolicy }>) => {
      const l = await p;
      same(reference, infer(l.model, l.policy, heldOut, { recordStates: true }));
      l.model.dispose();
      l.policy.dispose();
    };
    // tf.io handlers: what saveCheckpoint hands to the saver comes back through a loader
    let stored: tf.io.ModelArtifacts | undefined;
    const result = await saveCheckpoint(bytes, tf.io.withSaveHandler(async (a) => {
      stored = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    expect(stored!.format).toBe('anira-checkpoint');
    expect(stored!.weightSpecs).toEqual([{ name: 'anira-checkpoint', shape: [bytes.length], dtype: 'bool' }]);
    await check(loadCheckpoint(tf.io.fromMemory(stored!)));
    await expect(loadCheckpoint(tf.io.fromMemory({ ...stored!, format: 'layers-model' }))).rejects.toThrow('loadCheckpoint: the stored artifacts have format "layers-model", expected "anira-checkpoint" (written by saveCheckpoint)');
    await expect(saveCheckpoint(bytes.subarray(0, 20), tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))).rejects.toThrow(/^checkpoint: /);
    await expect(saveCheckpoint(bytes, 'indexeddb://x')).rejects.toThrow('saveCheckpoint: no tf.io save handler for "indexeddb://x" here (IndexedDB and local storage exist in browsers only)');
    // fetch(url) from a local server, and an ArrayBuffer
    const server = createServer((req, res) => {
      if (req.url === '/run.anira') res.end(Buffer.from(bytes));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      await check(loadCheckpoint(`http://127.0.0.1:${port}/run.anira`));
      await expect(loadCheckpoint(`http://127.0.0.1:${port}/missing`)).rejects.toThrow(`loadCheckpoint: fetching "http://127.0.0.1:${port}/missing" gave HTTP 404`);
    } finally {
      server.close();
    }
    await check(loadCheckpoint(bytes.slice().buffer));
    // a file path through @anira/model/node
    const dir = mkdtempSync(join(tmpdir(), 'anira-load-'));
    try {
      writeFileSync(join(dir, 'run.anira'), bytes);
      await check(loadCheckpointNode(join(dir, 'run.anira')));
      await expect(loadCheckpointNode(join(dir, 'none.anira'))).rejects.toThrow(`cannot read ${join(dir, 'none.anira')}: no such file or folder`);
      // a corrupt file: an input error whose message names the file
      const corrupt = bytes.slice();
      corrupt[corrupt.length - 9] = corrupt[corrupt.length - 9]! ^ 0xff;
      writeFileSync(join(dir, 'bad.anira'), corrupt);
      const err = await loadCheckpointNode(join(dir, 'bad.anira')).catch((e: unknown) => e);
      expect(AniraInputError.isInstance(err)).toBe(true);
      expect((err as Error).message.startsWith(`${join(dir, 'bad.anira')}: checkpoint: corrupt`), (err as Error).message).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(loadCheckpoint(42 as unknown as Uint8Array)).rejects.toThrow('loadCheckpoint: "source" must be checkpoint bytes, an ArrayBuffer, a tf.io load handler or a URL');
    model.dispose();
    policy.dispose();
  }, 60_000);

  it('weights "best" loads the best-evaluation snapshot; a file without one says so', async () => {
    const { model, policy, bytes } = await trained((dims) => aniraO(dims));
    expect(() => loadCheckpointBytes(bytes, { weights: 'best' })).toThrow('loadCheckpoint: weights "best" requested, the checkpoint has no best-evaluation snapshot');
    model.dispose();
    policy.dispose();
    // with evaluation: 'best' from the full checkpoint equals the best-only file's weights
    const m = newModel();
    const p = aniraO(dimsOf(m));
    const task = { name: 'addition', params: { digits: 2, order: 0 } };
    const t = new Trainer({ model: m, policy: p, example, evalExamples: [example(100), example(101)], config: { steps: 3, batchSize: 4, warmupSteps: 0, evalEvery: 1, minDelta: 1 }, meta: { task } });
    t.run(); // minDelta 1: no later evaluation can beat the first, so the best is update 1, the last 3
    expect(t.bestStep).toBe(1);
    const full = loadCheckpointBytes(await t.checkpoint(), { weights: 'best' });
    // meta is typed: step, bestStep, task, policy, trainer without casts; step is the loaded weights' update
    expect(full.meta.step).toBe(1);
    expect(full.meta.bestStep).toBe(t.bestStep);
    expect(full.meta.bestStep).toBe(full.meta.best?.step);
    expect(full.meta.task).toEqual(task);
    expect(full.meta.policy.name).toBe('anira-o');
    expect(full.meta.trainer?.steps).toBe(3);
    const bestOnly = loadCheckpointBytes((await t.bestCheckpoint())!);
    for (const [k, v] of Object.entries(bestOnly.model.params)) expect(Array.from(full.model.params[k]!.dataSync()), k).toEqual(Array.from(v.dataSync()));
    // meta.step names the update whose weights were loaded: the best one, not the last
    expect(full.meta['step']).toBe(1);
    expect(bestOnly.meta['step']).toBe(1);
    const current = loadCheckpointBytes(await t.checkpoint());
    expect(current.meta['step']).toBe(3);
    for (const l of [full, bestOnly, current]) { l.model.dispose(); l.policy.dispose(); }
    t.dispose();
    m.dispose();
    p.dispose();
  }, 30_000);
});
