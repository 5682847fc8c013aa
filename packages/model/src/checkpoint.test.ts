import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelConfig, type ModelConfig } from './config.js';
import { LoopedTransformer } from './model.js';
import { Trainer } from './trainer.js';
import { CHECKPOINT_MAGIC, crc32, deserializeCheckpoint, readCheckpointHeader, serializeCheckpoint } from './checkpoint.js';
import { learnedSteps, randomCopy } from '../test/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

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


type Header = Record<string, unknown> & { meta: Record<string, unknown> };

/** Split a checkpoint into header JSON and weight bytes (independent of the reader under test). */
function split(bytes: Uint8Array): { header: Header; data: Uint8Array; trailer: boolean } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n))) as Header;
  const trailer = header['version'] === 2;
  return { header, data: bytes.subarray(12 + n, trailer ? bytes.length - 4 : bytes.length), trailer };
}

/** Re-encode with an edited header (and weights), with a VALID checksum: a forgery, not a corruption. */
function rewrite(bytes: Uint8Array, edit: (h: Header) => Record<string, unknown>, editData?: (d: Uint8Array) => void): Uint8Array {
  const { header, data } = split(bytes);
  const d = data.slice();
  editData?.(d);
  const h = edit(header);
  const json = new TextEncoder().encode(JSON.stringify(h));
  const v2 = h['version'] !== 1;
  const out = new Uint8Array(12 + json.length + d.length + (v2 ? 4 : 0));
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC));
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(d, 12 + json.length);
  if (v2) new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** The same checkpoint in the version 1 layout (weights-only CRC in the header, no trailer). */
