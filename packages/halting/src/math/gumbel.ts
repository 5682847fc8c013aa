/**
 * Straight-through Gumbel-softmax: the forward value is the one-hot of
 * argmax((logits + g) / temperature), the gradient is that of the soft sample.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { nonDiff } from './non-diff.js';

/** logits [..., S] -> one-hot sample [..., S] with a straight-through gradient. */
export function gumbelSoftmaxST(logits: tf.Tensor, temperature: number, seed: number): tf.Tensor {
  const S = logits.shape[logits.shape.length - 1];
  if (S === undefined) throw new AniraInputError('gumbelSoftmaxST: "logits" must have rank >= 1 (the softmax runs over its last axis), got a scalar');
  const u = tf.randomUniform(logits.shape, 1e-6, 1 - 1e-6, 'float32', seed);
  const g = tf.neg(tf.log(tf.neg(tf.log(u))));
  const soft = tf.softmax(tf.div(tf.add(logits, g), temperature)); // [..., S]
  const steps = tf.range(0, S, 1, 'int32'); // [S]
  // one-hot of the argmax, written without tf.oneHot (which rejects depth 1)
  const hardMinusSoft = nonDiff([soft], (y) =>
    tf.sub(tf.cast(tf.equal(tf.expandDims(tf.argMax(y, -1), -1), steps), 'float32'), y));
  return tf.add(soft, hardMinusSoft);
}
