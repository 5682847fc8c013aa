/**
 * The hand-written fast gradients (fused `linear`, `layerNorm`, `gelu`) against
 * tfjs autodiff of the textbook formulas, on cpu, plus cpu/wasm agreement.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gelu, layerNorm } from './layers.js';
import { linear, sumRows } from './matmul.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const expectClose = (xs: number[], ys: number[], tol: number) => {
  expect(xs.length).toBe(ys.length);
  xs.forEach((x, i) => expect(Math.abs(x - ys[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(ys[i]!))));
};

const plainLayerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) => {
  const mean = tf.mean(x, -1, true);
  const c = tf.sub(x, mean);
  return tf.add(tf.mul(tf.div(c, tf.sqrt(tf.add(tf.mean(tf.square(c), -1, true), eps))), g), b);
};
const plainGelu = (x: tf.Tensor) =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));

/** Forward values and gradients (w.r.t. every input) of `sum(f(...) * r)` for a fixed random r. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): number[][] {
  return tf.tidy(() => {
    const y = f(...inputs);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', seed);
    const gs = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
    return [arr(y), ...gs.map(arr)];
  });
}

const inputs = () => [
  tf.randomNormal([2, 3, 8], 0, 2, 'float32', 1), // x [B, T, C]
  tf.randomNormal([8], 1, 0.3, 'float32', 2),
  tf.randomNormal([8], 0, 0.3, 'float32', 3),
];

describe('fast gradients match autodiff of the plain formulas', () => {
  it('layerNorm (3-D input, two eps values)', () => {
    for (const eps of [1e-5, 0.5]) {
      const ours = valueAndGrads((x, g, b) => layerNorm(x!, g as tf.Tensor1D, b as tf.Tensor1D, eps), inputs(), 4);
      const ref = valueAndGrads((x, g, b) => plainLayerNorm(x!, g!, b!, eps), inputs(), 4);
      ours.forEach((o, i) => expectClose(o, ref[i]!, 1e-4));
    }
  });

  it('gelu equals the tanh form, including at large |x|', () => {
    const x = tf.concat([tf.randomNormal([50], 0, 3, 'float32', 5), tf.tensor1d([0, -40, 40, 1, -1])]);
    const ours = valueAndGrads((v) => gelu(v!), [x], 6);
    const ref = valueAndGrads((v) => plainGelu(v!), [x], 6);
    ours.forEach((o, i) => expectClose(o, ref[i]!, 1e-5));
    expectClose(arr(gelu(tf.tensor1d([1, -1]))), [0.841192, -0.158808], 1e-5);
  });

  it('linear with bias (3-D input) and sumRows', () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 7);
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 8);
    const b = tf.randomNormal([5], 0, 1, 'float32', 9);
    const ours = valueAndGrads((a, ww, bb) => linear(a!, ww as tf.Tensor2D, bb as tf.Tensor1D), [x, w, b], 10);
    const ref = valueAndGrads((a, ww, bb) => tf.add(tf.matMul(tf.reshape(a!, [6, 4]), ww as tf.Tensor2D), bb!), [x, w, b], 10);
    ref[0] = arr(tf.reshape(tf.tensor(ref[0]!), [2, 3, 5]));
    ours.forEach((o, i) => expectClose(o, ref[i]!, 1e-4));
    expect(arr(sumRows(tf.tensor2d([[1, 2], [3, 4], [5, 6]])))).toEqual([9, 12]);
  });

  it('cpu and wasm agree within 1e-4', async () => {
    const run = () => [
      ...valueAndGrads((x, g, b) => layerNorm(x!, g as tf.Tensor1D, b as tf.Tensor1D), inputs(), 11),
      ...valueAndGrads((v) => gelu(v!), [tf.randomNormal([40], 0, 2, 'float32', 12)], 13),
    ];
    const cpu = run();
    await tf.setBackend('wasm');
    const wasm = run();
    await tf.setBackend('cpu');
    wasm.forEach((o, i) => expectClose(o, cpu[i]!, 1e-4));
  });
});
