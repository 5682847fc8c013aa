/**
 * Training's attention sub-block (Q/K/V projections, attention of every token, output
 * projection) as one kernel each way on the wasm heap (csrc/attention-block.c), under
 * the names and contract that `@anira/tensor`'s `attentionBlock` looks up (its
 * fused-kernels.ts; `attention-block-kernel.test.ts` pins the names and checks both
 * directions against the separate kernels, bit for bit). Its point is memory: the
 * gradients of the attention output, q, k, v and the three parts of the input's
 * gradient stay in the addon's scratch rows instead of becoming heap tensors.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { mark, namedInputs, shapeText, wasmOf } from './row-kernels.js';
import { heapBuffer, offsetOf } from './wasm-heap.js';

/** The kernel names of @anira/tensor's FUSED_KERNELS.attentionBlock and .attentionBlockGrad. */
export const ATTENTION_BLOCK_KERNEL_NAMES = { attentionBlock: 'AniraAttentionBlock', attentionBlockGrad: 'AniraAttentionBlockGrad' } as const;

const ROWS = ['dz', 'a', 'q', 'k', 'v', 'o'];
const WEIGHTS = ['wq', 'wk', 'wv', 'wo'];

/**
 * Checks float32 rows `[B*T, C]` (a, dz, q, k, v, o), weights `[C, C]` and, for B and T,
 * bias `[B, 1, T or 1, T]` or p `[B, H, T, T]`; returns B, T, C.
 */
function checkBlock(name: string, nHeads: number, named: Record<string, TensorInfo>): [number, number, number] {
  const bad = (what: string) => new Error(`@anira/native: ${name} ${what}; got ${shapeText(named)}, nHeads ${nHeads}`);
  if (Object.values(named).some((t) => t.dtype !== 'float32')) throw bad('takes float32 tensors');
  const { a, bias, p } = named;
  const [bt = 0, c = 0] = a?.shape ?? [];
  const grid = bias ?? p;
  if (bias && (bias.shape.length !== 4 || bias.shape[1] !== 1 || (bias.shape[2] !== bias.shape[3] && bias.shape[2] !== 1))) throw bad('expects bias [B, 1, T or 1, T]');
  if (p && (p.shape.length !== 4 || p.shape[1] !== nHeads || p.shape[2] !== p.shape[3])) throw bad('expects p [B, H, T, T] with H = nHeads');
  const [batch = 0, , , t = 0] = grid?.shape ?? [];
  if (!(Number.isInteger(nHeads) && nHeads >= 1 && c % nHeads === 0)) throw bad('needs an integer nHeads >= 1 that divides C');
  for (const [k, x] of Object.entries(named)) {
    if (ROWS.includes(k) && (x.shape.length !== 2 || x.shape[0] !== batch * t || x.shape[1] !== c || bt !== batch * t)) throw bad('expects [B*T, C] rows with B, T from the batch');
    if (WEIGHTS.includes(k) && x.shape.join() !== `${c},${c}`) throw bad(`expects [${c}, ${c}] weights`);
  }
  return [batch, t, c];
}

/**
 * `AniraAttentionBlock`: inputs `{ a [B*T, C], wq, wk, wv, wo [C, C], bias [B, 1, T or 1, T] }`,
 * attrs `{ nHeads }` -> `[z, q, k, v, o [B*T, C], p [B, H, T, T]]` (all but z kept for the gradient).
 */
function blockKernel(addon: NativeAddon): KernelConfig {
  const name = ATTENTION_BLOCK_KERNEL_NAMES.attentionBlock;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, ['a', 'wq', 'wk', 'wv', 'wo', 'bias']);
    const { nHeads } = args.attrs as { nHeads: number };
    const b = wasmOf(args, name);
    const [batch, t, c] = checkBlock(name, nHeads, inputs);
    const rows = () => b.makeOutput([batch * t, c], 'float32');
    const out = [rows(), rows(), rows(), rows(), rows(), b.makeOutput([batch, nHeads, t, t], 'float32')];
    const at = (x: TensorInfo) => offsetOf(b, x);
    const { a, wq, wk, wv, wo, bias } = inputs;
    const argv = Float64Array.of(batch, t, c, nHeads, bias.shape[2] ?? t, at(a), at(wq), at(wk), at(wv), at(wo), at(bias), ...out.map(at));
    addon.attentionBlock(heapBuffer(b), argv); // the heap after the last allocation
    return out;
  });
}

/**
 * `AniraAttentionBlockGrad`: inputs `{ dz, a, q, k, v, o [B*T, C], p [B, H, T, T], wq, wk, wv,
 * wo [C, C] }`, attrs `{ nHeads }` -> `[da [B*T, C], dwq, dwk, dwv, dwo [C, C]]`.
 */
function blockGradKernel(addon: NativeAddon): KernelConfig {
  const name = ATTENTION_BLOCK_KERNEL_NAMES.attentionBlockGrad;
  const order = ['dz', 'a', 'q', 'k', 'v', 'o', 'p', 'wq', 'wk', 'wv', 'wo'] as const;
  return mark(name, (args) => {
    const inputs = namedInputs(args, name, order);
    const { nHeads } = args.attrs as { nHeads: number };
    const b = wasmOf(args, name);
    const [batch, t, c] = checkBlock(name, nHeads, inputs);
    const out = [b.makeOutput([batch * t, c], 'float32'), ...[0, 1, 2, 3].map(() => b.makeOutput([c, c], 'float32'))];
    const at = (x: TensorInfo) => offsetOf(b, x);
    const argv = Float64Array.of(batch, t, c, nHeads, ...order.map((k) => at(inputs[k])), ...out.map(at));
    addon.attentionBlockGrad(heapBuffer(b), argv);
    return out;
  });
}

/** Both kernel configs, on `addon`. */
export function attentionBlockKernels(addon: NativeAddon): KernelConfig[] {
  return [blockKernel(addon), blockGradKernel(addon)];
}
