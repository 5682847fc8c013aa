/**
 * The compute penalty shared by ANIRA-O and ANIRA-E (and PonderNet's KL term):
 * ONE function, so the two decision mechanisms differ only in when they decide.
 *   'kl-geometric':   beta * KL(p || Geometric(lambdaP) truncated to S, renormalised)
 *   'expected-depth': depthCost * E_p[d]
 * Both averaged over loss tokens. The KL uses 0 log 0 = 0: a step where p is 0
 * contributes nothing whatever the prior says there, and a step where the prior is
 * 0 but p is not makes the KL +Infinity (exactly, not NaN).
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { truncatedGeometric } from './geometric.js';
import { expectedDepthOf } from './halting-distribution.js';
import { maskedMean } from '@anira/tensor';
import { nonDiff } from './non-diff.js';

export type PenaltyKind = 'kl-geometric' | 'expected-depth';

export interface PenaltyOptions {
  readonly kind: PenaltyKind;
  /** Scale of the KL term. */
  readonly beta: number;
  /** Success probability of the geometric prior. */
  readonly lambdaP: number;
  /** Scale of the expected-depth term. */
  readonly depthCost: number;
}

const EPS = 1e-8;

/** Per-token KL(p || g) for p [B, T, S] -> [B, T], with 0 log 0 = 0. */
export function klToGeometric(p: tf.Tensor, lambdaP: number): tf.Tensor2D {
  const S = p.shape[p.shape.length - 1];
  if (S === undefined) throw new AniraInputError('klToGeometric: "p" must have rank >= 1 (its last axis holds the steps), got a scalar');
  const g = truncatedGeometric(S, lambdaP);
  // log g where the prior has mass; 0 elsewhere (those steps are handled below)
  const logG = tf.tensor1d(g.map((v) => (v > 0 ? Math.log(v) : 0))); // [S]
  const supported = tf.tensor1d(g.map((v) => (v > 0 ? 1 : 0))); // [S]
  // p log p is 0 at p = 0 (p * log(p + EPS) is 0 there, with a finite gradient)
  const logP = tf.log(tf.add(p, EPS));
  const finite = tf.sum(tf.mul(tf.mul(p, tf.sub(logP, logG)), supported), -1); // [B, T]
  if (g.every((v) => v > 0)) return finite as tf.Tensor2D;
  // +Infinity where p > 0 on a step the prior gives probability 0; no gradient (it is a constant)
  const inf = nonDiff([p], (x) => {
    const outside = tf.sum(tf.mul(tf.cast(tf.greater(x, 0), 'float32'), tf.sub(1, supported)), -1); // [B, T] such steps
    return tf.where(tf.greater(outside, 0), tf.fill(outside.shape, Infinity), tf.zerosLike(outside));
  });
  return tf.add(finite, inf) as tf.Tensor2D;
}

/** The penalty for halting distribution p [B, T, S] averaged over lossMask [B, T]. */
export function computePenalty(p: tf.Tensor3D, lossMask: tf.Tensor2D, opts: PenaltyOptions): tf.Scalar {
  if (opts.kind === 'kl-geometric') {
    return tf.mul(opts.beta, maskedMean(klToGeometric(p, opts.lambdaP), lossMask)) as tf.Scalar;
  }
  return tf.mul(opts.depthCost, maskedMean(expectedDepthOf(p), lossMask)) as tf.Scalar;
}
