/**
 * Pieces of the trainer's read intervals (`TrainerOptions.readEvery`): an update
 * whose statistics are still on the device, the finiteness check of its values
 * once read, its log entry, and the snapshot an interval rolls back to. A snapshot
 * is `tf.clone` of each variable: a clone shares the variable's buffer (no copy),
 * and keeps the old values alive after the optimizer `assign`s new ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from '@anira/tensor';
import { NonFiniteTrainingError } from './errors.js';
import type { TrainLogEntry } from './training-core.js';

/** One computed update: its statistics `[taskLoss, policyLoss, accuracy, depth, ...terms, gradNorm]` (kept) and clipped gradients (kept). */
export interface PendingUpdate {
  /** The update's 0-based step. */
  readonly step: number;
  readonly lr: number;
  readonly termNames: readonly string[];
  /** [4 + terms + 1] */
  readonly stats: tf.Tensor;
  readonly clipped: Record<string, tf.Tensor>;
  /** Date.now() when its computation started. */
  readonly t0: number;
}

/** Value `i` of an update's read statistics (a handful per update, so a call is cheap here). */
function stat(v: ArrayLike<number>, i: number): number {
  const x = v[i];
  if (x === undefined) throw new Error(`invariant: update statistics hold ${v.length} values, none at ${i}`);
  return x;
}

/**
 * Throw `NonFiniteTrainingError` for update `update` (1-based) when the loss
 * (task + policy, values 0 and 1) or the gradient norm (last value) is not finite.
 * `keptStep`: the update whose weights survive (default: the one before).
 */
export function checkFinite(v: ArrayLike<number>, update: number, keptStep = update - 1): void {
  const loss = stat(v, 0) + stat(v, 1);
  const gradNorm = stat(v, v.length - 1);
  if (!Number.isFinite(loss)) throw new NonFiniteTrainingError(update, 'loss', loss, keptStep);
  if (!Number.isFinite(gradNorm)) throw new NonFiniteTrainingError(update, 'gradient norm', gradNorm, keptStep);
}

/** The log entry of applied update `u` from its read statistics `v`. */
export function logEntry(u: PendingUpdate, v: ArrayLike<number>, timeMs: number): TrainLogEntry {
  const [taskLoss, policyLoss, accuracy, meanDepth] = [stat(v, 0), stat(v, 1), stat(v, 2), stat(v, 3)];
  const lossTerms = Object.fromEntries(u.termNames.map((k, i) => [k, stat(v, 4 + i)]));
  return { step: u.step + 1, lr: u.lr, loss: taskLoss + policyLoss, taskLoss, policyLoss, lossTerms, gradNorm: stat(v, v.length - 1), accuracy, meanDepth, timeMs };
}

/** The state an interval can roll back to. */
export interface Snapshot {
  readonly step: number;
  readonly adamStep: number;
  readonly weights: Record<string, tf.Tensor>;
  readonly optim: Record<string, tf.Tensor>;
}

const cloneAll = (ts: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, tf.clone(t)]));

/** Snapshot `weights` (every checkpointed weight), the optimizer state and `step`. */
export function takeSnapshot(weights: Record<string, tf.Variable>, adam: Adam, step: number): Snapshot {
  return { step, adamStep: adam.step, weights: cloneAll(weights), optim: cloneAll(adam.state()) };
}

/** Put the snapshot's values back into `weights` and the optimizer. */
export function restoreSnapshot(s: Snapshot, weights: Record<string, tf.Variable>, adam: Adam): void {
  for (const [k, v] of Object.entries(weights)) {
    const saved = s.weights[k];
    if (saved === undefined) throw new Error(`invariant: the snapshot has no weight "${k}"`);
    v.assign(saved);
  }
  adam.setState(s.optim, s.adamStep);
}

export function disposeSnapshot(s: Snapshot): void {
  tf.dispose([...Object.values(s.weights), ...Object.values(s.optim)]);
}
