/**
 * LayerNorm, GELU and softmax (last axis) as single kernels on the wasm heap (csrc/rows.c), under the
 * names and contract that `@anira/tensor`'s `layerNorm` and `gelu` look up
 * (its fused-kernels.ts; `row-kernels.test.ts` checks the names match). They
 * replace about 19 LayerNorm ops and 14 GELU ops per layer, forward and back,
 * and GELU's gradient recomputes from x instead of keeping three activations.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { NATIVE_KERNEL } from './identity.js';
import { heapBuffer, isWasmBackend, offsetOf, type WasmBackendLike } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS (the same strings; a test pins them). */
export const ROW_KERNEL_NAMES = {
  layerNorm: 'AniraLayerNorm',
  layerNormGrad: 'AniraLayerNormGrad',
  gelu: 'AniraGelu',
  geluGrad: 'AniraGeluGrad',
  softmax: 'AniraSoftmax',
  softmaxGrad: 'AniraSoftmaxGrad',
} as const;

export type KernelArgs = Parameters<KernelFunc>[0];

const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** The wasm backend of a call, or a clear error (the kernels are registered for wasm only). */
export function wasmOf(args: KernelArgs, name: string): WasmBackendLike {
  if (!isWasmBackend(args.backend)) throw new Error(`@anira/native: ${name} needs the wasm backend`);
  return args.backend;
}

/** Checks the float32 inputs of a row kernel: x-like `[M, C]` tensors and `[C]` vectors. */
function checkRows(name: string, rows: readonly TensorInfo[], cols: readonly TensorInfo[]): [number, number] {
  const [m, c] = rows[0]!.shape as [number, number];
  for (const t of [...rows, ...cols]) {
    if (t.dtype !== 'float32') throw new Error(`@anira/native: ${name} takes float32 tensors, got ${t.dtype}`);
  }
  for (const t of rows) {
    if (t.shape.length !== 2 || t.shape[0] !== m || t.shape[1] !== c) throw new Error(`@anira/native: ${name} expects [M, C] = [${m}, ${c}] tensors, got [${t.shape.join(', ')}]`);
  }
  for (const t of cols) {
    if (t.shape.length !== 1 || t.shape[0] !== c) throw new Error(`@anira/native: ${name} expects [${c}] vectors, got [${t.shape.join(', ')}]`);
  }
  return [m, c];
}

/** `name [d0, d1, ...]` of each tensor, for error messages. */
export function shapeText(named: Record<string, TensorInfo>): string {
  return Object.entries(named).map(([k, t]) => `${k} [${t.shape.join(', ')}]`).join(', ');
}

/** The named inputs of a kernel call, each checked present (one error naming the missing ones). */
export function namedInputs<K extends string>(args: KernelArgs, name: string, keys: readonly K[]): Record<K, TensorInfo> {
  const inputs = args.inputs as Partial<Record<K, TensorInfo>>;
  const missing = keys.filter((k) => inputs[k] === undefined);
  if (missing.length > 0) throw new Error(`@anira/native: ${name} needs ${missing.join(', ')}`);
  return inputs as Record<K, TensorInfo>;
}

export function mark(kernelName: string, kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[]): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc, [NATIVE_KERNEL]: true } as KernelConfig;
}

/** Rows and row length of a softmax over the last axis (a scalar is one row of one). */
function lastAxis(t: TensorInfo): [number, number] {
  const n = t.shape.length > 0 ? t.shape[t.shape.length - 1]! : 1;
  return [n > 0 ? sizeOf(t.shape) / n : 0, n];
}

