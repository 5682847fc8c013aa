/**
 * The Adam (AdamW) update of one parameter as a single kernel on the wasm heap
 * (csrc/adam.c), under the name and contract that `@anira/tensor`'s `Adam` looks up
 * (its fused-kernels.ts; `adam-kernel.test.ts` pins the name and the bits). It
 * replaces the 13-14 element-wise ops per parameter of the composite update.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel name of @anira/tensor's FUSED_KERNELS.adam. */
export const ADAM_KERNEL_NAME = 'AniraAdam';

/** Attributes of one update (c1 = 1 - beta1^t, c2 = 1 - beta2^t for update t). */
interface AdamAttrs {
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  epsilon: number;
  weightDecay: number;
  lr: number;
}

/** `AniraAdam`: inputs `{ param, grad, m, v }` of one shape, float32 -> `[param', m', v']`. */
export function adamKernel(addon: NativeAddon): KernelConfig {
  return mark(ADAM_KERNEL_NAME, (args) => {
    const { param, grad, m, v } = args.inputs as { param: TensorInfo; grad: TensorInfo; m: TensorInfo; v: TensorInfo };
    const a = args.attrs as unknown as AdamAttrs;
    const b = wasmOf(args, ADAM_KERNEL_NAME);
    const shape = param.shape.join(',');
    for (const [name, t] of [['param', param], ['grad', grad], ['m', m], ['v', v]] as const) {
      if (t.dtype !== 'float32' || t.shape.join(',') !== shape) {
        throw new Error(`@anira/native: ${ADAM_KERNEL_NAME} takes float32 tensors of one shape [${shape}], got ${name} ${t.dtype} [${t.shape.join(', ')}]`);
      }
    }
    const outs = [b.makeOutput([...param.shape], 'float32'), b.makeOutput([...param.shape], 'float32'), b.makeOutput([...param.shape], 'float32')];
    const n = param.shape.reduce((p, d) => p * d, 1);
    if (n > 0) {
      addon.adam(
        heapBuffer(b), n, offsetOf(b, param), offsetOf(b, grad), offsetOf(b, m), offsetOf(b, v), offsetOf(b, outs[0]!), offsetOf(b, outs[1]!), offsetOf(b, outs[2]!),
        a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.c1, a.c2, a.epsilon, a.weightDecay, a.lr,
      );
    }
    return outs;
  });
}
