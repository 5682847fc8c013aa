/** `tf.tidy` for functions returning typed records of tensors (tidy keeps every tensor found in the result). */
import * as tf from '@tensorflow/tfjs-core';

export function tidyTyped<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
