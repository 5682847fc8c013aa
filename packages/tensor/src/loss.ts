/**
 * Gradient-safe loss pieces: per-token cross-entropy against integer targets with
 * an ignore value, and masked means. One-hot targets are plain constants, so no
 * gather gradient is needed on any backend. Where the backend registers the fused
 * pair (`AniraCrossEntropy`, fused-kernels.ts), the cross-entropy is one kernel each
 * way instead of logSoftmax, the one-hot product and the sum.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';
import { FUSED_KERNELS } from './fused-kernels.js';
import { lastAxis } from './last-axis.js';
import { floatOneHot } from './one-hot.js';

/** The fused pair on logits `[..., V]` and int32 targets `[...]`, differentiable in the logits. */
function crossEntropyByKernel(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [ce, lse] = tf.engine().runKernel(FUSED_KERNELS.crossEntropy, { logits: x, targets }, {}) as [tf.Tensor, tf.Tensor];
    save([x, lse, targets]); // saved, so that targets made inside the forward (a cast) live until the gradient
    return {
      value: ce,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, slse, st] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return [tf.engine().runKernel(FUSED_KERNELS.crossEntropyGrad, { dy, logits: sx, lse: slse, targets: st }, {}) as tf.Tensor];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
  return op(logits);
}

/**
 * Per-token cross-entropy `[...]` from logits `[..., V]` and int targets `[...]`;
 * targets outside `[0, V)` (e.g. IGNORE = -1) give 0.
 */
export function tokenCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const v = lastAxis(logits, 'tokenCrossEntropy');
  const perToken = targets.shape.join() === logits.shape.slice(0, -1).join();
  if (perToken && logits.dtype === 'float32' && backendCapabilities().crossEntropyKernel) {
    return crossEntropyByKernel(logits, targets.dtype === 'int32' ? targets : tf.cast(targets, 'int32'));
  }
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), floatOneHot(targets, v)), -1)); // [..., V] -> [...]
}

/** `sum(x * mask) / max(sum(mask), 1)`, a scalar. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}
