/**
 * One worker's share of an update: which examples it owns, how many loss tokens
 * they hold, and the gradient of the training objective on them. The objective
 * of `trainForward` is a mean over loss tokens (task loss and the built-in
 * policies' penalties), so a shard's gradient times its loss-token count, summed
 * over shards and divided by the total count, is the full batch's gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HaltingPolicy } from '@anira/halting';
import type { Batch } from '../batch.js';
import { batchGradients } from '../batch-gradients.js';
import { FULL_PHASE, type HaltingPhase } from '../schedule.js';
import type { LoopedTransformer } from '../model.js';
import type { VariableLayout } from './layout.js';

/** Examples [start, end) of the global batch owned by worker `w` of `workers` (contiguous, sizes differ by at most 1). */
export function shardRange(w: number, workers: number, batchSize: number): [number, number] {
  return [Math.floor((w * batchSize) / workers), Math.floor(((w + 1) * batchSize) / workers)];
}

/** Loss tokens of a batch: real tokens (mask 1) with a target (>= 0), as `trainForward`'s loss mask counts them. */
export function lossTokenCount(batch: Batch): number {
  let n = 0;
  for (let i = 0; i < batch.target.length; i++) if (batch.target[i]! >= 0 && batch.mask[i]! > 0) n += 1;
  return n;
}

/** Token-mean scalars of one shard's forward, as read from the backend (float32 values). */
export interface ShardStats {
  readonly taskLoss: number;
  readonly policyLoss: number;
  readonly accuracy: number;
  readonly meanDepth: number;
  readonly terms: Readonly<Record<string, number>>;
}

/**
 * Gradient of the training objective on `batch` w.r.t. `vars`, written flat into
 * `out` (length P, at the layout's offsets); `present[v]` is set to 1 for each
 * variable that received a gradient (0 and zeros in `out` otherwise). The seed
 * is the Trainer's: `deriveSeed(seed, 'train' + step)`. One tidy, one read.
 */
export function shardGradients(
  model: LoopedTransformer, policy: HaltingPolicy, vars: Readonly<Record<string, tf.Variable>>, layout: VariableLayout,
  batch: Batch, seed: number, step: number, out: Float32Array, present: Int32Array, phase: HaltingPhase = FULL_PHASE,
): ShardStats {
  let termNames: readonly string[] = [];
  const [flat, stats] = tf.tidy(() => {
    const g = batchGradients(model, policy, vars, batch, seed, step, phase);
    termNames = g.termNames;
    const parts = layout.entries.map((e, v) => {
      const grad = g.grads[e.name];
      present[v] = grad ? 1 : 0;
      return grad ? tf.reshape(grad, [-1]) : tf.zeros([e.size]);
    });
    const flat = parts.length ? tf.concat(parts) : tf.zeros([0]); // [P]
    return [flat, g.stats]; // [P], [4 + terms]
  });
  try {
    out.set(flat.dataSync() as Float32Array);
    const v = stats.dataSync();
    return {
      taskLoss: v[0]!, policyLoss: v[1]!, accuracy: v[2]!, meanDepth: v[3]!,
      terms: Object.fromEntries(termNames.map((k, i) => [k, v[4 + i]!])),
    };
  } finally {
    tf.dispose([flat, stats]);
  }
}
