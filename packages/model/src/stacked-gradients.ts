/**
 * The gradient of one stacked training batch (stacked-forward.ts): the sum of the
 * active replicas' objectives differentiated once, so replica k's slice of every
 * stacked weight and its policy's variables receive exactly its own gradient;
 * then gradient-norm clipping PER REPLICA (replica k's norm over its slices and
 * its policy's gradients, as a lone run clips), and every replica's scalars
 * stacked for one read. Call inside a `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from './batch.js';
import type { LoopedTransformer } from './model.js';
import { stackedTrainForward } from './stacked-forward.js';
import { FULL_PHASE, type HaltingPhase } from './schedule.js';

export interface StackedGradients {
  /** Clipped gradients: `model/<name>` `[K, ...]` and `r<k>/policy/<name>` of the active replicas. */
  readonly grads: Record<string, tf.Tensor>;
  /** [K, 5 + terms]: per replica taskLoss, policyLoss, accuracy, meanDepth, the loss terms, gradient norm (before clipping). */
  readonly stats: tf.Tensor2D;
  readonly termNames: readonly string[];
}

/** The stacked variable name of replica k's policy variable. */
export const replicaPolicyKey = (k: number, name: string) => `r${k}/policy/${name}`;

/**
 * Gradients of replica objectives on `batch` (K batches one after the other) with
 * update `step`'s seeds (`deriveSeed(seeds[k], 'train' + step)`, as a lone run),
 * clipped to `clipNorm` per replica. `active[k]` false: replica k takes no part in
 * the objective (its policy gets no gradient; its stacked slices get zeros or junk,
 * which the trainer never applies).
 */
export function stackedGradients(
  model: LoopedTransformer, policies: readonly HaltingPolicy[], active: readonly boolean[],
  batch: Batch, seeds: readonly number[], step: number, clipNorm: number, phase: HaltingPhase = FULL_PHASE,
): StackedGradients {
  const k = policies.length;
  const vars: Record<string, tf.Variable> = {};
  for (const [name, v] of Object.entries(model.params)) vars[`model/${name}`] = v;
  policies.forEach((p, r) => {
    if (!active[r]) return;
    for (const [name, v] of Object.entries(p.variables)) if (v.trainable) vars[replicaPolicyKey(r, name)] = v;
  });
  const names = Object.keys(vars);
  const byTfName = new Map(names.map((n) => [vars[n]!.name, n]));
  let side: tf.Tensor1D[] = [];
  let termNames: string[] = [];
  const { grads } = tf.variableGrads(() => {
    const fs = stackedTrainForward(model, policies, batch, seeds.map((s) => deriveSeed(s, `train${step}`)), phase);
    termNames = Object.keys(fs[0]!.lossTerms);
    side = fs.map((f) => tf.keep(tf.stack([f.taskLoss, f.policyLoss, f.accuracy, f.meanDepth, ...termNames.map((t) => f.lossTerms[t]!)]) as tf.Tensor1D));
    return tf.addN(fs.filter((_, r) => active[r]).map((f) => f.objective)) as tf.Scalar;
  }, names.map((n) => vars[n]!));
  const named: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) named[byTfName.get(tfName)!] = g;
  const { clipped, norms } = clipPerReplica(named, k, clipNorm);
  const stats = tf.concat([tf.stack(side), tf.reshape(norms, [k, 1])], 1) as tf.Tensor2D; // [K, 5 + terms]
  tf.dispose(side);
  return { grads: clipped, stats, termNames };
}

/**
 * Scale replica k's gradients (its slices `[k, ...]` of `model/...` gradients and its
 * `r<k>/...` ones) by `min(1, maxNorm / norm_k)`, norm_k their joint L2 norm. Returns
 * the clipped gradients and the norms `[K]`.
 */
export function clipPerReplica(grads: Readonly<Record<string, tf.Tensor>>, k: number, maxNorm: number): { clipped: Record<string, tf.Tensor>; norms: tf.Tensor1D } {
  const replicaOf = (name: string) => (name.startsWith('r') ? Number(name.slice(1, name.indexOf('/'))) : undefined);
  const sq: tf.Tensor[] = [];
  for (const [name, g] of Object.entries(grads)) {
    const r = replicaOf(name);
    if (r === undefined) {
      sq.push(tf.sum(tf.square(tf.reshape(g, [k, -1])), 1)); // [K]
    } else {
      sq.push(tf.pad(tf.reshape(tf.sum(tf.square(g)), [1]), [[r, k - r - 1]])); // [K], replica r only (a pad: a product with a one-hot would spread a NaN)
    }
  }
  const norms = tf.sqrt(sq.length ? tf.addN(sq) : tf.zeros([k])) as tf.Tensor1D;
  const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norms, 1e-12))); // [K]
  const clipped: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(grads)) {
    const r = replicaOf(name);
    clipped[name] = r === undefined
      ? tf.mul(g, tf.reshape(scale, [k, ...g.shape.slice(1).map(() => 1)]))
      : tf.mul(g, tf.reshape(tf.slice(scale, [r], [1]), []));
  }
  return { clipped, norms };
}
