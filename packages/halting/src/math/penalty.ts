/**
 * The compute penalty shared by ANIRA-O and ANIRA-E (and PonderNet's KL term):
 * ONE function, so the two decision mechanisms differ only in when they decide.
 *   'kl-geometric':   beta * KL(p || Geometric(lambdaP) truncated to S, renormalised)
 *   'expected-depth': depthCost * E_p[d]
 * Both averaged over loss tokens.
 */
import * as tf from '@tensorflow/tfjs-core';
import { truncatedGeometric } from './geometric.js';
import { expectedDepthOf } from './halting-distribution.js';
import { maskedMean } from './masked-mean.js';

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

/** Per-token KL(p || g) for p [B, T, S] -> [B, T]. */
export function klToGeometric(p: tf.Tensor, lambdaP: number): tf.Tensor2D {
  const S = p.shape[p.shape.length - 1]!;
  const logG = tf.tensor1d(truncatedGeometric(S, lambdaP).map(Math.log)); // [S]
  const logP = tf.log(tf.add(p, EPS));
  return tf.sum(tf.mul(p, tf.sub(logP, logG)), -1) as tf.Tensor2D;
}

/** The penalty for halting distribution p [B, T, S] averaged over lossMask [B, T]. */
export function computePenalty(p: tf.Tensor3D, lossMask: tf.Tensor2D, opts: PenaltyOptions): tf.Scalar {
  if (opts.kind === 'kl-geometric') {
    return tf.mul(opts.beta, maskedMean(klToGeometric(p, opts.lambdaP), lossMask)) as tf.Scalar;
  }
  return tf.mul(opts.depthCost, maskedMean(expectedDepthOf(p), lossMask)) as tf.Scalar;
}
