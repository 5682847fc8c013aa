/**
 * Seeded initialisers. Every trainable tensor in the project is created here so
 * that one integer seed fixes the whole initialisation on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Derive a child seed from a parent seed and a name (FNV-1a), stable across platforms. */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2147483647;
}

/** Glorot-uniform weight `[fanIn, fanOut]`, deterministic for a seed. */
export function glorotUniform(shape: [number, number], seed: number): tf.Tensor2D {
  const [fanIn, fanOut] = shape;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed) as tf.Tensor2D;
}

/** Normal(0, std) tensor of any shape, deterministic for a seed. */
export function normal(shape: number[], std: number, seed: number): tf.Tensor {
  return tf.truncatedNormal(shape, 0, std, 'float32', seed);
}

/** Create a named trainable variable from an initial tensor (the tensor is consumed). */
export function variable(init: tf.Tensor, name: string, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}
