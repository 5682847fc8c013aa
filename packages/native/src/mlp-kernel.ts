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
import { mark, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS.mlp and .mlpGrad. */
export const MLP_KERNEL_NAMES = { mlp: 'AniraMlp', mlpGrad: 'AniraMlpGrad' } as const;

const dims = (named: Record<string, TensorInfo>): string => Object.entries(named).map(([k, t]) => `${k} [${t.shape.join(', ')}]`).join(', ');

/** Checks x `[M, C]`, w1 `[C, F]`, w2 `[F, C]` and the rest against them (float32); returns M, C, F. */
function checkMlp(name: string, named: Record<string, TensorInfo>, expect: Record<string, (m: number, c: number, f: number) => number[]>): [number, number, number] {
  const { x, w1 } = named as { x: TensorInfo; w1: TensorInfo };
  const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${dims(named)}`);
  if (Object.values(named).some((t) => t === undefined)) throw bad(`needs ${Object.keys(expect).join(', ')}`);
  if (Object.values(named).some((t) => t.dtype !== 'float32')) throw bad('takes float32 tensors');
  if (x.shape.length !== 2 || w1.shape.length !== 2) throw bad('expects x [M, C] and w1 [C, F]');
  const [m, c] = x.shape as [number, number];
  const f = w1.shape[1]!;
  for (const [k, shape] of Object.entries(expect)) {
    const want = shape(m, c, f);
    if (named[k]!.shape.join() !== want.join()) throw bad(`expects ${k} [${want.join(', ')}]`);
  }
  return [m, c, f];
}

const row = (m: number, c: number) => [m, c];

/** `AniraMlp`: inputs `{ x [M, C], w1 [C, F], b1 [F], w2 [F, C], b2 [C] }` -> `[y [M, C], h [M, F]]`, h = x w1 + b1 (kept for the gradient). */
function mlpKernel(addon: NativeAddon): KernelConfig {
  const name = MLP_KERNEL_NAMES.mlp;
  return mark(name, (args) => {
    const { x, w1, b1, w2, b2 } = args.inputs as Record<'x' | 'w1' | 'b1' | 'w2' | 'b2', TensorInfo>;
    const b = wasmOf(args, name);
    const [m, c, f] = checkMlp(name, { x: x!, w1: w1!, b1: b1!, w2: w2!, b2: b2! }, {
      x: row, w1: (_m, cc, ff) => [cc, ff], b1: (_m, _c, ff) => [ff], w2: (_m, cc, ff) => [ff, cc], b2: (_m, cc) => [cc],
    });
    const y = b.makeOutput([m, c], 'float32');
    const h = b.makeOutput([m, f], 'float32');
    if (m * c * f === 0) return [y, h];
    const at = (t: TensorInfo) => offsetOf(b, t);
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
    const { dy, x, h, w1, w2 } = args.inputs as Record<'dy' | 'x' | 'h' | 'w1' | 'w2', TensorInfo>;
    const b = wasmOf(args, name);
    const [m, c, f] = checkMlp(name, { x: x!, w1: w1!, dy: dy!, h: h!, w2: w2! }, {
      x: row, dy: row, h: (mm, _c, ff) => [mm, ff], w1: (_m, cc, ff) => [cc, ff], w2: (_m, cc, ff) => [ff, cc],
    });
    const out = [b.makeOutput([m, c], 'float32'), b.makeOutput([c, f], 'float32'), b.makeOutput([f], 'float32'), b.makeOutput([f, c], 'float32'), b.makeOutput([c], 'float32')];
    if (m * c * f === 0) return out;
    const at = (t: TensorInfo) => offsetOf(b, t);
    addon.mlpGrad(heapBuffer(b), Float64Array.of(m, c, f, at(dy), at(x), at(h), at(w1), at(w2), ...out.map(at)));
    return out;
  });
}

/** Both kernel configs, on `addon`. */
export function mlpKernels(addon: NativeAddon): KernelConfig[] {
  return [mlpKernel(addon), mlpGradKernel(addon)];
}
