/**
 * The [B, T] shape of a training call, read from its first state. Training always
 * passes one state per iteration, so an empty list is a bug in the caller (the model),
 * reported as an invariant error naming the policy.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** [B, T] of `states[0]`, or throws when `states` is empty. */
export function trainShape(policy: string, states: readonly tf.Tensor3D[]): readonly [number, number] {
  const [first] = states;
  if (first === undefined) throw new Error(`invariant: ${policy}.train got no states`);
  const [B, T] = first.shape;
  return [B, T];
}
