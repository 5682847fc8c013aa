/**
 * LayerNorm over the last axis as fused WGSL programs, same math as `layers.ts`
 * (two-pass variance, `rstd = 1 / sqrt(var + eps)`). Forward: one dispatch, one
 * workgroup per row computing mean, rstd and the output. Backward: row statistics
 * (one dispatch, `[M, 2]`), the closed-form input gradient (one, a workgroup per
 * row) and the gamma and beta column sums (one each). Shapes: x, dy `[M, C]`;
 * gamma, beta `[C]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { program, REDUCE_BUFFER, reduceSnippet, runProgram, WORKGROUP } from './backend.js';

/** WGSL: this workgroup's row `row` of x: `mean` and `rstd` (needs `tid`, `c`). */
const ROW_STATS = `
      var part = 0.0;
      for (var j = tid; j < c; j += ${WORKGROUP}) { part += x[row * c + j]; }
      ${reduceSnippet('sum', 'part', 'rowSum')}
      let mean = rowSum / f32(c);
      var sq = 0.0;
      for (var j = tid; j < c; j += ${WORKGROUP}) { let d = x[row * c + j] - mean; sq += d * d; }
      ${reduceSnippet('sum', 'sq', 'rowSq')}
      let rstd = inverseSqrt(rowSq / f32(c) + uniforms.eps);`;

const HEAD = `
    ${REDUCE_BUFFER}
    fn main(index : i32) {
      let tid = i32(localId.x);
      let m = uniforms.xShape.x;
      let c = uniforms.xShape.y;
      let live = index / ${WORKGROUP} < m;
      let row = min(index / ${WORKGROUP}, m - 1);`;

const forwardCode = `${HEAD}
      ${ROW_STATS}
      if (live) {
        for (var j = tid; j < c; j += ${WORKGROUP}) {
          setOutputAtIndex(row * c + j, (x[row * c + j] - mean) * rstd * gamma[j] + beta[j]);
        }
      }
    }`;

const statsCode = `${HEAD}
      ${ROW_STATS}
      if (live && tid == 0) {
        setOutputAtIndex(row * 2, mean);
        setOutputAtIndex(row * 2 + 1, rstd);
      }
    }`;

/** dx = rstd (g - mean(g) - xhat mean(g xhat)), g = dy gamma; one workgroup per row. */
const inputGradCode = `${HEAD}
      let mean = stats[row * 2];
      let rstd = stats[row * 2 + 1];
      var sg = 0.0;
      var sgx = 0.0;
      for (var j = tid; j < c; j += ${WORKGROUP}) {
        let g = dy[row * c + j] * gamma[j];
        sg += g;
        sgx += g * (x[row * c + j] - mean) * rstd;
      }
      ${reduceSnippet('sum', 'sg', 'totalG')}
      ${reduceSnippet('sum', 'sgx', 'totalGX')}
      let meanG = totalG / f32(c);
      let meanGX = totalGX / f32(c);
      if (live) {
        for (var j = tid; j < c; j += ${WORKGROUP}) {
          let i = row * c + j;
          let xhat = (x[i] - mean) * rstd;
          setOutputAtIndex(i, rstd * (dy[i] * gamma[j] - meanG - xhat * meanGX));
        }
      }
    }`;

/** Column sums over rows: `dy * xhat` (gamma) or `dy` (beta); one workgroup per column. */
const columnCode = (withXhat: boolean) => `
    ${REDUCE_BUFFER}
    fn main(index : i32) {
      let tid = i32(localId.x);
      let col = index / ${WORKGROUP};
      let m = uniforms.dyShape.x;
      let c = uniforms.dyShape.y;
      var acc = 0.0;
      if (col < c) {
        for (var r = tid; r < m; r += ${WORKGROUP}) {
          ${withXhat ? 'acc += dy[r * c + col] * (x[r * c + col] - stats[r * 2]) * stats[r * 2 + 1];' : 'acc += dy[r * c + col];'}
        }
      }
      ${reduceSnippet('sum', 'acc', 'total')}
      if (tid == 0 && col < c) { setOutputAtIndex(col, total); }
    }`;

const cores = new Map<number, (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D>();

const coreFor = (eps: number) => tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const [m, c] = x.shape;
  const epsU = [{ type: 'float32' as const, data: [eps] }];
  save([x, gamma]);
  return {
    value: runProgram(program('ln_forward', ['x', 'gamma', 'beta'], [m, c], m * WORKGROUP, forwardCode, 'eps : f32,'), [x, gamma, beta], epsU),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sg] = saved as [tf.Tensor2D, tf.Tensor1D];
      const stats = runProgram(program('ln_stats', ['x'], [m, 2], m * WORKGROUP, statsCode, 'eps : f32,'), [sx], epsU); // [M, 2]
      const dx = runProgram(program('ln_dx', ['dy', 'x', 'gamma', 'stats'], [m, c], m * WORKGROUP, inputGradCode), [dy, sx, sg, stats]);
      const dGamma = runProgram(program('ln_dgamma', ['dy', 'x', 'stats'], [c], c * WORKGROUP, columnCode(true)), [dy, sx, stats]);
      const dBeta = runProgram(program('ln_dbeta', ['dy'], [c], c * WORKGROUP, columnCode(false)), [dy]);
      return [dx, dGamma, dBeta];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;

/** LayerNorm of rows x `[M, C]` with gamma, beta `[C]` (fused forward and backward on webgpu). */
export function layerNormWebGpu(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  let f = cores.get(eps);
  if (!f) {
    f = coreFor(eps);
    cores.set(eps, f);
  }
  return f(x, gamma, beta);
}
