/**
 * Attention of query rows as a single kernel on the wasm heap (csrc/attention.c),
 * under the name and contract that `@anira/tensor`'s `attentionRows` looks up (its
 * fused-kernels.ts; `attention-kernel.test.ts` pins the name and checks the result
 * against the composite). Inference's attention runs through it: no head split or
 * merge transposes of the full keys and values each iteration, no padding of each
 * batch row's running queries to a common count, and one call instead of eight
 * ops. It has no gradient; training keeps the composite.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel name of @anira/tensor's FUSED_KERNELS.attentionRows. */
export const ATTENTION_ROWS_KERNEL_NAME = 'AniraAttentionRows';

type Inputs = { q: TensorInfo; k: TensorInfo; v: TensorInfo; bias: TensorInfo; rows?: TensorInfo };

/**
 * `AniraAttentionRows`: inputs `{ q [N, C], k [B*T, C], v [B*T, C], bias [B, 1, T or 1, T], rows? [N] int32 }`,
 * attrs `{ nHeads }` -> o `[N, C]`; without `rows`, N = B*T and every token is a query.
 */
export function attentionRowsKernel(addon: NativeAddon): KernelConfig {
  const name = ATTENTION_ROWS_KERNEL_NAME;
  return mark(name, (args) => {
    const { q, k, v, bias, rows } = args.inputs as Inputs;
    const { nHeads } = args.attrs as { nHeads: number };
    const b = wasmOf(args, name);
    const shapes = `q [${q.shape.join(', ')}], k [${k.shape.join(', ')}], v [${v.shape.join(', ')}], bias [${bias.shape.join(', ')}]${rows ? `, rows [${rows.shape.join(', ')}]` : ''}, nHeads ${nHeads}`;
    const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${shapes}`);
    for (const t of [q, k, v, bias]) if (t.dtype !== 'float32') throw bad('takes float32 q, k, v and bias');
    if (rows && rows.dtype !== 'int32') throw bad('takes int32 rows');
    if (bias.shape.length !== 4 || bias.shape[1] !== 1) throw bad('expects bias [B, 1, T or 1, T]');
    const [batch, , biasRows, t] = bias.shape as [number, number, number, number];
    const [n, c] = q.shape as [number, number];
    if (q.shape.length !== 2 || k.shape.length !== 2 || v.shape.join() !== k.shape.join() || k.shape[0] !== batch * t || k.shape[1] !== c) {
      throw bad('expects q [N, C] and k, v [B*T, C] with B, T from bias');
    }
    if (biasRows !== t && biasRows !== 1) throw bad('expects bias [B, 1, T or 1, T]');
    if (!(Number.isInteger(nHeads) && nHeads >= 1 && c % nHeads === 0)) throw bad('needs an integer nHeads >= 1 that divides C');
    if (rows ? rows.shape.length !== 1 || rows.shape[0] !== n : n !== batch * t) throw bad('needs rows [N], or N = B*T without rows');
    const o = b.makeOutput([n, c], 'float32');
    if (n > 0 && batch * t > 0 && c > 0) {
      addon.attentionRows(heapBuffer(b), batch, t, c, nHeads, n, offsetOf(b, q), offsetOf(b, k), offsetOf(b, v), offsetOf(b, bias), biasRows, rows ? offsetOf(b, rows) : -1, offsetOf(b, o));
    }
    return o;
  });
}
