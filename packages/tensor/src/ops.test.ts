import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { attentionBias, scaledDotAttention } from './attention.js';
import { batchMatmul } from './bmm.js';
import { clipByGlobalNorm } from './clip.js';
import { embed } from './embed.js';
import { gelu, layerNorm } from './layers.js';
import { maskedMean, tokenCrossEntropy } from './loss.js';
import { applyRope, ropeTables } from './positions.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const close = (xs: number[], ys: number[], d = 5) => xs.forEach((x, i) => expect(x).toBeCloseTo(ys[i]!, d));

describe('tensor ops', () => {
  it('layerNorm and gelu match hand-computed values', () => {
    // x = [1, 3]: mean 2, var 1 -> [-1, 1] / sqrt(1 + eps)
    close(arr(layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 2]), tf.tensor1d([0, 1]), 0)), [-2, 3]);
    close(arr(gelu(tf.tensor1d([0, 1, -1]))), [0, 0.841192, -0.158808], 4);
  });

  it('embed is a row lookup and cross-entropy ignores -1 targets', () => {
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    close(arr(embed(tf.tensor1d([2, 0], 'int32'), table)), [5, 6, 1, 2]);
    const ce = arr(tokenCrossEntropy(tf.tensor2d([[0, 0], [Math.log(3), 0]]), tf.tensor1d([1, -1], 'int32')));
    close(ce, [Math.log(2), 0]);
    expect(maskedMean(tf.tensor1d([2, 4, 100]), tf.tensor1d([1, 1, 0])).dataSync()[0]).toBeCloseTo(3);
  });

  it('batchMatmul gradients match tf.matMul', () => {
    const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 2);
    const f = (m: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(m(x, y))))([a, b]);
    const ours = f(batchMatmul);
    const ref = f((x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D));
    close(arr(ours[0]!), arr(ref[0]!), 3);
    close(arr(ours[1]!), arr(ref[1]!), 3);
  });

  it('attention respects causality and padding', () => {
    const bias = attentionBias(tf.tensor2d([[1, 1, 0]]), true); // [1, 1, 3, 3]
    const v = tf.reshape(tf.tensor1d([1, 10, 100]), [1, 1, 3, 1]) as tf.Tensor4D;
    const q = tf.zeros([1, 1, 3, 1]) as tf.Tensor4D; // uniform weights over allowed keys
    close(arr(scaledDotAttention(q, q, v, bias)), [1, 5.5, 5.5]);
  });

  it('RoPE preserves norms and makes q.k depend only on relative position', () => {
    const { cos, sin } = ropeTables(6, 4);
    const x = tf.tile(tf.tensor2d([[0.3, -1, 2, 0.5]]), [6, 1]) as tf.Tensor2D;
    const y = tf.tile(tf.tensor2d([[1, 0.2, -0.7, 1.5]]), [6, 1]) as tf.Tensor2D;
    const rx = applyRope(x, 1, cos, sin);
    const ry = applyRope(y, 1, cos, sin);
    close(arr(tf.sum(tf.square(rx), 1)), arr(tf.sum(tf.square(x), 1)), 4);
    const dot = (i: number, j: number) => tf.sum(tf.mul(tf.slice(rx, [i, 0], [1, 4]), tf.slice(ry, [j, 0], [1, 4]))).dataSync()[0]!;
    expect(dot(3, 1)).toBeCloseTo(dot(5, 3), 4);
    expect(dot(3, 1)).not.toBeCloseTo(dot(3, 2), 2);
  });

  it('clipByGlobalNorm scales by maxNorm / norm', () => {
    const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }, 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5);
    close([...arr(grads['a']!), ...arr(grads['b']!)], [0.6, 0.8]);
    expect(arr(clipByGlobalNorm({ a: tf.tensor1d([0.3]) }, 1).grads['a']!)).toEqual([expect.closeTo(0.3, 6)]);
  });

  it('Adam matches a hand-written update and restores its state', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Adam({ p }, { beta1: 0.9, beta2: 0.99, epsilon: 0 });
    opt.apply({ p: tf.tensor1d([0.5, -4]) }, 0.1); // first step: update = lr * sign(g)
    close(arr(p), [0.9, -1.9]);
    opt.apply({ p: tf.tensor1d([1, 0]) }, 0.1);
    const m = [0.9 * 0.05 + 0.1, 0.9 * -0.4];
    const v = [0.99 * 0.0025 + 0.01, 0.99 * 0.16];
    const upd = m.map((mi, i) => mi / (1 - 0.81) / Math.sqrt(v[i]! / (1 - 0.99 ** 2)));
    close(arr(p), [0.9 - 0.1 * upd[0]!, -1.9 - 0.1 * upd[1]!]);
    const q = tf.variable(tf.tensor1d([0, 0]));
    const other = new Adam({ p: q });
    other.setState(opt.state(), opt.step);
    expect(other.step).toBe(2);
    close(arr(other.state()['m/p']!), m);
    expect(() => other.setState({}, 1)).toThrow('adam: optimizer state "m/p" is missing');
  });
});
