/**
 * The gradient of one training batch, written once for `Trainer` (the whole
 * batch) and the parallel workers (one shard each, parallel/shard.ts): the
 * differentiable forward (`forward.ts`) with update `step`'s seed
 * (`deriveSeed(seed, 'train' + step)`), `tf.variableGrads` over the trainable
 * variables, the gradients by checkpoint name, and the update's scalars stacked
 * for one read. Call it inside a `tf.tidy`: every tensor it returns belongs to
 * that scope.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from './batch.js';
import { trainForward } from './forward.js';
import type { LoopedTransformer } from './model.js';
import { FULL_PHASE, type HaltingPhase } from './schedule.js';

export interface BatchGradients {
  /** The objective's gradient by checkpoint name, for the variables that received one. */
  readonly grads: Record<string, tf.Tensor>;
  /** [4 + terms]: taskLoss, policyLoss, accuracy, meanDepth, then the loss terms in `termNames` order. */
  readonly stats: tf.Tensor1D;
  readonly termNames: readonly string[];
}

/** Gradients of the training objective on `batch` with respect to `vars` (by checkpoint name). */
export function batchGradients(
  model: LoopedTransformer, policy: HaltingPolicy, vars: Readonly<Record<string, tf.Variable>>,
  batch: Batch, seed: number, step: number, phase: HaltingPhase = FULL_PHASE,
): BatchGradients {
  const names = Object.keys(vars);
  const byTfName = new Map(names.map((k) => [vars[k]!.name, k]));
  let side: tf.Scalar[] = [];
  let terms: tf.Scalar[] = [];
  let termNames: string[] = [];
  const { grads } = tf.variableGrads(() => {
    const f = trainForward(model, policy, batch, deriveSeed(seed, `train${step}`), phase);
    side = [f.taskLoss, f.policyLoss, f.accuracy, f.meanDepth].map((x) => tf.keep(x));
    termNames = Object.keys(f.lossTerms);
    terms = termNames.map((k) => tf.keep(f.lossTerms[k]!));
    return f.objective;
  }, names.map((k) => vars[k]!));
  const named: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) named[byTfName.get(tfName)!] = g;
  const stats = tf.stack([...side, ...terms]) as tf.Tensor1D; // [4 + terms]
  tf.dispose([...side, ...terms]); // kept out of variableGrads' scope, so the caller's tidy would not free them
  return { grads: named, stats, termNames };
}
