import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { HALTING_SPEC_VERSION, type HaltingPolicy } from '@anira/halting';
import { variable } from '@anira/tensor';
import { defaultModelConfig, type ModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';
import { deserializeCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let policyId = 0;
/** A trainable policy (one learned logit per step) so policy weights are checkpointed too. */
function learnedSteps(tMax: number): HaltingPolicy {
  const logits = variable(tf.zeros([tMax]), `test-policy-${policyId++}/logits`);
  return {
    specificationVersion: HALTING_SPEC_VERSION, name: 'learned-steps', variables: { logits }, options: {},
    train: ({ states }) => {
      const [b, t] = states[0]!.shape;
      const w = tf.tile(tf.reshape(tf.softmax(logits), [1, 1, tMax]), [b, t, 1]) as tf.Tensor3D;
      return { weights: w, combine: 'expected-loss', loss: tf.mul(0.01, tf.sum(tf.square(logits))) as tf.Scalar };
    },
    step: ({ active }) => ({ halt: tf.onesLike(active) }),
    dispose: () => logits.dispose(),
  };
}

const cfg: ModelConfig = defaultModelConfig({ vocabSize: 7, maxLength: 8, dModel: 16, nHeads: 2, tMax: 2, seed: 9 });
const trainerConfig = { steps: 8, batchSize: 4, lr: 1e-2, warmupSteps: 2, evalEvery: 0 };

function setup(modelConfig = cfg) {
  const model = new LoopedTransformer(modelConfig);
  const policy = learnedSteps(modelConfig.tMax);
  const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), config: trainerConfig });
  const weights = () => [...Object.values(model.params), ...Object.values(policy.variables)].map((v) => Array.from(v.dataSync()));
  const dispose = () => {
    trainer.dispose();
    model.dispose();
    policy.dispose();
  };
  return { model, policy, trainer, weights, dispose };
}

describe('checkpoints', () => {
  it('an interrupted-then-resumed run ends bit-identical to an uninterrupted one', async () => {
    const a = setup();
    a.trainer.run();
    const b = setup();
    b.trainer.run(4);
    const bytes = await b.trainer.checkpoint();
    b.dispose();
    const c = setup();
    expect(c.weights()).not.toEqual(a.weights());
    c.trainer.restore(bytes);
    expect(c.trainer.step).toBe(4);
    c.trainer.run();
    expect(c.trainer.step).toBe(8);
    expect(c.weights()).toEqual(a.weights());
    a.dispose();
    c.dispose();
  });

  it('rejects corrupt, truncated and mismatched checkpoints with one-line errors', async () => {
    const a = setup();
    a.trainer.trainStep();
    const bytes = await a.trainer.checkpoint();
    const flipped = bytes.slice();
    flipped[bytes.length - 3]! ^= 0xff;
    expect(() => a.trainer.restore(flipped)).toThrow('checkpoint: weight data is corrupt (CRC-32 mismatch)');
    expect(() => a.trainer.restore(bytes.slice(0, bytes.length - 10))).toThrow(/checkpoint: truncated or padded weight data/);
    expect(() => a.trainer.restore(bytes.slice(0, 20))).toThrow(/checkpoint: truncated \(header needs/);
    expect(() => a.trainer.restore(new Uint8Array(40))).toThrow('checkpoint: not an ANIRA checkpoint (bad magic bytes)');
    const v9 = bytes.slice();
    const at = Buffer.from(v9.buffer).indexOf('"version":1');
    v9[at + '"version":'.length] = '9'.charCodeAt(0);
    expect(() => a.trainer.restore(v9)).toThrow('checkpoint: unsupported format version 9, this build reads version 1');
    const wide = setup({ ...cfg, dModel: 32 });
    expect(() => wide.trainer.restore(bytes)).toThrow('checkpoint: model config "dModel" is 16 in the checkpoint, 32 here');
    const { header, tensors } = deserializeCheckpoint(bytes);
    const shapeOf = tensors['model/head']!;
    const bad = await serializeCheckpoint(header.meta, { ...tensors, 'model/head': tf.zeros([shapeOf.shape[0]!, 3]) });
    expect(() => a.trainer.restore(bad)).toThrow('checkpoint: weight "model/head" has shape [16,3], expected [16,7]');
    const { ['policy/logits']: _dropped, ...rest } = tensors;
    const missing = await serializeCheckpoint(header.meta, rest);
    expect(() => a.trainer.restore(missing)).toThrow('checkpoint: weight "policy/logits" is missing');
    tf.dispose(Object.values(tensors));
    wide.dispose();
    a.dispose();
  });

  it('keeps numTensors unchanged across 50 training steps', () => {
    const a = setup();
    a.trainer.trainStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) a.trainer.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
