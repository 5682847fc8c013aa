import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { embed } from './embed.js';
import { layerNorm, mlp } from './layers.js';
import { linear } from './matmul.js';
import { replicaEmbed, replicaLayerNorm, replicaLinear, replicaMlp } from './replicas.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const K = 3;
const M = 4;
const rnd = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
/** Replica k's rows of `[K*M, ...]`. */
const rowsOf = (x: tf.Tensor, k: number) => tf.slice(x, [k * M, ...x.shape.slice(1).map(() => 0)], [M, ...x.shape.slice(1)]);
const near = (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  expect(d).toBeLessThan(1e-5);
};

describe('replica ops', () => {
  it('stacked linear, LayerNorm, MLP and embedding equal the plain op on each replica (values and gradients)', () => {
    const x = rnd([K * M, 5], 1);
    const [w0, w1, b1, w2, b2, g, b] = [rnd([K, 5, 5], 8), rnd([K, 5, 6], 2), rnd([K, 6], 3), rnd([K, 6, 5], 4), rnd([K, 5], 5), rnd([K, 5], 6), rnd([K, 5], 7)];
    type Ts = tf.Tensor[];
    const stacked = (a: Ts) => replicaMlp(replicaLayerNorm(replicaLinear(a[0]!, a[1]!, a[5]!), a[6]!, a[7]!), a[2]!, a[3]!, a[4]!, a[5]!);
    const plain = (k: number, a: Ts) => {
      const at = (t: tf.Tensor) => tf.squeeze(tf.slice(t, [k, ...t.shape.slice(1).map(() => 0)], [1, ...t.shape.slice(1)]), [0]);
      const [, w0, w1, b1, w2, b2, g, b] = a.map(at) as [tf.Tensor, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      return mlp(layerNorm(linear(rowsOf(a[0]!, k), w0, b2), g, b), w1, b1, w2, b2);
    };
    const args = [x, w0, w1, b1, w2, b2, g, b];
    const y = stacked(args);
    for (let k = 0; k < K; k++) near(rowsOf(y, k), plain(k, args));
    // sum of the replicas' own losses: each replica's gradient is its lone gradient
    const gs = tf.grads((...a: Ts) => tf.sum(tf.square(stacked(a))))(args);
    const lone = (k: number) => tf.grads((...a: Ts) => tf.sum(tf.square(plain(k, a))))(args);
    const per = Array.from({ length: K }, (_, k) => lone(k));
    near(gs[0]!, tf.addN(per.map((p) => p[0]!))); // x: each replica only touches its own rows
    for (let i = 1; i < args.length; i++) near(gs[i]!, tf.addN(per.map((p) => p[i]!)));
    for (let k = 0; k < K; k++) {
      // replica k's slice of a stacked weight's gradient comes from replica k alone
      const slice = (t: tf.Tensor) => tf.slice(t, [k, ...t.shape.slice(1).map(() => 0)], [1, ...t.shape.slice(1)]);
      for (let i = 1; i < args.length; i++) near(slice(gs[i]!), slice(per[k]![i]!));
    }
  });

  it('stacked embedding looks up replica k rows in table k; plain weights take the plain path', () => {
    const table = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // [K=2, V=2, C=2]
    const ids = tf.tensor1d([1, 0, 1, 1], 'int32'); // 2 rows per replica
    expect(Array.from(replicaEmbed(ids, table).dataSync())).toEqual([3, 4, 1, 2, 7, 8, 7, 8]);
    const t2 = tf.tensor2d([[1, 2], [3, 4]]);
    expect(Array.from(replicaEmbed(ids, t2).dataSync())).toEqual(Array.from(embed(ids, t2).dataSync()));
    expect(() => replicaLinear(tf.zeros([5, 2]), tf.zeros([2, 2, 3]))).toThrow(/5 rows .* do not split into 2 replicas/);
  });
});
