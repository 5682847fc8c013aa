/**
 * Bias + GELU as fused WGSL programs: forward `y = gelu(x + b)` in one dispatch;
 * backward `dx = dy * gelu'(x + b)` in one and `db` (column sums of dx, the
 * derivative recomputed per element) in another. GELU is the tanh form written
 * as `z sigmoid(2u)`, the same formula as `layers.ts`. Shapes: x, dy `[M, N]`, b `[N]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { program, REDUCE_BUFFER, reduceSnippet, runProgram, WORKGROUP } from './backend.js';

const GELU_A = 2 * Math.sqrt(2 / Math.PI);
const GELU_B = GELU_A * 0.044715;

/** WGSL: `geluS(z)` = sigmoid(2u) and `geluD(z)` = d/dz (z sigmoid(2u)). */
const GELU_FNS = `
    fn geluS(z : f32) -> f32 {
      return 1.0 / (1.0 + exp(-(z * (f32(${GELU_A}) + f32(${GELU_B}) * z * z))));
    }
    fn geluD(z : f32) -> f32 {
      let s = geluS(z);
      return s + z * s * (1.0 - s) * (f32(${GELU_A}) + 3.0 * f32(${GELU_B}) * z * z);
    }`;

const forwardCode = `${GELU_FNS}
    fn main(index : i32) {
      let n = uniforms.bShape;
      if (index < uniforms.xShape.x * n) {
        let z = x[index] + b[index % n];
        setOutputAtIndex(index, z * geluS(z));
      }
    }`;

const inputGradCode = `${GELU_FNS}
    fn main(index : i32) {
      let n = uniforms.bShape;
      if (index < uniforms.xShape.x * n) {
        setOutputAtIndex(index, dy[index] * geluD(x[index] + b[index % n]));
      }
    }`;

/** One workgroup per column: strided partial sums over rows, then a tree reduction. */
const biasGradCode = `${GELU_FNS}
    ${REDUCE_BUFFER}
    fn main(index : i32) {
      let tid = i32(localId.x);
      let col = index / ${WORKGROUP};
      let m = uniforms.xShape.x;
      let n = uniforms.bShape;
      var acc = 0.0;
      if (col < n) {
        for (var r = tid; r < m; r += ${WORKGROUP}) {
          let i = r * n + col;
          acc += dy[i] * geluD(x[i] + b[col]);
        }
      }
      ${reduceSnippet('sum', 'acc', 'total')}
      if (tid == 0 && col < n) { setOutputAtIndex(col, total); }
    }`;

/** `gelu(x + b)` for x `[M, N]`, b `[N]` (forward and backward fused on webgpu). */
export const biasGeluWebGpu = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  const [m, n] = x.shape;
  save([x, b]);
  return {
    value: runProgram(program('bias_gelu', ['x', 'b'], [m, n], m * n, forwardCode), [x, b]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sb] = saved as [tf.Tensor2D, tf.Tensor1D];
      const dx = runProgram(program('bias_gelu_dx', ['dy', 'x', 'b'], [m, n], m * n, inputGradCode), [dy, sx, sb]);
      const db = runProgram(program('bias_gelu_db', ['dy', 'x', 'b'], [n], n * WORKGROUP, biasGradCode), [dy, sx, sb]);
      return [dx, db];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
