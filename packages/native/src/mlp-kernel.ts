/**
 * Training's two-layer GELU MLP as one kernel each way on the wasm heap
 * (csrc/mlp.c), under the names and contract that `@anira/tensor`'s `mlp` looks up
 * (its fused-kernels.ts; `mlp-kernel.test.ts` pins the names and checks both
 * directions against the separate kernels, bit for bit). The outputs equal those
 * of the linear, GELU, linear sequence; what changes is memory: the GELU output
 * and the hidden-width gradients stay in the addon's scratch rows instead of
 * becoming heap tensors that tfjs keeps until the gradient step ends.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, namedInputs, shapeText, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS.mlp and .mlpGrad. */
export const MLP_KERNEL_NAMES = { mlp: 'AniraMlp', mlpGrad: 'AniraMlpGrad' } as const;

type Shape = (m: number, c: number, f: number) => number[];

/** The shape of each input for x `[M, C]` and w1 `[C, F]`. */
const SHAPES: Record<string, Shape> = {
  x: (m, c) => [m, c], dy: (m, c) => [m, c], h: (m, _c, f) => [m, f],
  w1: (_m, c, f) => [c, f], b1: (_m, _c, f) => [f], w2: (_m, c, f) => [f, c], b2: (_m, c) => [c],
};

/** Checks every input (float32, the shape SHAPES gives from x and w1); returns M, C, F. */
function checkMlp(name: string, named: Record<string, TensorInfo>): [number, number, number] {
  const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${shapeText(named)}`);
  const { x, w1 } = named;
  if (!x || !w1 || x.shape.length !== 2 || w1.shape.length !== 2) throw bad('expects x [M, C] and w1 [C, F]');
  const [m = 0, c = 0] = x.shape;
  const [, f = 0] = w1.shape;
  for (const [k, t] of Object.entries(named)) {
    if (t.dtype !== 'float32') throw bad('takes float32 tensors');
    const want = SHAPES[k]?.(m, c, f);
    if (want && t.shape.join() !== want.join()) throw bad(`expects ${k} [${want.join(', ')}]`);
  }
  return [m, c, f];
}

/** `AniraMlp`: inputs `{ x [M, C], w1 [C, F], b1 [F], w2 [F, C], b2 [C] }` -> `[y [M, C], h [M, F]]`, h = x w1 + b1 (kept for the gradient). */
function mlpKernel(addon: NativeAddon): KernelConfig {
  const name = MLP_KERNEL_NAMES.mlp;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, ['x', 'w1', 'b1', 'w2', 'b2']);
    const b = wasmOf(args, name);
    const [m, c, f] = checkMlp(name, inputs);
    const y = b.makeOutput([m, c], 'float32');
    const h = b.makeOutput([m, f], 'float32');
    if (m * c * f === 0) return [y, h];
    const at = (t: TensorInfo) => offsetOf(b, t);
    const { x, w1, b1, w2, b2 } = inputs;
    addon.mlp(heapBuffer(b), Float64Array.of(m, c, f, at(x), at(w1), at(b1), at(w2), at(b2), at(h), at(y))); // the heap after the last allocation
    return [y, h];
  });
}

/**
 * `AniraMlpGrad`: inputs `{ dy [M, C], x [M, C], h [M, F], w1 [C, F], w2 [F, C] }`
 * -> `[dx [M, C], dw1 [C, F], db1 [F], dw2 [F, C], db2 [C]]`.
 */
function mlpGradKernel(addon: NativeAddon): KernelConfig {
  const name = MLP_KERNEL_NAMES.mlpGrad;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, ['dy', 'x', 'h', 'w1', 'w2']);
    const b = wasmOf(args, name);
    const [m, c, f] = checkMlp(name, inputs);
    const out = [b.makeOutput([m, c], 'float32'), b.makeOutput([c, f], 'float32'), b.makeOutput([f], 'float32'), b.makeOutput([f, c], 'float32'), b.makeOutput([c], 'float32')];
    if (m * c * f === 0) return out;
    const at = (t: TensorInfo) => offsetOf(b, t);
    const { dy, x, h, w1, w2 } = inputs;
    addon.mlpGrad(heapBuffer(b), Float64Array.of(m, c, f, at(dy), at(x), at(h), at(w1), at(w2), ...out.map(at)));
    return out;
  });
}

/** Both kernel configs, on `addon`. */
export function mlpKernels(addon: NativeAddon): KernelConfig[] {
  return [mlpKernel(addon), mlpGradKernel(addon)];
}
