/**
 * The optimizer update of a parallel run, applied on the main thread from the
 * combined flat gradient: clip by global norm (`clipByGlobalNorm`), check the
 * loss and the norm, then one Adam step with the scheduled learning rate: the
 * same sequence as `Trainer.trainStep` once the gradient is known. A non-finite
 * loss or norm throws `NonFiniteTrainingError` before anything is applied.
 */
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, type Adam } from '@anira/tensor';
import { NonFiniteTrainingError } from '../errors.js';
import { tidyTyped } from '../tidy.js';
import type { VariableLayout } from './layout.js';

export interface CombinedUpdate {
  /** The combined gradient [P] in the layout. */
  readonly grad: Float32Array;
  /** Per layout entry: whether any shard produced its gradient (absent ones are not updated, as in Adam). */
  readonly present: readonly boolean[];
  /** Combined loss (task + policy), checked before the update. */
  readonly loss: number;
}

/**
 * Apply `update` to `adam`'s variables at learning rate `lr` for the 1-based
 * update number `update` (for the error). Returns the gradient's global norm
 * before clipping.
 */
export function applyCombinedUpdate(
  adam: Adam, layout: VariableLayout, u: CombinedUpdate, clipNorm: number, lr: number, updateNumber: number,
): number {
  if (!Number.isFinite(u.loss)) throw new NonFiniteTrainingError(updateNumber, 'loss', u.loss);
  const { clipped, norm } = tidyTyped(() => {
    const named: Record<string, tf.Tensor> = {};
    layout.entries.forEach((e, v) => {
      if (u.present[v]) named[e.name] = tf.tensor(u.grad.subarray(e.offset, e.offset + e.size), e.shape as number[], 'float32');
    });
    const clip = clipByGlobalNorm(named, clipNorm);
    return { clipped: clip.grads, norm: clip.norm };
  });
  try {
    const gradNorm = norm.dataSync()[0]!;
    if (!Number.isFinite(gradNorm)) throw new NonFiniteTrainingError(updateNumber, 'gradient norm', gradNorm);
    tf.tidy(() => adam.apply(clipped, lr));
    return gradNorm;
  } finally {
    tf.dispose([norm, ...Object.values(clipped)]);
  }
}
