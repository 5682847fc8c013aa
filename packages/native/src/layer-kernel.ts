/**
 * One inference layer over the running rows as a single kernel on the wasm heap
 * (csrc/layer.c), under the name and contract that `@anira/tensor`'s
 * `layerRowsByKernel` looks up (its fused-kernels.ts; `layer-kernel.test.ts` pins
 * the name and checks the result against the separate kernels). It replaces the
 * LayerNorms, the seven products, the K/V cache writes, attention, GELU and the
 * residual adds of a layer, about 14 kernel calls, with one. It writes the running
 * rows' keys and values into the caches in place (the caller owns them alone) and
 * has no gradient: inference only.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel name of @anira/tensor's FUSED_KERNELS.layerRows. */
export const LAYER_ROWS_KERNEL_NAME = 'AniraLayerRows';

/** The layer's weights, in the order of csrc/layer.c's arguments 14-25. */
const WEIGHTS = ['ln1g', 'ln1b', 'wq', 'wk', 'wv', 'wo', 'ln2g', 'ln2b', 'w1', 'b1', 'w2', 'b2'] as const;

type Inputs = Record<(typeof WEIGHTS)[number] | 'x' | 'kCache' | 'vCache' | 'bias', TensorInfo> & { rows?: TensorInfo };

const dims = (t: TensorInfo): string => `[${t.shape.join(', ')}]`;

/** Expected shape of each weight for width c and MLP width f. */
function weightShape(name: (typeof WEIGHTS)[number], c: number, f: number): number[] {
  if (name === 'w1') return [c, f];
  if (name === 'w2') return [f, c];
  if (name === 'b1') return [f];
  return name.startsWith('w') ? [c, c] : [c];
}

/**
 * `AniraLayerRows`: inputs `{ x [N, C], kCache, vCache [B*T, C], bias [B, 1, T or 1, T],
 * rows? [N] int32, ln1g, ln1b [C], wq, wk, wv, wo [C, C], ln2g, ln2b [C], w1 [C, F],
 * b1 [F], w2 [F, C], b2 [C] }`, attrs `{ nHeads, eps }` -> y `[N, C]`; the caches'
 * rows `rows` (every row without it, N = B*T) are overwritten with the new keys and values.
 */
export function layerRowsKernel(addon: NativeAddon): KernelConfig {
  const name = LAYER_ROWS_KERNEL_NAME;
  return mark(name, (args) => {
    const inputs = args.inputs as Inputs;
    const { x, kCache, vCache, bias, rows } = inputs;
    const { nHeads, eps } = args.attrs as { nHeads: number; eps: number };
    const b = wasmOf(args, name);
    const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got x ${dims(x)}, kCache ${dims(kCache)}, bias ${dims(bias)}${rows ? `, rows ${dims(rows)}` : ''}, w1 ${dims(inputs.w1)}, nHeads ${nHeads}`);
    const all = [x, kCache, vCache, bias, ...WEIGHTS.map((w) => inputs[w])];
    if (all.some((t) => t === undefined)) throw bad('needs x, kCache, vCache, bias and every weight');
    if (all.some((t) => t.dtype !== 'float32')) throw bad('takes float32 tensors');
    if (rows && rows.dtype !== 'int32') throw bad('takes int32 rows');
    if (bias.shape.length !== 4 || bias.shape[1] !== 1) throw bad('expects bias [B, 1, T or 1, T]');
    const [batch, , biasRows, t] = bias.shape as [number, number, number, number];
    const [n, c] = x.shape as [number, number];
    const f = inputs.w1.shape[1] ?? 0;
    if (x.shape.length !== 2 || kCache.shape.join() !== `${batch * t},${c}` || vCache.shape.join() !== kCache.shape.join()) throw bad('expects x [N, C] and caches [B*T, C] with B, T from bias');
    if (biasRows !== t && biasRows !== 1) throw bad('expects bias [B, 1, T or 1, T]');
    if (!(Number.isInteger(nHeads) && nHeads >= 1 && c % nHeads === 0)) throw bad('needs an integer nHeads >= 1 that divides C');
    if (!(typeof eps === 'number' && eps > 0)) throw bad('needs eps > 0');
    for (const w of WEIGHTS) if (inputs[w].shape.join() !== weightShape(w, c, f).join()) throw bad(`expects ${w} [${weightShape(w, c, f).join(', ')}], got ${dims(inputs[w])}`);
    if (rows ? rows.shape.length !== 1 || rows.shape[0] !== n : n !== batch * t) throw bad('needs rows [N], or N = B*T without rows');
    const y = b.makeOutput([n, c], 'float32');
    if (n === 0) return y;
    const at = (u: TensorInfo) => offsetOf(b, u);
    const offsets = [x, kCache, vCache, bias].map(at);
    const argv = Float64Array.of(batch, t, c, nHeads, f, n, biasRows, eps, ...offsets, rows ? at(rows) : -1, at(y), ...WEIGHTS.map((w) => at(inputs[w])));
    addon.layerRows(heapBuffer(b), argv); // the heap after the last allocation
    return y;
  });
}
