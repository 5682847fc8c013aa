/**
 * The per-token cross-entropy against integer targets as one kernel each way on the
 * wasm heap (csrc/cross-entropy.c), under the names and contract that `@anira/tensor`'s
 * `tokenCrossEntropy` looks up (its fused-kernels.ts; `cross-entropy-kernel.test.ts`
 * pins the names and checks both directions against the composite). The composite
 * (logSoftmax times a one-hot, summed) is about ten tfjs kernels forward and as many
 * back, per iteration of a training step; wasm's Exp alone was 4% of a W1 step.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, namedInputs, shapeText, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS.crossEntropy and .crossEntropyGrad. */
export const CROSS_ENTROPY_KERNEL_NAMES = { crossEntropy: 'AniraCrossEntropy', crossEntropyGrad: 'AniraCrossEntropyGrad' } as const;

/** Checks logits `[..., V]` (float32), targets `[...]` (int32) and each of `perToken` (float32 `[...]`); returns M, V and the leading shape `[...]`. */
function checkLoss(name: string, named: Record<string, TensorInfo>, perToken: readonly string[]): [number, number, number[]] {
  const { logits, targets } = named as { logits: TensorInfo; targets: TensorInfo };
  const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${shapeText(named)}`);
  if (logits.shape.length < 1 || logits.dtype !== 'float32') throw bad('expects float32 logits [..., V]');
  const lead = logits.shape.slice(0, -1);
  if (targets.dtype !== 'int32' || targets.shape.join() !== lead.join()) throw bad(`expects int32 targets [${lead.join(', ')}]`);
  const matches = (k: string, shape: readonly number[]) => named[k]?.dtype === 'float32' && named[k]?.shape.join() === shape.join();
  for (const k of perToken) if (!matches(k, lead)) throw bad(`expects float32 ${k} [${lead.join(', ')}]`);
  const v = logits.shape[logits.shape.length - 1] ?? 0;
  return [lead.reduce((p, d) => p * d, 1), v, lead];
}

/** `AniraCrossEntropy`: inputs `{ logits [..., V], targets [...] int32 }` -> `[ce [...], lse [...]]` (lse kept for the gradient). */
function crossEntropyKernel(addon: NativeAddon): KernelConfig {
  const name = CROSS_ENTROPY_KERNEL_NAMES.crossEntropy;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, ['logits', 'targets']);
    const b = wasmOf(args, name);
    const [m, v, lead] = checkLoss(name, inputs, []);
    const ce = b.makeOutput(lead, 'float32');
    const lse = b.makeOutput(lead, 'float32');
    const at = (t: TensorInfo) => offsetOf(b, t);
    if (m * v > 0) addon.crossEntropy(heapBuffer(b), m, v, at(inputs.logits), at(inputs.targets), at(ce), at(lse)); // the heap after the last allocation
    return [ce, lse];
  });
}

/** `AniraCrossEntropyGrad`: inputs `{ dy [...], logits [..., V], lse [...], targets [...] int32 }` -> dlogits `[..., V]`. */
function crossEntropyGradKernel(addon: NativeAddon): KernelConfig {
  const name = CROSS_ENTROPY_KERNEL_NAMES.crossEntropyGrad;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, ['dy', 'logits', 'lse', 'targets']);
    const b = wasmOf(args, name);
    const [m, v] = checkLoss(name, inputs, ['dy', 'lse']);
    const dx = b.makeOutput([...inputs.logits.shape], 'float32');
    const at = (t: TensorInfo) => offsetOf(b, t);
    const { dy, logits, lse, targets } = inputs;
    if (m * v > 0) addon.crossEntropyGrad(heapBuffer(b), m, v, at(dy), at(logits), at(lse), at(targets), at(dx));
    return dx;
  });
}

/** Both kernel configs, on `addon`. */
export function crossEntropyKernels(addon: NativeAddon): KernelConfig[] {
  return [crossEntropyKernel(addon), crossEntropyGradKernel(addon)];
}
