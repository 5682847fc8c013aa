/** Test-only helpers: cpu backend selection and a plain-JS halting oracle. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@anira/tensor';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Nested number[][][] of a 3-D tensor. */
export const arr3 = (x: tf.Tensor) => x.arraySync() as number[][][];
export const arr2 = (x: tf.Tensor) => x.arraySync() as number[][];
