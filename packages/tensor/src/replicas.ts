/**
 * Replica-aware weight ops, for K replicas of one model trained as one batched
 * model: every weight is stacked on a leading replica axis (`w [K, C, N]`,
 * `b [K, N]`, LayerNorm gains `[K, C]`) and the rows are `[K*M, C]` in
 * replica-major order (replica k owns rows `k*M .. (k+1)*M - 1`). Products run as
 * one batched matmul over the replica axis (`bmm.ts`). A weight without the
 * replica axis delegates to the plain op, so a lone model runs exactly the code
 * it ran before.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatmul } from './bmm.js';
import { embed } from './embed.js';
import { floatOneHot } from './one-hot.js';
import { lastAxis } from './last-axis.js';
import { gelu, layerNorm, mlp } from './layers.js';
import { linear, matmul } from './matmul.js';

/** Rows `[..., C]` with K*M rows in all, as `[K, M, C]`. */
function byReplica(x: tf.Tensor, k: number): tf.Tensor3D {
  const c = lastAxis(x, 'replicas');
  const n = x.size / c;
  if (n % k !== 0) throw new Error(`replicas: ${n} rows of shape [${x.shape}] do not split into ${k} replicas`);
  return tf.reshape(x, [k, n / k, c]);
}

/** `[K, M, N]` back to the rows' leading shape `[..., N]`. */
const unstackRows = (y: tf.Tensor, x: tf.Tensor, n: number) => tf.reshape(y, [...x.shape.slice(0, -1), n]);

/** `x [..., C] @ w`: `w [C, N]` (plain), or `w [K, C, N]` with replica k's rows times `w[k]`. */
export function replicaMatmul(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (w.rank === 2) return matmul(x, w as tf.Tensor2D);
  const [k, , n] = w.shape as [number, number, number];
  return unstackRows(batchMatmul(byReplica(x, k), w), x, n); // [K, M, N]
}

/** `x @ w + b`: plain (`w [C, N]`, `b [N]`) or stacked (`w [K, C, N]`, `b [K, N]`). */
export function replicaLinear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  if (w.rank === 2) return linear(x, w as tf.Tensor2D, b as tf.Tensor1D | undefined);
  const [k, , n] = w.shape as [number, number, number];
  let y: tf.Tensor = batchMatmul(byReplica(x, k), w); // [K, M, N]
  if (b) y = tf.add(y, tf.reshape(b, [k, 1, n]));
  return unstackRows(y, x, n);
}

/** LayerNorm over the last axis with plain (`[C]`) or per-replica (`[K, C]`) gain and bias. */
export function replicaLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  if (gamma.rank === 1) return layerNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps);
  const [k, c] = gamma.shape as [number, number];
  const xhat = layerNorm(x, tf.ones([c]), tf.zeros([c]), eps); // [..., C]
  const y = tf.add(tf.mul(byReplica(xhat, k), tf.reshape(gamma, [k, 1, c])), tf.reshape(beta, [k, 1, c])); // [K, M, C]
  return tf.reshape(y, x.shape);
}

/** `gelu(x @ w1 + b1) @ w2 + b2`, plain or stacked weights (see `replicaLinear`). */
export function replicaMlp(x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor): tf.Tensor {
  if (w1.rank === 2) return mlp(x, w1 as tf.Tensor2D, b1 as tf.Tensor1D, w2 as tf.Tensor2D, b2 as tf.Tensor1D);
  return replicaLinear(gelu(replicaLinear(x, w1, b1)), w2, b2);
}

/** Token embedding with a plain `[V, C]` or stacked `[K, V, C]` table (ids `[K*M]`, replica-major). */
export function replicaEmbed(ids: tf.Tensor, table: tf.Tensor): tf.Tensor {
  if (table.rank === 2) return embed(ids, table as tf.Tensor2D);
  const v = table.shape[1];
  if (v === undefined) throw new Error(`replicaEmbed: "table" must be [V, C] or [K, V, C], got shape [${table.shape}]`);
  return replicaMatmul(floatOneHot(ids, v), table); // [K*M, V] @ [K, V, C]
}