function toV1(bytes: Uint8Array): Uint8Array {
  const { data } = split(bytes);
  return rewrite(bytes, (h) => ({ ...h, version: 1, crc32: crc32(data) }));
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

  it('reads meta each time a checkpoint is written: a getter saves its current value', async () => {
    const model = new LoopedTransformer(cfg);
    const policy = learnedSteps(cfg.tMax);
    let opened = 1;
    const meta = { note: 'copy', get curriculum() { return { opened }; } };
    const trainer = new Trainer({ model, policy, example: (i) => randomCopy(i, 3), config: trainerConfig, meta });
    trainer.run(2);
    const first = readCheckpointHeader(await trainer.checkpoint()).meta;
    opened = 3;
    trainer.run(4);
    const second = readCheckpointHeader(await trainer.checkpoint()).meta;
    expect([first['note'], first['curriculum'], second['curriculum']]).toEqual(['copy', { opened: 1 }, { opened: 3 }]);
    trainer.dispose();
    model.dispose();
    policy.dispose();
  });

  it('rejects corrupt, truncated and mismatched checkpoints with one-line errors', async () => {
    const a = setup();
    a.trainer.trainStep();
    const bytes = await a.trainer.checkpoint();
    const flipped = bytes.slice();
    flipped[bytes.length - 30]! ^= 0xff;
    expect(() => a.trainer.restore(flipped)).toThrow('checkpoint: corrupt or truncated (CRC-32 over header and weights does not match)');
    expect(() => a.trainer.restore(bytes.slice(0, bytes.length - 10))).toThrow(/checkpoint: corrupt or truncated/);
    expect(() => a.trainer.restore(bytes.slice(0, 20))).toThrow(/checkpoint: truncated \(header needs/);
    expect(() => a.trainer.restore(new Uint8Array(40))).toThrow('checkpoint: not an ANIRA checkpoint (bad magic bytes)');
    const v9 = rewrite(bytes, (h) => ({ ...h, version: 9 }));
    expect(() => a.trainer.restore(v9)).toThrow('checkpoint: unsupported format version 9, this build reads versions 1 and 2');
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

  it('checksums the header too: one flipped bit of "step" is caught', async () => {
    const a = setup();
    a.trainer.run(4);
    const bytes = await a.trainer.checkpoint();
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('"step":4');
    expect(at).toBeGreaterThan(0);
    const flipped = bytes.slice();
    flipped[at + '"step":'.length]! ^= 0x02; // '4' -> '6'
    expect(() => readCheckpointHeader(flipped)).toThrow('checkpoint: corrupt or truncated (CRC-32 over header and weights does not match)');
    // a version 1 file has only a weights CRC: the same flip is caught by the step/dataPosition cross-check
    const v1 = toV1(bytes);
    const v1at = Buffer.from(v1.buffer, v1.byteOffset, v1.length).indexOf('"step":4');
    v1[v1at + '"step":'.length]! ^= 0x02;
    expect(() => readCheckpointHeader(v1)).toThrow('checkpoint: header "meta.dataPosition" is 16, expected step x batchSize = 24');
    a.dispose();
  });

  it('validates every header field of forged (re-checksummed) checkpoints with one-line errors', async () => {
    const a = setup();
    a.trainer.run(4);
    const bytes = await a.trainer.checkpoint();
    const meta = (h: Header, m: Record<string, unknown>) => ({ ...h, meta: { ...h.meta, ...m } });
    const cases: [Record<string, unknown> | ((h: Header) => Record<string, unknown>), string][] = [
      [{ step: -5 }, 'checkpoint: header "meta.step" must be an integer in [0, 8], got -5'],
      [{ step: 2.5 }, 'checkpoint: header "meta.step" must be an integer in [0, 8], got 2.5'],
      [{ step: 9 }, 'checkpoint: header "meta.step" must be an integer in [0, 8], got 9'],
      [{ step: '4' }, 'checkpoint: header "meta.step" must be an integer in [0, 8], got "4"'],
      [{ dataPosition: 17 }, 'checkpoint: header "meta.dataPosition" is 17, expected step x batchSize = 16'],
      [{ model: 3 }, 'checkpoint: header "meta.model" must be an object'],
      [{ trainer: [] }, 'checkpoint: header "meta.trainer" must be an object'],
      [{ policy: { name: 1 } }, 'checkpoint: header "meta.policy.name" must be a string'],
      [{ trainer: { ...trainerConfig, steps: 0 } }, 'checkpoint: header "meta.trainer.steps" must be a positive integer'],
      [(h) => ({ ...h, meta: null }), 'checkpoint: header "meta" must be an object'],
      [(h) => ({ ...h, dataBytes: -1 }), 'checkpoint: header "dataBytes" must be a non-negative integer'],
      [(h) => ({ ...h, weights: [{ name: 'x', shape: [-1], dtype: 'float32' }] }), 'checkpoint: corrupt weight spec for "x"'],
      [(h) => ({ ...h, format: 'zip' }), 'checkpoint: corrupt header (format is not "anira-checkpoint")'],
    ];
    for (const [edit, message] of cases) {
      const forged = rewrite(bytes, typeof edit === 'function' ? edit : (h) => meta(h, edit));
      expect(() => a.trainer.restore(forged), message).toThrow(message);
    }
    // the untouched re-encoding loads: the forgeries fail on their field alone
    const same = rewrite(bytes, (h) => h);
    expect(same).toEqual(bytes);
    a.trainer.restore(same);
    expect(a.trainer.step).toBe(4);
    a.dispose();
  });

  it('still loads version 1 checkpoints, bit-identical weights', async () => {
    const a = setup();
    a.trainer.run(3);
    const bytes = await a.trainer.checkpoint();
    const b = setup();
    b.trainer.restore(toV1(bytes));
    expect(b.trainer.step).toBe(3);
    expect(b.weights()).toEqual(a.weights());
    const corrupt = toV1(bytes);
    corrupt[corrupt.length - 2]! ^= 0x01;
    expect(() => b.trainer.restore(corrupt)).toThrow('checkpoint: weight data is corrupt (CRC-32 mismatch)');
    a.dispose();
    b.dispose();
  });

  it('refuses to write or read non-finite weights, naming the weight', async () => {
    const ok = tf.tensor1d([1, 2, 3]);
    const nan = tf.tensor1d([0, NaN, 1]);
    const inf = tf.tensor2d([[1], [-Infinity]]);
    await expect(serializeCheckpoint({}, { a: ok, b: nan })).rejects.toThrow('checkpoint: weight "b" is not finite (NaN at index 1); refusing to save a diverged model');
    await expect(serializeCheckpoint({}, { c: inf })).rejects.toThrow('checkpoint: weight "c" is not finite (-Infinity at index 1)');
    const good = await serializeCheckpoint({}, { a: ok, n: tf.tensor1d([7], 'int32') });
    const { tensors } = deserializeCheckpoint(good);
    expect(Array.from(tensors['a']!.dataSync())).toEqual([1, 2, 3]);
    tf.dispose(Object.values(tensors));
    // a NaN smuggled into the bytes with a valid checksum (as a diverged writer would have done)
    const poisoned = rewrite(good, (h) => h, (d) => new DataView(d.buffer).setFloat32(8, NaN, true));
    expect(() => deserializeCheckpoint(poisoned)).toThrow('checkpoint: weight "a" is not finite (NaN at index 2); the checkpoint comes from a diverged run');
    tf.dispose([ok, nan, inf]);
  });
});
