/**
 * The native `BatchMatMul` and `_FusedMatMul` kernels for the wasm backend. Each
 * wraps the original wasm kernel: float32 products that `planProduct` accepts
 * (every transpose flag, constant-stride batch broadcasting, a bias of `[N]` or
 * one value, linear activation) run in the addon on the heap in place; anything
 * else (int32, other activations, PReLU weights, other bias shapes, empty
 * tensors) calls the original kernel. The wasm `_FusedMatMul` of tfjs 4.22 adds
 * a wrong bias when a transpose flag is set; the native one does not.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { planProduct, type ProductPlan } from './plan.js';
import { heapBuffer, isWasmBackend, offsetOf, type WasmBackendLike } from './wasm-heap.js';

/** Marks a kernel config as native; `@anira/tensor`'s capabilities read it (`Symbol.for`, no import). */
export const NATIVE_MATMUL = Symbol.for('anira.native-matmul');

type KernelArgs = Parameters<KernelFunc>[0];

/** Run one planned product: allocate the output, then read the heap and call sgemm. */
function runProduct(
  addon: NativeAddon,
  backend: WasmBackendLike,
  plan: ProductPlan,
  a: TensorInfo,
  b: TensorInfo,
  flags: { transposeA: boolean; transposeB: boolean },
  bias: { info: TensorInfo; len: number } | null,
): TensorInfo {
  const out = backend.makeOutput(plan.outShape, 'float32');
  const heap = heapBuffer(backend); // after the allocation: growth detaches the old buffer
  addon.sgemm(
    heap,
    plan.batch,
    plan.m,
    plan.n,
    plan.k,
    flags.transposeA ? 1 : 0,
    flags.transposeB ? 1 : 0,
    offsetOf(backend, a),
    plan.aStride,
    offsetOf(backend, b),
    plan.bStride,
    offsetOf(backend, out),
    bias ? offsetOf(backend, bias.info) : -1,
    bias ? bias.len : 0,
  );
  return out;
}

const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** The native kernel for `BatchMatMul`, falling back to `original`. */
export function nativeBatchMatMul(addon: NativeAddon, original: KernelConfig): KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA = false, transposeB = false } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? planProduct(a.shape, b.shape, transposeA, transposeB) : null;
    if (!plan || !isWasmBackend(args.backend)) return original.kernelFunc(args);
    return runProduct(addon, args.backend, plan, a, b, { transposeA, transposeB }, null);
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc, [NATIVE_MATMUL]: true } as KernelConfig;
}

/** The native kernel for `_FusedMatMul` (linear activation, bias `[N]` or one value), falling back to `original`. */
export function nativeFusedMatMul(addon: NativeAddon, original: KernelConfig): KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA = false, transposeB = false, activation = 'linear' } = args.attrs as { transposeA?: boolean; transposeB?: boolean; activation?: string };
    const plain = a.dtype === 'float32' && b.dtype === 'float32' && activation === 'linear' && preluActivationWeights == null;
    const plan = plain ? planProduct(a.shape, b.shape, transposeA, transposeB) : null;
    if (!plan || !isWasmBackend(args.backend)) return original.kernelFunc(args);
    let biasArg: { info: TensorInfo; len: number } | null = null;
    if (bias != null) {
      const len = sizeOf(bias.shape);
      const row = bias.shape.length === 1 && len === plan.n;
      if (bias.dtype !== 'float32' || (len !== 1 && !row)) return original.kernelFunc(args);
      biasArg = { info: bias, len };
    }
    return runProduct(addon, args.backend, plan, a, b, { transposeA, transposeB }, biasArg);
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc, [NATIVE_MATMUL]: true } as KernelConfig;
}
