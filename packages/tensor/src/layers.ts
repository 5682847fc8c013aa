/**
 * Transformer building blocks on row-major activations: layer norm, GELU and the
 * two-layer GELU MLP. All use `linear` from `matmul.ts` (fast gradients).
 * `layerNorm` and `gelu` carry hand-written gradients, for speed on wasm:
 * - GELU's tanh form equals `x * sigmoid(2u)` exactly (0.5 (1 + tanh u) =
 *   sigmoid(2u)); wasm's Tanh kernel is about 10x slower than its Sigmoid;
 * - LayerNorm's gamma/beta gradients are column sums done as `ones @ dy` (wasm
 *   reduces a leading axis with a slow transpose + sum), and its input gradient
 *   is the closed form, a handful of row-wise ops instead of the autodiff tape.
 * `fast-grads.test.ts` checks both against autodiff of the textbook formulas.
 * On webgpu, LayerNorm and the MLP's bias + GELU run fused WGSL programs (webgpu/);
 * where a backend registers the fused kernels of fused-kernels.ts (wasm with
 * @anira/native), LayerNorm, GELU and the whole MLP run those, one kernel each way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendCapabilities } from './capabilities.js';
import { geluByKernel, layerNormByKernel, mlpByKernel } from './fused-kernels.js';
import { lastAxis } from './last-axis.js';
import { linear, matmul, sumRows } from './matmul.js';
import { useFusedWebGpu } from './webgpu/backend.js';
import { biasGeluWebGpu } from './webgpu/bias-gelu.js';
import { layerNormWebGpu } from './webgpu/layer-norm.js';

const lnCores = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();

/** The LayerNorm op for one epsilon (customGrad functions take tensors only, so eps is closed over). */
const lnCore = (eps: number) => {
  let f = lnCores.get(eps);
  if (!f) {
    f = lnCoreFor(eps);
    lnCores.set(eps, f);
  }
  return f;
};

const lnCoreFor = (eps: number) => tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const mean = tf.mean(x, -1, true); // [M, 1]
  const centred = tf.sub(x, mean); // [M, C]
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps)); // [M, 1]
  const xhat = tf.mul(centred, rstd); // [M, C]
  save([xhat, rstd, gamma]);
  return {
    value: tf.add(tf.mul(xhat, gamma), beta),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sr, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      const d = dy as tf.Tensor2D;
      const g = tf.mul(d, sg); // [M, C]
      const dx = tf.mul(sr, tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(sx, tf.mean(tf.mul(g, sx), -1, true))));
      return [dx, sumRows(tf.mul(d, sx)), sumRows(d)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;

/** Layer normalisation over the last axis: `(x - mean) / sqrt(var + eps) * gamma + beta`. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor {
  const c = lastAxis(x, 'layerNorm');
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, c]); // [M, C]
  const y = useFusedWebGpu()
    ? layerNormWebGpu(x2 as tf.Tensor2D, gamma, beta, eps)
    : backendCapabilities().layerNormKernel
      ? layerNormByKernel(x2 as tf.Tensor2D, gamma, beta, eps)
      : lnCore(eps)(x2, gamma, beta);
  return x.rank === 2 ? y : tf.reshape(y, x.shape);
}

const GELU_A = 2 * Math.sqrt(2 / Math.PI);
const GELU_B = GELU_A * 0.044715;

const geluCore = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const x2 = tf.square(x);
  const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(x2, GELU_B), GELU_A))); // sigmoid(2u)
  save([x, x2, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sx2, ss] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      // d/dx x s(z) = s + x s (1 - s) z', z' = A + 3 B x^2
      const ds = tf.mul(tf.mul(sx, tf.mul(ss, tf.sub(1, ss))), tf.add(tf.mul(sx2, 3 * GELU_B), GELU_A));
      return [tf.mul(dy, tf.add(ss, ds))];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** GELU, tanh approximation: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, computed as `x sigmoid(2u)`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return backendCapabilities().geluKernel ? geluByKernel(x) : geluCore(x);
}

/** `gelu(x @ w1 + b1) @ w2 + b2`, x `[..., C]`, w1 `[C, D]`, w2 `[D, C]`. */
export function mlp(x: tf.Tensor, w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D): tf.Tensor {
  if (useFusedWebGpu()) {
    const h = matmul(tf.reshape(x, [-1, w1.shape[0]]), w1) as tf.Tensor2D; // [M, D]
    const y = linear(biasGeluWebGpu(h, b1), w2, b2); // [M, C]
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w2.shape[1]]);
  }
  if (backendCapabilities().mlpKernel) {
    const c = lastAxis(x, 'mlp');
    const y = mlpByKernel(x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, c]), w1, b1, w2, b2); // [M, C]
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), w2.shape[1]]);
  }
  return linear(gelu(linear(x, w1, b1)), w2, b2);
}
