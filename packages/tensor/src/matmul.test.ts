import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { linear, matmul } from './matmul.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('matmul', () => {
  it('matches tf.matMul forward and gradients on a 3-D input', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1); // [B, T, K]
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 2) as tf.Tensor2D; // [K, N]
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(matmul(a, b as tf.Tensor2D))));
    const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.reshape(tf.matMul(tf.reshape(a, [6, 4]), b as tf.Tensor2D), [2, 3, 5]))),
    );
    const [ga, gb] = ours([x, w]);
    const [ra, rb] = ref([x, w]);
    expect(Array.from(ga!.dataSync())).toEqual(Array.from(ra!.dataSync()).map((v) => expect.closeTo(v, 4)));
    expect(Array.from(gb!.dataSync())).toEqual(Array.from(rb!.dataSync()).map((v) => expect.closeTo(v, 4)));
    expect(matmul(x, w).shape).toEqual([2, 3, 5]);
  });

  it('rejects mismatched inner dimensions with both shapes in the message', () => {
    expect(() => matmul(tf.zeros([2, 3]), tf.zeros([4, 5]) as tf.Tensor2D)).toThrow(/\[2,3\].*\[4,5\]/);
  });

  it('linear adds the bias', () => {
    const y = linear(tf.ones([1, 2]), tf.ones([2, 2]) as tf.Tensor2D, tf.tensor1d([1, -1]));
    expect(Array.from(y.dataSync())).toEqual([3, 1]);
  });
});
