/**
 * Row gather and scatter inside tfjs-wasm's heap. A tensor on the wasm backend
 * lives in the module's memory; copying whole rows there, view to view, skips the
 * two copies of a `dataSync` + `tf.tensor2d` round trip (out to JS, back into the
 * heap) and the garbage they leave. Rows move in one call of a registered
 * `AniraHeapMoveRows` host kernel (fused-kernels.ts; `@anira/native` registers
 * one), else with `copyWithin` on one view of the heap, a run of consecutive rows
 * at a time (no view per row; about 100 ns a call). The output is
 * allocated first and the heap views taken after it, because an allocation can
 * grow the heap and detach older views. Off wasm (or on a wasm build without these internals) both return
 * undefined and the caller copies through JS.
 *
 * `heapWriteRows` writes rows into an existing tensor's memory, in place. tfjs
 * tensors are immutable by contract, so it does so only where no other tensor can
 * see the change: the backend's reference count of the tensor's data must be 1
 * (a reshape, a clone or a kept view of the same data raises it). The caller must
 * own the tensor alone, as inference's K/V cache and logits do.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS } from './fused-kernels.js';

/** The two `BackendWasm` methods used, typed narrowly. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  refCount(dataId: tf.DataId): number;
}

function wasmHeap(): WasmHeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as Partial<WasmHeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' && typeof b.refCount === 'function' ? (b as WasmHeapBackend) : undefined;
}

/**
 * For i < n: row `dstIndex[i]` (or i) after float `dst` = row `srcIndex[i]` (or i) after
 * float `src`, a zero row where `srcIndex[i] < 0`, through a registered
 * `AniraHeapMoveRows` host kernel (fused-kernels.ts: one call for every row).
 * Returns false, moving nothing, when no such kernel is registered.
 */
function moveByKernel(b: WasmHeapBackend, move: { dst: number; dstRows: number; src: number; srcRows: number; c: number; n: number; dstIndex: Int32Array | null; srcIndex: Int32Array | null }): boolean {
  const kernel = tf.getKernel(FUSED_KERNELS.heapMoveRows, 'wasm');
  if (!kernel) return false;
  const attrs = {
    dstOffset: move.dst * 4, dstRows: move.dstRows, srcOffset: move.src * 4, srcRows: move.srcRows,
    width: move.c, count: move.n, dstIndex: move.dstIndex, srcIndex: move.srcIndex,
  };
  kernel.kernelFunc({ inputs: {}, backend: b as unknown as tf.KernelBackend, attrs: attrs as unknown as tf.NamedAttrMap });
  return true;
}

/** Where a tensor's floats start in the heap, and the whole heap as floats (one view; take it after any allocation). */
function heapFloats(b: WasmHeapBackend, t: tf.TensorInfo): { heap: Float32Array; at: number } {
  const view = b.typedArrayFromHeap(t);
  return { heap: new Float32Array(view.buffer), at: view.byteOffset / 4 };
}

/**
 * Gather inside `heap`: row `index[i]` after `src` to row i after `dst` (a zero row
 * where `index[i] < 0`), by `copyWithin` (no view per row), one call per run of
 * consecutive source rows.
 */
function gatherInHeap(heap: Float32Array, dst: number, src: number, c: number, index: Int32Array): void {
  const n = index.length;
  for (let i = 0; i < n; ) {
    const s0 = index[i] ?? -1;
    let j = i + 1;
    if (s0 < 0) {
      while (j < n && (index[j] ?? 0) < 0) j++;
      heap.fill(0, dst + i * c, dst + j * c);
    } else {
      while (j < n && index[j] === s0 + (j - i)) j++;
      heap.copyWithin(dst + i * c, src + s0 * c, src + (s0 + j - i) * c);
    }
    i = j;
  }
}

/** Scatter inside `heap`: row n after `src` to row `index[n]` after `dst`, one `copyWithin` per run of consecutive target rows. */
function scatterInHeap(heap: Float32Array, dst: number, src: number, c: number, index: Int32Array): void {
  const n = index.length;
  for (let i = 0; i < n; ) {
    const d0 = index[i] ?? 0;
    let j = i + 1;
    while (j < n && index[j] === d0 + (j - i)) j++;
    heap.copyWithin(dst + d0 * c, src + i * c, src + j * c);
    i = j;
  }
}

/** A new `[rows, c]` float32 tensor, filled by `fill(heap, at)` (its first float at `heap[at]`). */
function heapTensor(b: WasmHeapBackend, rows: number, c: number, fill: (heap: Float32Array, at: number) => void): tf.Tensor2D {
  const info = b.makeOutput([rows, c], 'float32');
  const { heap, at } = heapFloats(b, info);
  fill(heap, at);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor2D;
}

