/**
 * The training forward of a stacked model (stacked.ts): one loop over the K
 * replicas' batches (replica-major rows, batched products), then each replica's
 * own policy on its rows and its own masked means. Replica k's result is the
 * lone `trainForward` of its model, policy, batch and seed, up to float error;
 * the objective to differentiate is the sum of the replicas' objectives, so each
 * replica's weights receive exactly its own gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { maskedMean } from '@anira/tensor';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from './batch.js';
import { loopForward, phaseLoss, phaseWeights, policyTrain, tokenTerms, type LoopOutputs, type TrainForwardResult } from './forward.js';
import { FULL_PHASE, type HaltingPhase } from './schedule.js';
import type { LoopedTransformer } from './model.js';
import { checkBatchFits, checkPolicyFits } from './validate.js';

/** Rows `[K*B, ...]` of replica k: `[B, ...]`. */
function rowsOf<T extends tf.Tensor>(x: T, k: number, b: number): T {
  return tf.slice(x, [k * b, ...x.shape.slice(1).map(() => 0)], [b, ...x.shape.slice(1)]) as T;
}

/** Replica k's part of the loop's outputs. */
function replicaLoop(loop: LoopOutputs, k: number, b: number): LoopOutputs {
  const r = <T extends tf.Tensor>(x: T) => rowsOf(x, k, b);
  return {
    mask: r(loop.mask), target: r(loop.target), lossMask: r(loop.lossMask), shallow: r(loop.shallow),
    states: loop.states.map(r), logits: loop.logits.map(r),
  };
}

/**
 * Training forward of stacked `model` (K replicas) on `batch`, which holds K equal
 * batches one after the other (replica k: rows `k*B .. (k+1)*B - 1`), with replica
 * k's `policies[k]` and `seeds[k]`. Returns one result per replica.
 */
export function stackedTrainForward(
  model: LoopedTransformer,
  policies: readonly HaltingPolicy[],
  batch: Batch,
  seeds: readonly number[],
  phase: HaltingPhase = FULL_PHASE,
): TrainForwardResult[] {
  const k = model.replicas;
  if (k === undefined) throw new Error('stackedTrainForward: the model is not stacked (use trainForward)');
  if (policies.length !== k || seeds.length !== k) {
    throw new Error(`stackedTrainForward: "policies" and "seeds" must hold ${k} entries (one per replica), got ${policies.length} and ${seeds.length}`);
  }
  if (batch.batch % k !== 0) throw new Error(`stackedTrainForward: batch rows must be a multiple of ${k} replicas, got ${batch.batch}`);
  policies.forEach((p) => checkPolicyFits('stackedTrainForward', model, p));
  checkBatchFits('stackedTrainForward', model, batch);
  const b = batch.batch / k;
  const loop = loopForward(model, batch);
  const parts = policies.map((_, r) => replicaLoop(loop, r, b));
  const outs = policies.map((p, r) => policyTrain(p, parts[r]!, seeds[r]!));
  const combine = outs[0]!.combine;
  if (outs.some((o) => o.combine !== combine)) throw new Error('stackedTrainForward: the replicas\' policies combine exit steps differently');
  const w = tf.concat(outs.map((o, r) => phaseWeights(o.weights, parts[r]!.mask, phase)), 0); // [K*B, T, S]
  const terms = tokenTerms(model, loop, w, combine); // [K*B, T] each
  return outs.map((out, r) => {
    const lossMask = parts[r]!.lossMask;
    const mean = (x: tf.Tensor) => maskedMean(rowsOf(x, r, b), lossMask);
    const taskLoss = mean(terms.loss);
    const policyLoss = phaseLoss(out.loss, phase);
    const objective = tf.add(taskLoss, policyLoss) as tf.Scalar;
    return { objective, taskLoss, policyLoss, lossTerms: out.lossTerms ?? {}, accuracy: mean(terms.accuracy), meanDepth: mean(terms.depth) };
  });
}
