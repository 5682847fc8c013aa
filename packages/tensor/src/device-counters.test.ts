/** Device counters on the cpu backend: one read per data()/dataSync()/arraySync(), none for ops; wasm's nested read counts once. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { countDeviceWork, countsBetween, deviceCounts } from './device-counters.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('counts each host read once and nothing for ops', async () => {
  const x = tf.tensor1d([1, 2, 3]);
  const { counts: ops } = await countDeviceWork(() => tf.tidy(() => tf.sum(tf.mul(tf.add(x, 1), 2))).dispose());
  expect(ops).toEqual({ programs: 0, buffers: 0, reads: 0 });
  const { counts, result } = await countDeviceWork(async () => {
    const y = tf.mul(x, 3);
    const a = y.dataSync()[0];
    const b = (await y.data())[1];
    const c = (y.arraySync() as number[])[2];
    y.dispose();
    return [a, b, c];
  });
  expect(result).toEqual([3, 6, 9]);
  expect(counts.reads).toBe(3);
  x.dispose();
});

it('wasm: data() (whose read calls readSync internally) counts once', async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  try {
    const x = tf.tensor1d([5, 6]);
    const before = deviceCounts();
    await x.data();
    x.dataSync();
    expect(countsBetween(before, deviceCounts())).toEqual({ programs: 0, buffers: 0, reads: 2 });
    x.dispose();
  } finally {
    await tf.setBackend('cpu');
  }
});

it('names an unknown backend in its error', () => {
  expect(() => deviceCounts('no-such-backend')).toThrow(/"name" must be a registered/);
});