/** `out[i] = x[index[i]]` (a zero row where `index[i] < 0`); x float32 `[M, C]` -> `[index.length, C]`; undefined off wasm. */
export function heapGatherRows(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D | undefined {
  const b = wasmHeap();
  if (!b || x.dtype !== 'float32') return undefined;
  const c = x.shape[1];
  return heapTensor(b, index.length, c, (heap, out) => {
    const src = heapFloats(b, x).at;
    const move = { dst: out, dstRows: index.length, src, srcRows: x.shape[0], c, n: index.length, dstIndex: null, srcIndex: index };
    if (!moveByKernel(b, move)) gatherInHeap(heap, out, src, c, index);
  });
}

/** A copy of `old [M, C]` with row `index[n]` replaced by `rows[n]` (`rows [N, C]`), both float32; undefined off wasm. */
export function heapScatterRows(rows: tf.Tensor2D, old: tf.Tensor2D, index: Int32Array): tf.Tensor2D | undefined {
  const b = wasmHeap();
  if (!b || rows.dtype !== 'float32' || old.dtype !== 'float32') return undefined;
  const [m, c] = old.shape;
  return heapTensor(b, m, c, (heap, out) => {
    const from = heapFloats(b, old).at;
    heap.copyWithin(out, from, from + m * c);
    const src = heapFloats(b, rows).at;
    if (!moveByKernel(b, { dst: out, dstRows: m, src, srcRows: rows.shape[0], c, n: index.length, dstIndex: index, srcIndex: null })) scatterInHeap(heap, out, src, c, index);
  });
}

/**
 * A new float32 tensor `[rows, width]` in the wasm heap whose contents are left as
 * the allocator gives them, for a caller that overwrites every element before any
 * read (the fill of `tf.zeros` or `tf.fill` would be wasted writes). Undefined off
 * wasm: the caller makes zeros there.
 */
export function heapUninitialized(shape: readonly [number, number]): tf.Tensor2D | undefined {
  const b = wasmHeap();
  if (!b) return undefined;
  return tf.engine().makeTensorFromTensorInfo(b.makeOutput([...shape], 'float32')) as tf.Tensor2D;
}

/**
 * Is `t` a float32 tensor in the wasm heap whose data no other tensor shares (the
 * backend's reference count is 1)? Only such a tensor may be written in place.
 */
export function heapOwned(t: tf.Tensor): boolean {
  const b = wasmHeap();
  return b !== undefined && ownedIn(b, t);
}

/** `heapOwned` on a known wasm backend `b`: float32, not disposed, data not shared. */
function ownedIn(b: WasmHeapBackend, t: tf.Tensor): boolean {
  return t.dtype === 'float32' && !t.isDisposed && b.refCount(t.dataId) === 1;
}

/**
 * Row `index[n]` of `target [M, C]` replaced by `rows[n]` (`rows [N, C]`), in place,
 * both float32. Returns false, writing nothing, off wasm or where `target`'s data is
 * shared with another tensor (reference count above 1): then the caller copies.
 */
export function heapWriteRows(rows: tf.Tensor2D, target: tf.Tensor2D, index: Int32Array): boolean {
  const b = wasmHeap();
  if (!b || rows.dtype !== 'float32' || !ownedIn(b, target)) return false;
  const { heap, at } = heapFloats(b, target);
  const [m, c] = target.shape;
  const src = heapFloats(b, rows).at;
  if (!moveByKernel(b, { dst: at, dstRows: m, src, srcRows: rows.shape[0], c, n: index.length, dstIndex: index, srcIndex: null })) scatterInHeap(heap, at, src, c, index);
  return true;
}

/**
 * Rows `index` of `target [M, C]` replaced by the same rows of `src [M, C]`, in
 * place, both float32 (index ascending). Returns false, writing nothing, off wasm,
 * on a shape mismatch, or where `target`'s data is shared (as `heapWriteRows`).
 */
export function heapCopyRows(src: tf.Tensor2D, target: tf.Tensor2D, index: Int32Array): boolean {
  const b = wasmHeap();
  if (!b || src.dtype !== 'float32' || !ownedIn(b, target)) return false;
  const [m, c] = target.shape;
  if (src.shape[0] !== m || src.shape[1] !== c) return false;
  const { heap, at } = heapFloats(b, target);
  const from = heapFloats(b, src).at;
  if (moveByKernel(b, { dst: at, dstRows: m, src: from, srcRows: m, c, n: index.length, dstIndex: index, srcIndex: index })) return true;
  const n = index.length;
  for (let i = 0; i < n; ) {
    const r0 = index[i] ?? 0;
    let j = i + 1;
    while (j < n && index[j] === r0 + (j - i)) j++;
    heap.copyWithin(at + r0 * c, from + r0 * c, from + (r0 + j - i) * c);
    i = j;
  }
  return true;
}
