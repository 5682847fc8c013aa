/**
 * A custom halting policy written only against the public spec of @anira/halting
 * (specification v1): a token exits once its prediction is confident, i.e. its
 * largest softmax probability reaches `threshold`. No parameters; training runs
 * every token to the last step (fixed depth), so it applies to any trained model.
 */
import * as tf from '@tensorflow/tfjs-core';

/** @type {import('@anira/halting').PolicyDefinition<{ threshold: number }>} */
const confidence = {
  specificationVersion: 'v1',
  name: 'confidence',
  description: 'Exit when the largest softmax probability reaches a threshold.',
  options: [
    { name: 'threshold', type: 'number', default: 0.9, min: 0, max: 1, description: 'Exit when max softmax probability >= threshold.' },
  ],
  create(_dims, options = {}) {
    let threshold = options.threshold ?? 0.9;
    return {
      specificationVersion: 'v1',
      name: 'confidence',
      variables: {},
      get options() { return { threshold }; },
      train({ states }) {
        const [B, T] = /** @type {tf.Tensor3D} */ (states[0]).shape; // states: S tensors [B, T, C]
        const S = states.length;
        const last = tf.cast(tf.equal(tf.range(0, S, 1, 'int32'), S - 1), 'float32'); // [S]
        const weights = /** @type {tf.Tensor3D} */ (tf.tile(tf.reshape(last, [1, 1, S]), [B, T, 1])); // [B, T, S]
        return { weights, combine: 'expected-loss', loss: tf.scalar(0) };
      },
      step({ t, tMax, logits }) {
        const confidenceNow = /** @type {tf.Tensor2D} */ (tf.max(tf.softmax(logits), 2)); // [B, T]
        const halt = t >= tMax ? tf.onesLike(confidenceNow) : /** @type {tf.Tensor2D} */ (tf.cast(tf.greaterEqual(confidenceNow, threshold), 'float32'));
        return { halt, haltProb: confidenceNow };
      },
      calibration: {
        name: 'threshold',
        get: () => threshold,
        set: (v) => { threshold = Math.min(1, Math.max(0, v)); },
        range: [0, 1],
        increasesDepth: true,
      },
      dispose() {},
    };
  },
};

export default confidence;
