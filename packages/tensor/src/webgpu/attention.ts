/**
 * Scaled dot-product attention as fused WGSL programs, the same math as
 * `attention.ts`: `P = softmax(q k^T / sqrt(dh) + bias)`, `O = P v`, with q
 * `[B, H, S, dh]`, k and v `[B, H, T, dh]`, bias `[B, 1, S, T]` or `[B, 1, 1, T]` (mask and
 * causality, `MASKED_SCORE` where disallowed). Forward: two dispatches (scores,
 * bias and softmax in one workgroup per query row; then the values). Backward:
 * four (`dS = P (dO v^T - rowsum(dO O))` scaled, then dq, dk, dv), using
 * `rowsum(dP P) = dO . O`, which saves a pass over the scores.
 */
import * as tf from '@tensorflow/tfjs-core';
import { program, REDUCE_BUFFER, reduceSnippet, runProgram, WORKGROUP } from './backend.js';

/** P `[B, H, S, T]`: one workgroup per query row; scores are written to `result`, then normalised in place. */
const probsCode = `
    ${REDUCE_BUFFER}
    fn main(index : i32) {
      let tid = i32(localId.x);
      let bh = uniforms.qShape.x * uniforms.qShape.y;
      let s = uniforms.qShape.z;
      let dh = uniforms.qShape.w;
      let t = uniforms.kShape.z;
      let live = index / ${WORKGROUP} < bh * s;
      let row = min(index / ${WORKGROUP}, bh * s - 1); // (b, h, i)
      let g = row / s; // b * H + h
      let i = row - g * s;
      let b = g / uniforms.qShape.y;
      let sb = uniforms.biasShape.z; // S, or 1 when every query shares the row
      var localMax = -3.402823e+38;
      if (live) {
        for (var j = tid; j < t; j += ${WORKGROUP}) {
          var acc = 0.0;
          for (var d = 0; d < dh; d++) { acc += q[row * dh + d] * uniforms.scale * k[(g * t + j) * dh + d]; }
          let score = acc + bias[(b * sb + select(i, 0, sb == 1)) * t + j];
          result[row * t + j] = score;
          localMax = max(localMax, score);
        }
      }
      ${reduceSnippet('max', 'localMax', 'rowMax')}
      var localSum = 0.0;
      if (live) {
        for (var j = tid; j < t; j += ${WORKGROUP}) {
          let e = exp(result[row * t + j] - rowMax);
          result[row * t + j] = e;
          localSum += e;
        }
      }
      ${reduceSnippet('sum', 'localSum', 'rowSum')}
      if (live) {
        for (var j = tid; j < t; j += ${WORKGROUP}) { result[row * t + j] = result[row * t + j] / rowSum; }
      }
    }`;

/** O `[B, H, S, dh]` = P v, one invocation per element. */
const outCode = `
    fn main(index : i32) {
      let s = uniforms.pShape.z;
      let t = uniforms.pShape.w;
      let dh = uniforms.vShape.w;
      if (index < uniforms.pShape.x * uniforms.pShape.y * s * dh) {
        let row = index / dh;
        let d = index - row * dh;
        let g = row / s;
        var acc = 0.0;
        for (var j = 0; j < t; j++) { acc += p[row * t + j] * v[(g * t + j) * dh + d]; }
        setOutputAtIndex(index, acc);
      }
    }`;

/** dS `[B, H, S, T]` = scale * P (dO . v_j - dO . O), one invocation per element. */
const dScoresCode = `
    fn main(index : i32) {
      let s = uniforms.pShape.z;
      let t = uniforms.pShape.w;
      let dh = uniforms.vShape.w;
      if (index < uniforms.pShape.x * uniforms.pShape.y * s * t) {
        let row = index / t;
        let j = index - row * t;
        let g = row / s;
        var dp = 0.0;
        var dd = 0.0;
        for (var d = 0; d < dh; d++) {
          let gy = dout[row * dh + d];
          dp += gy * v[(g * t + j) * dh + d];
          dd += gy * o[row * dh + d];
        }
        setOutputAtIndex(index, uniforms.scale * p[index] * (dp - dd));
      }
    }`;

/** dq `[B, H, S, dh]` = dS k. */
const dqCode = `
    fn main(index : i32) {
      let s = uniforms.dsShape.z;
      let t = uniforms.dsShape.w;
      let dh = uniforms.kShape.w;
      if (index < uniforms.dsShape.x * uniforms.dsShape.y * s * dh) {
        let row = index / dh;
        let d = index - row * dh;
        let g = row / s;
        var acc = 0.0;
        for (var j = 0; j < t; j++) { acc += ds[row * t + j] * k[(g * t + j) * dh + d]; }
        setOutputAtIndex(index, acc);
      }
    }`;

/** dk `[B, H, T, dh]` = dS^T q, or dv = P^T dO: `w` `[B, H, S, T]`, `x` `[B, H, S, dh]`. */
const transposedCode = `
    fn main(index : i32) {
      let s = uniforms.wShape.z;
      let t = uniforms.wShape.w;
      let dh = uniforms.xShape.w;
      if (index < uniforms.wShape.x * uniforms.wShape.y * t * dh) {
        let key = index / dh; // (b, h, j)
        let d = index - key * dh;
        let g = key / t;
        let j = key - g * t;
        var acc = 0.0;
        for (var i = 0; i < s; i++) { acc += w[(g * s + i) * t + j] * x[(g * s + i) * dh + d]; }
        setOutputAtIndex(index, acc);
      }
    }`;

/** softmax(q k^T / sqrt(dh) + bias) v, fused forward and backward; bias `[B, 1, S or 1, T]` gets no gradient. */
export function attentionWebGpu(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, bias: tf.Tensor4D): tf.Tensor4D {
  const [b, h, s, dh] = q.shape;
  const [t, dv] = [k.shape[2], v.shape[3]]; // dv: value width (equal to dh in the model)
  const scale = [{ type: 'float32' as const, data: [1 / Math.sqrt(dh)] }];
  const rows = b * h * s;
  const f = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [fq, fk, fv, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    const p = runProgram(program('attn_probs', ['q', 'k', 'bias'], [b, h, s, t], rows * WORKGROUP, probsCode, 'scale : f32,'), [fq, fk, bias], scale);
    const o = runProgram(program('attn_out', ['p', 'v'], [b, h, s, dv], rows * dv, outCode), [p, fv]);
    save([fq, fk, fv, p, o]);
    return {
      value: o,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sp, so] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const ds = runProgram(program('attn_dscores', ['dout', 'p', 'v', 'o'], [b, h, s, t], rows * t, dScoresCode, 'scale : f32,'), [dy, sp, sv, so], scale);
        const dq = runProgram(program('attn_dq', ['ds', 'k'], [b, h, s, dh], rows * dh, dqCode), [ds, sk]);
        const dk = runProgram(program('attn_dkv', ['w', 'x'], [b, h, t, dh], b * h * t * dh, transposedCode), [ds, sq]);
        const dV = runProgram(program('attn_dkv', ['w', 'x'], [b, h, t, dv], b * h * t * dv, transposedCode), [sp, dy]);
        return [dq, dk, dV];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]) as (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D) => tf.Tensor4D;
  return f(q, k, v);
}
