/** `stackLast` gives exactly `tf.stack(xs, -1)`'s values and gradients on cpu and wasm, for ranks 1-3. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import './gradients.js';
import { stackLast } from './stack-last.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('stackLast on %s', (backend) => {
  it('out[..., s] = xs[s][...] with the same gradients as tf.stack(xs, -1)', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    for (const shape of [[5], [3, 4], [2, 3, 7], [32, 64]]) {
      for (const s of [1, 2, 8]) {
        tf.tidy(() => {
          const xs = Array.from({ length: s }, (_, i) => tf.randomNormal(shape, 0, 1, 'float32', 10 * i + shape.length));
          const y = stackLast(xs);
          expect(y.shape).toEqual([...shape, s]);
          expect(Array.from(y.dataSync())).toEqual(Array.from(tf.stack(xs, -1).dataSync()));
          const r = tf.randomNormal([...shape, s], 0, 1, 'float32', 99);
          const gOf = (f: (ts: tf.Tensor[]) => tf.Tensor) => tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(f(ts), r)))(xs);
          const ours = gOf((ts) => stackLast(ts));
          const ref = gOf((ts) => tf.stack(ts, -1));
          ours.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(ref[i]!.dataSync())));
        });
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an empty list with a message', async () => {
    await tf.setBackend(backend);
    expect(() => stackLast([])).toThrow('stackLast: needs at least one tensor, got 0');
  });
});
