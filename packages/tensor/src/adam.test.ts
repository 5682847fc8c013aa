import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { Adam } from './adam.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('Adam releases every tensor it made (construct, step, dispose)', () => {
  const p = { w: tf.variable(tf.zeros([2, 2])), b: tf.variable(tf.zeros([2])) };
  const n0 = tf.memory().numTensors;
  const adam = new Adam(p);
  tf.tidy(() => adam.apply({ w: tf.ones([2, 2]), b: tf.ones([2]) }, 0.1));
  adam.dispose();
  expect(tf.memory().numTensors).toBe(n0);
  tf.dispose(Object.values(p));
});
