/**
 * Forced per-token depths: a deterministic policy with no parameters whose exit
 * depth for token (b, t) is given by the caller. Used by tests ("skipping is real")
 * and by the inference benchmark; also a handy oracle policy.
 */
import { AniraInputError } from '@anira/tasks/errors';
import * as tf from '@tensorflow/tfjs-core';
import { HALTING_SPEC_VERSION, type HaltingPolicy } from '../spec.js';
import { trainShape } from './train-shape.js';

/** Returns the exit depth of token `t` of batch row `b` (clipped to [1, tMax]). */
export type DepthFn = (b: number, t: number) => number;

function depthTensor(fn: DepthFn, batch: number, length: number, tMax: number): tf.Tensor2D {
  const d = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const v = Math.round(fn(b, t));
      if (!Number.isFinite(v)) throw new AniraInputError(`forcedDepth: depth for (${b}, ${t}) is not a finite number`);
      d[b * length + t] = Math.min(tMax, Math.max(1, v));
    }
  }
  return tf.tensor2d(d, [batch, length], 'int32');
}

/** A policy that exits token (b, t) at `depthOf(b, t)`. */
export function createForcedDepthPolicy(depthOf: DepthFn, name = 'forced-depth'): HaltingPolicy {
  return {
    specificationVersion: HALTING_SPEC_VERSION,
    name,
    variables: {},
    options: {},
    train({ states }) {
      const [B, T] = trainShape(name, states);
      const S = states.length;
      const depth = depthTensor(depthOf, B, T, S); // [B, T]
      // one-hot at depth - 1, [B, T, S] (tf.oneHot rejects S = 1)
      const weights = tf.equal(tf.expandDims(tf.sub(depth, 1), 2), tf.range(0, S, 1, 'int32'));
      return { weights: tf.cast(weights, 'float32') as tf.Tensor3D, combine: 'expected-loss', loss: tf.scalar(0) };
    },
    start({ shallow, tMax }) {
      const [B, T] = shallow.shape;
      const plannedDepth = depthTensor(depthOf, B, T, tMax);
      return { plannedDepth, expectedDepth: tf.cast(plannedDepth, 'float32') as tf.Tensor2D, carry: { depth: plannedDepth } };
    },
    step({ t, carry }) {
      const depth = carry['depth'] as tf.Tensor2D;
      return { halt: tf.cast(tf.lessEqual(depth, t), 'float32') as tf.Tensor2D, carry };
    },
    dispose() {},
  };
}
