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

/**
 * The K replicas' rows of `[K*B, ...]`, each `[B, ...]`. One split per tensor: its
 * gradient is one concat, where K slices would each pad back to the full shape
 * (K times the memory of the tensor).
 */
const perReplica = <T extends tf.Tensor>(x: T, k: number): T[] => tf.split(x, k, 0) as T[];

/** The loop's outputs of each replica. */
function replicaLoops(loop: LoopOutputs, k: number): LoopOutputs[] {
  const split = <T extends tf.Tensor>(x: T) => perReplica(x, k);
  const [mask, target, lossMask, shallow] = [split(loop.mask), split(loop.target), split(loop.lossMask), split(loop.shallow)];
  const states = loop.states.map(split);
  const logits = loop.logits.map(split);
  return Array.from({ length: k }, (_, r) => ({
    mask: mask[r]!, target: target[r]!, lossMask: lossMask[r]!, shallow: shallow[r]!,
    states: states.map((s) => s[r]!), logits: logits.map((l) => l[r]!),
  }));
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
  const loop = loopForward(model, batch);
  const parts = replicaLoops(loop, k);
  const outs = policies.map((p, r) => policyTrain(p, parts[r]!, seeds[r]!));
  const combine = outs[0]!.combine;
  if (outs.some((o) => o.combine !== combine)) throw new Error('stackedTrainForward: the replicas\' policies combine exit steps differently');
  const w = tf.concat(outs.map((o, r) => phaseWeights(o.weights, parts[r]!.mask, phase)), 0); // [K*B, T, S]
  const terms = tokenTerms(model, loop, w, combine); // [K*B, T] each
  const [loss, accuracy, depth] = [perReplica(terms.loss, k), perReplica(terms.accuracy, k), perReplica(terms.depth, k)];
  return outs.map((out, r) => {
    const mean = (x: tf.Tensor[]) => maskedMean(x[r]!, parts[r]!.lossMask);
    const taskLoss = mean(loss);
    const policyLoss = phaseLoss(out.loss, phase);
    const objective = tf.add(taskLoss, policyLoss) as tf.Scalar;
    return { objective, taskLoss, policyLoss, lossTerms: out.lossTerms ?? {}, accuracy: mean(accuracy), meanDepth: mean(depth) };
  });
}
