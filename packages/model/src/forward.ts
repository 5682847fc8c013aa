/**
 * The differentiable training forward. Every token runs all S iterations (no
 * skipping; padding is excluded by the attention mask and the loss mask). The
 * policy turns the per-step states/logits into weights over exit steps:
 * - 'expected-loss': objective = mean over loss tokens of sum_t w_t * CE_t;
 * - 'mixture': logits are read from sum_t w_t h_t, then CE.
 * The policy's own loss is added. Call inside a tidy / gradient function.
 */
import * as tf from '@tensorflow/tfjs-core';
import { maskedMean, stackLast, tokenCrossEntropy } from '@anira/tensor';
import type { HaltingPolicy, TrainingCombine, TrainingOutput } from '@anira/halting';
import type { Batch } from './batch.js';
import type { LoopedTransformer } from './model.js';
import { checkBatchFits, checkPolicyFits } from './validate.js';
import { FULL_PHASE, type HaltingPhase } from './schedule.js';

export interface TrainForwardResult {
  /** Task loss + policy loss, a scalar. */
  readonly objective: tf.Scalar;
  readonly taskLoss: tf.Scalar;
  readonly policyLoss: tf.Scalar;
  readonly lossTerms: Readonly<Record<string, tf.Scalar>>;
  /** Expected token accuracy under the exit weights (argmax correct), a scalar. */
  readonly accuracy: tf.Scalar;
  /** Mean over loss tokens of sum_t t * w_t, a scalar. */
  readonly meanDepth: tf.Scalar;
}

/** The loop's outputs on a batch, and its masks: what the policy and the loss read. */
export interface LoopOutputs {
  /** [B, T] */
  readonly mask: tf.Tensor2D;
  /** [B, T] int32 */
  readonly target: tf.Tensor2D;
  /** [B, T], 1 where a token has a loss. */
  readonly lossMask: tf.Tensor2D;
  /** [B, T, C] */
  readonly shallow: tf.Tensor3D;
  /** Per iteration: states [B, T, C] and logits [B, T, V]. */
  readonly states: tf.Tensor3D[];
  readonly logits: tf.Tensor3D[];
}

/** Per-token terms under exit weights, `[B, T]` each (masked means give the result's scalars). */
export interface TokenTerms {
  readonly loss: tf.Tensor;
  readonly accuracy: tf.Tensor;
  readonly depth: tf.Tensor;
}

/** Embedding, prelude and all S iterations of the shared block on `batch`, with the states and logits of each. */
export function loopForward(model: LoopedTransformer, batch: Batch): LoopOutputs {
  const { batch: b, length: t } = batch;
  const { tMax: s, vocabSize: v, dModel: c } = model.config;
  const ctx = model.context(batch);
  const mask = tf.tensor2d(batch.mask, [b, t]);
  const target = tf.tensor2d(batch.target, [b, t], 'int32');
  const lossMask = tf.mul(tf.cast(tf.greaterEqual(target, 0), 'float32'), mask) as tf.Tensor2D; // [B, T]
  const h0 = model.shallow(batch, ctx); // [B*T, C]
  const states: tf.Tensor3D[] = [];
  const logits: tf.Tensor3D[] = [];
  let h = h0;
  for (let i = 0; i < s; i++) {
    h = model.iterate(h, h0, ctx);
    states.push(tf.reshape(h, [b, t, c]));
    logits.push(tf.reshape(model.head(h), [b, t, v]));
  }
  return { mask, target, lossMask, shallow: tf.reshape(h0, [b, t, c]), states, logits };
}

