/**
 * The PonderNet halting distribution shared by PonderNet, ANIRA-O and the capacity
 * router: p_t = lambda_t * prod_{j<t} (1 - lambda_j), with lambda_S forced to 1 so
 * that each row sums to 1. Built with a loop of multiplies (S is small) because the
 * cpu backend has no Cumprod gradient.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { stackLast } from '@anira/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** `lambdas`: S tensors [B, T] of per-step halting probabilities -> p [B, T, S]. */
export function haltingDistribution(lambdas: readonly tf.Tensor[]): tf.Tensor3D {
  const S = lambdas.length;
  const [first] = lambdas;
  if (first === undefined) throw new AniraInputError('haltingDistribution: "lambdas" must hold at least 1 step, got 0');
  let survive: tf.Tensor = tf.onesLike(first); // [B, T]
  const ps: tf.Tensor[] = [];
  for (const [t, lam] of lambdas.entries()) {
    if (t === S - 1) {
      ps.push(survive); // lambda_S = 1
    } else {
      ps.push(tf.mul(lam, survive));
      survive = tf.mul(survive, tf.sub(1, lam));
    }
  }
  return stackLast<tf.Rank.R3>(ps) as tf.Tensor3D; // [B, T, S]
}

/** Expected exit depth sum_t t * p_t for p [B, T, S] -> [B, T]. */
export function expectedDepthOf(p: tf.Tensor): tf.Tensor2D {
  const S = p.shape[p.shape.length - 1];
  if (S === undefined) throw new AniraInputError('expectedDepthOf: "p" must have rank >= 1 (its last axis holds the steps), got a scalar');
  const depths = tf.range(1, S + 1, 1, 'float32'); // [S]
  return tf.sum(tf.mul(p, depths), -1) as tf.Tensor2D;
}