/** The six kernel configs, on `addon`. */
export function rowKernels(addon: NativeAddon): KernelConfig[] {
  const N = ROW_KERNEL_NAMES;
  return [
    mark(N.layerNorm, (args) => {
      const { x, gamma, beta } = args.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      const { eps } = args.attrs as { eps: number };
      const b = wasmOf(args, N.layerNorm);
      const [m, c] = checkRows(N.layerNorm, [x], [gamma, beta]);
      const y = b.makeOutput([m, c], 'float32');
      const stats = b.makeOutput([m, 2], 'float32');
      if (m * c > 0) addon.layerNorm(heapBuffer(b), m, c, offsetOf(b, x), offsetOf(b, gamma), offsetOf(b, beta), offsetOf(b, y), offsetOf(b, stats), eps);
      return [y, stats];
    }),
    mark(N.layerNormGrad, (args) => {
      const { dy, x, stats, gamma } = args.inputs as { dy: TensorInfo; x: TensorInfo; stats: TensorInfo; gamma: TensorInfo };
      const b = wasmOf(args, N.layerNormGrad);
      const [m, c] = checkRows(N.layerNormGrad, [dy, x], [gamma]);
      if (stats.shape.length !== 2 || stats.shape[0] !== m || stats.shape[1] !== 2) throw new Error(`@anira/native: ${N.layerNormGrad} expects stats [${m}, 2], got [${stats.shape.join(', ')}]`);
      const dx = b.makeOutput([m, c], 'float32');
      const dgamma = b.makeOutput([c], 'float32');
      const dbeta = b.makeOutput([c], 'float32');
      if (m * c > 0) {
        addon.layerNormGrad(heapBuffer(b), m, c, offsetOf(b, dy), offsetOf(b, x), offsetOf(b, stats), offsetOf(b, gamma), offsetOf(b, dx), offsetOf(b, dgamma), offsetOf(b, dbeta));
      }
      return [dx, dgamma, dbeta];
    }),
    mark(N.gelu, (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const b = wasmOf(args, N.gelu);
      if (x.dtype !== 'float32') throw new Error(`@anira/native: ${N.gelu} takes float32 tensors, got ${x.dtype}`);
      const y = b.makeOutput([...x.shape], 'float32');
      const n = sizeOf(x.shape);
      if (n > 0) addon.gelu(heapBuffer(b), n, offsetOf(b, x), offsetOf(b, y));
      return y;
    }),
    mark(N.geluGrad, (args) => {
      const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
      const b = wasmOf(args, N.geluGrad);
      if (x.dtype !== 'float32' || dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join()) {
        throw new Error(`@anira/native: ${N.geluGrad} takes float32 dy and x of one shape, got ${dy.dtype} [${dy.shape.join(', ')}] and ${x.dtype} [${x.shape.join(', ')}]`);
      }
      const dx = b.makeOutput([...x.shape], 'float32');
      const n = sizeOf(x.shape);
      if (n > 0) addon.geluGrad(heapBuffer(b), n, offsetOf(b, dy), offsetOf(b, x), offsetOf(b, dx));
      return dx;
    }),
    mark(N.softmax, (args) => {
      const { logits } = args.inputs as { logits: TensorInfo };
      const b = wasmOf(args, N.softmax);
      if (logits.dtype !== 'float32') throw new Error(`@anira/native: ${N.softmax} takes float32 tensors, got ${logits.dtype}`);
      const y = b.makeOutput([...logits.shape], 'float32');
      const [rows, n] = lastAxis(logits);
      if (rows * n > 0) addon.softmax(heapBuffer(b), rows, n, offsetOf(b, logits), offsetOf(b, y));
      return y;
    }),
    mark(N.softmaxGrad, (args) => {
      const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
      const b = wasmOf(args, N.softmaxGrad);
      if (y.dtype !== 'float32' || dy.dtype !== 'float32' || dy.shape.join() !== y.shape.join()) {
        throw new Error(`@anira/native: ${N.softmaxGrad} takes float32 dy and y of one shape, got ${dy.dtype} [${dy.shape.join(', ')}] and ${y.dtype} [${y.shape.join(', ')}]`);
      }
      const dx = b.makeOutput([...y.shape], 'float32');
      const [rows, n] = lastAxis(y);
      if (rows * n > 0) addon.softmaxGrad(heapBuffer(b), rows, n, offsetOf(b, dy), offsetOf(b, y), offsetOf(b, dx));
      return dx;
    }),
  ];
}