/** Per-token loss, accuracy and depth under exit weights `w [B, T, S]` combined as the policy asked. */
export function tokenTerms(model: LoopedTransformer, loop: LoopOutputs, w: tf.Tensor3D, combine: TrainingCombine): TokenTerms {
  const [b, t, s] = w.shape;
  const { vocabSize: v, dModel: c } = model.config;
  const { states, logits, target } = loop;
  const steps = tf.range(1, s + 1, 1, 'float32'); // [S]
  const depth = tf.sum(tf.mul(w, steps), -1);
  const correct = (l: tf.Tensor) => tf.cast(tf.equal(tf.argMax(l, -1), target), 'float32'); // [B, T]
  if (combine === 'mixture') {
    const wt = tf.unstack(tf.transpose(w, [2, 0, 1])); // S x [B, T]
    const mix = tf.addN(states.map((st, i) => tf.mul(st, tf.expandDims(wt[i]!, -1)))); // [B, T, C]
    const mixLogits = tf.reshape(model.head(tf.reshape(mix, [b * t, c]) as tf.Tensor2D), [b, t, v]);
    return { loss: tokenCrossEntropy(mixLogits, target), accuracy: correct(mixLogits), depth };
  }
  const ce = stackLast<tf.Rank.R3>(logits.map((l) => tokenCrossEntropy(l, target))); // [B, T, S]
  const acc = stackLast<tf.Rank.R3>(logits.map(correct)); // [B, T, S]
  return { loss: tf.sum(tf.mul(w, ce), -1), accuracy: tf.sum(tf.mul(w, acc), -1), depth };
}

/** The policy's weights over exit steps on `loop`, shape-checked `[B, T, S]`. */
export function policyTrain(policy: HaltingPolicy, loop: LoopOutputs, seed: number): TrainingOutput {
  const { shallow, states, logits, mask, lossMask } = loop;
  const [b, t] = mask.shape;
  const s = states.length;
  const out = policy.train({ shallow, states, logits, mask, lossMask, seed });
  if (out.weights.shape.join() !== [b, t, s].join()) {
    throw new Error(`model: policy "${policy.name}" returned weights of shape [${out.weights.shape}], expected [${b},${t},${s}]`);
  }
  return out;
}

/** Run the training forward of `model` with `policy` on `batch` (`phase`: warm start at full depth and penalty ramp, see schedule.ts). */
export function trainForward(
  model: LoopedTransformer,
  policy: HaltingPolicy,
  batch: Batch,
  seed: number,
  phase: HaltingPhase = FULL_PHASE,
): TrainForwardResult {
  checkPolicyFits('trainForward', model, policy);
  checkBatchFits('trainForward', model, batch);
  const loop = loopForward(model, batch);
  const out = policyTrain(policy, loop, seed);
  const { lossMask, mask } = loop;
  const terms = tokenTerms(model, loop, phaseWeights(out.weights, mask, phase), out.combine);
  const meanDepth = maskedMean(terms.depth, lossMask);
  const taskLoss = maskedMean(terms.loss, lossMask);
  const accuracy = maskedMean(terms.accuracy, lossMask);
  const policyLoss = phaseLoss(out.loss, phase);
  const objective = tf.add(taskLoss, policyLoss) as tf.Scalar;
  return { objective, taskLoss, policyLoss, lossTerms: out.lossTerms ?? {}, accuracy, meanDepth };
}

/** Exit weights `[B, T, S]` under `phase`: at warm start every token exits at T_max (constant weights, no gradient into the halting decision). */
export function phaseWeights(weights: tf.Tensor3D, mask: tf.Tensor2D, phase: HaltingPhase): tf.Tensor3D {
  if (!phase.fullDepth) return weights;
  const [b, t, s] = weights.shape;
  return tf.mul(tf.oneHot(tf.fill([b, t], s - 1, 'int32'), s), tf.expandDims(mask, -1)) as tf.Tensor3D;
}

/** The policy's own loss under `phase`'s penalty ramp (kept in the graph at scale 0, so every variable has a gradient). */
export function phaseLoss(loss: tf.Scalar, phase: HaltingPhase): tf.Scalar {
  return phase.penaltyScale === 1 ? loss : (tf.mul(loss, phase.penaltyScale) as tf.Scalar);
}
