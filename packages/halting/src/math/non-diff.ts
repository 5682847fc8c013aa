/**
 * Non-differentiated helpers. The cpu backend has no gradient for TopK, Cumprod or
 * comparisons other than GreaterEqual, and tfjs has no `stopGradient`; running a
 * computation inside a `tf.customGrad` whose gradient is zero hides its ops from
 * the tape, so masks and selections can be computed from data inside a
 * differentiated function without breaking `tf.grad`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@anira/tensor';

/** Computes `fn(...inputs)` with a zero gradient towards every input. */
export function nonDiff<R extends tf.Tensor>(inputs: readonly tf.Tensor[], fn: (...xs: tf.Tensor[]) => R): R {
  const wrapped = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: fn(...xs),
      gradFunc: () => xs.map((x) => tf.zerosLike(x)),
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return wrapped(...(inputs as tf.Tensor[])) as R;
}

/** The values of `x` with no gradient flowing back into it (a stop-gradient). */
export function detach<R extends tf.Tensor>(x: R): R {
  return nonDiff([x], (v) => tf.clone(v) as R);
}
