/**
 * Position encodings: fixed sinusoidal tables and rotary embeddings (RoPE). RoPE is
 * applied to rows `[M, H, dh]` with per-row cos/sin tables `[M, 1, dh]`, so the same
 * code serves dense training and row-gathered inference.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Sinusoidal table `[L, C]`: sin on even columns, cos on odd, base 10000. */
export function sinusoidalPositions(length: number, dModel: number): tf.Tensor2D {
  const data = new Float32Array(length * dModel);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dModel; i++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(i / 2)) / dModel);
      data[p * dModel + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(data, [length, dModel]);
}

/** RoPE tables `{cos, sin}` each `[L, dh]` (rotate-half layout, dh even). */
export function ropeTables(length: number, headDim: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  if (headDim % 2 !== 0) throw new Error(`ropeTables: head dimension must be even, got ${headDim}`);
  const half = headDim / 2;
  const c = new Float32Array(length * headDim);
  const s = new Float32Array(length * headDim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < headDim; i++) {
      const angle = p / Math.pow(10000, (i % half) / half);
      c[p * headDim + i] = Math.cos(angle);
      s[p * headDim + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor2d(c, [length, headDim]), sin: tf.tensor2d(s, [length, headDim]) };
}

/** Rotate rows `x [M, C]` viewed as `[M, H, dh]` by per-row tables `cos, sin [M, dh]`. */
export function applyRope(x: tf.Tensor2D, nHeads: number, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor2D {
  const [m, c] = x.shape;
  const dh = c / nHeads;
  const half = dh / 2;
  const x3 = tf.reshape(x, [m, nHeads, dh]); // [M, H, dh]
  const x1 = tf.slice(x3, [0, 0, 0], [m, nHeads, half]);
  const x2 = tf.slice(x3, [0, 0, half], [m, nHeads, half]);
  const rotated = tf.concat([tf.neg(x2), x1], 2); // [M, H, dh]
  const c3 = tf.reshape(cos, [m, 1, dh]);
  const s3 = tf.reshape(sin, [m, 1, dh]);
  return tf.reshape(tf.add(tf.mul(x3, c3), tf.mul(rotated, s3)), [m, c]);
}
