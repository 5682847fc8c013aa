/**
 * Transformer building blocks on row-major activations: layer norm, GELU and the
 * two-layer GELU MLP. All use `linear` from `matmul.ts` (fast gradients).
 */
import * as tf from '@tensorflow/tfjs-core';
import { linear } from './matmul.js';

/** Layer normalisation over the last axis: `(x - mean) / sqrt(var + eps) * gamma + beta`. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor {
  const mean = tf.mean(x, -1, true); // [..., 1]
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true); // [..., 1]
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** `gelu(x @ w1 + b1) @ w2 + b2`, x `[..., C]`, w1 `[C, D]`, w2 `[D, C]`. */
export function mlp(x: tf.Tensor, w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D): tf.Tensor {
  return linear(gelu(linear(x, w1, b1)), w2, b2);
}
