/**
 * Training attention of every token as one kernel each way on the wasm heap
 * (csrc/attention-train.c), under the names and contract that `@anira/tensor`'s
 * `attendTokens` looks up (its fused-kernels.ts; `attention-train-kernel.test.ts`
 * pins the names and checks both directions against the composite). Per layer
 * and iteration it replaces the head split and merge transposes and about a
 * dozen small ops forward, and their gradients backward, with two calls.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, shapeText, wasmOf, type KernelArgs } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS.attention and .attentionGrad. */
export const ATTENTION_KERNEL_NAMES = { attention: 'AniraAttention', attentionGrad: 'AniraAttentionGrad' } as const;

/**
 * Check q, k, v (and any further `[B*T, C]` tensors) against bias `[B, 1, T or 1, T]`
 * or the weights p `[B, H, T, T]`; returns B, T, C.
 */
function checkTokens(name: string, nHeads: number, q: TensorInfo, rows: Record<string, TensorInfo>, batchOf: { bias: TensorInfo } | { p: TensorInfo }): [number, number, number] {
  const named = { ...rows, q, ...batchOf } as Record<string, TensorInfo>;
  const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${shapeText(named)}, nHeads ${nHeads}`);
  for (const t of Object.values(named)) if (t.dtype !== 'float32') throw bad('takes float32 tensors');
  const [n, c] = q.shape as [number, number];
  let batch: number;
  let t: number;
  if ('bias' in batchOf) {
    const { bias } = batchOf;
    if (bias.shape.length !== 4 || bias.shape[1] !== 1 || (bias.shape[2] !== bias.shape[3] && bias.shape[2] !== 1)) throw bad('expects bias [B, 1, T or 1, T]');
    [batch, , , t] = bias.shape as [number, number, number, number];
  } else {
    const { p } = batchOf;
    if (p.shape.length !== 4 || p.shape[1] !== nHeads || p.shape[2] !== p.shape[3]) throw bad('expects p [B, H, T, T] with H = nHeads');
    [batch, , , t] = p.shape as [number, number, number, number];
  }
  if (!(Number.isInteger(nHeads) && nHeads >= 1 && c % nHeads === 0)) throw bad('needs an integer nHeads >= 1 that divides C');
  for (const x of [q, ...Object.values(rows)]) {
    if (x.shape.length !== 2 || x.shape[0] !== batch * t || x.shape[1] !== c || n !== batch * t) throw bad('expects [B*T, C] rows with B, T from the batch');
  }
  return [batch, t, c];
}

/**
 * `AniraAttention`: inputs `{ q, k, v [B*T, C], bias [B, 1, T or 1, T] }`, attrs `{ nHeads }`
 * -> `[o [B*T, C], p [B, H, T, T]]`, p the softmax weights.
 */
function attentionKernel(addon: NativeAddon): KernelConfig {
  const name = ATTENTION_KERNEL_NAMES.attention;
  return mark(name, (args: KernelArgs) => {
    const { q, k, v, bias } = args.inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo; bias: TensorInfo };
    const { nHeads } = args.attrs as { nHeads: number };
    const b = wasmOf(args, name);
    const [batch, t, c] = checkTokens(name, nHeads, q, { k, v }, { bias });
    const biasRows = bias.shape[2] ?? t;
    const o = b.makeOutput([batch * t, c], 'float32');
    const p = b.makeOutput([batch, nHeads, t, t], 'float32');
    if (batch * t * c > 0) {
      addon.attention(heapBuffer(b), batch, t, c, nHeads, offsetOf(b, q), offsetOf(b, k), offsetOf(b, v), offsetOf(b, bias), biasRows, offsetOf(b, o), offsetOf(b, p));
    }
    return [o, p];
  });
}

/** `AniraAttentionGrad`: inputs `{ dy, q, k, v [B*T, C], p [B, H, T, T] }`, attrs `{ nHeads }` -> `[dq, dk, dv]`. */
function attentionGradKernel(addon: NativeAddon): KernelConfig {
  const name = ATTENTION_KERNEL_NAMES.attentionGrad;
  return mark(name, (args: KernelArgs) => {
    const { dy, q, k, v, p } = args.inputs as { dy: TensorInfo; q: TensorInfo; k: TensorInfo; v: TensorInfo; p: TensorInfo };
    const { nHeads } = args.attrs as { nHeads: number };
    const b = wasmOf(args, name);
    const [batch, t, c] = checkTokens(name, nHeads, q, { dy, k, v }, { p });
    const dq = b.makeOutput([batch * t, c], 'float32');
    const dk = b.makeOutput([batch * t, c], 'float32');
    const dv = b.makeOutput([batch * t, c], 'float32');
    if (batch * t * c > 0) {
      addon.attentionGrad(heapBuffer(b), batch, t, c, nHeads, offsetOf(b, dy), offsetOf(b, q), offsetOf(b, k), offsetOf(b, v), offsetOf(b, p), offsetOf(b, dq), offsetOf(b, dk), offsetOf(b, dv));
    }
    return [dq, dk, dv];
  });
}

/** Both kernel configs, on `addon`. */
export function attentionTrainKernels(addon: NativeAddon): KernelConfig[] {
  return [attentionKernel(addon), attentionGradKernel(addon)];
}
